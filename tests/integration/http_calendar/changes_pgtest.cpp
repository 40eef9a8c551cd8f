// Cancellation, rescheduling and the status machine through the calendar actor, including
// concurrent changes of the same appointment or the same slot.

#include <algorithm>
#include <array>
#include <string>

#include <gtest/gtest.h>

#include "tests/integration/http_calendar/calendar_server.hpp"

namespace mundoctor::testing {
namespace {

class appointment_changes : public calendar_api {
 protected:
  /// Books `start` for `patient` and returns the appointment id.
  std::string booked(const std::string& patient, const bookable_professional& pro,
                     calendar::instant start) {
    auto r = book(patient, pro, start);
    EXPECT_EQ(r.status, 201u) << r.body;
    return outcome_of(r).id;
  }

  http_result cancel(const std::string& user, const std::string& id) {
    return call(user, "DELETE", "/api/appointments/" + id, {{"reason", "No puedo ir, lo siento"}});
  }
  http_result reschedule(const std::string& user, const std::string& id, calendar::instant start) {
    return call(user, "PUT", "/api/appointments/" + id, {{"startTime", rfc3339(start)}});
  }
  http_result set_status(const std::string& user, const std::string& id, const std::string& to) {
    return call(user, "PATCH", "/api/appointments/" + id + "/status", {{"status", to}});
  }
  int64_t history(const std::string& id, const std::string& action) {
    return count(
        "SELECT count(*) FROM appointment_history WHERE appointment_id = $1::uuid"
        " AND action = '" +
            action + "'",
        id);
  }
  bool has_status(const std::string& id, const std::string& status) {
    return count("SELECT count(*) FROM appointments WHERE id = $1::uuid AND status = '" + status +
                     "'",
                 id) == 1;
  }
};

TEST_F(appointment_changes, two_concurrent_cancels_cancel_once) {
  auto pro = make_professional();
  auto patient = make_patient();
  auto id = booked(patient, pro, madrid(5, 10));
  ASSERT_FALSE(id.empty());
  std::array<unsigned, 2> statuses{};
  run_together(2,
               [&](int i) { statuses[static_cast<std::size_t>(i)] = cancel(patient, id).status; });
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses[0], 200u);
  EXPECT_TRUE(statuses[1] == 409u || statuses[1] == 404u) << statuses[1];
  EXPECT_EQ(history(id, "cancelled"), 1);
  EXPECT_TRUE(has_status(id, "cancelled"));
  // The slot is free again.
  EXPECT_EQ(book(make_patient(), pro, madrid(5, 10)).status, 201u);
}

TEST_F(appointment_changes, two_reschedules_to_one_slot_move_exactly_one) {
  auto pro = make_professional();
  auto first = make_patient();
  auto second = make_patient();
  const auto old_first = madrid(5, 9);
  const auto old_second = madrid(5, 12);
  const auto target = madrid(6, 16);
  std::array<std::string, 2> ids{booked(first, pro, old_first), booked(second, pro, old_second)};
  std::array<std::string, 2> patients{first, second};
  std::array<http_result, 2> results;
  run_together(2, [&](int i) {
    auto k = static_cast<std::size_t>(i);
    results[k] = reschedule(patients[k], ids[k], target);
  });
  int moved = (results[0].status == 200) + (results[1].status == 200);
  ASSERT_EQ(moved, 1) << results[0].body << "\n" << results[1].body;
  auto winner = results[0].status == 200 ? 0u : 1u;
  auto loser = 1u - winner;
  EXPECT_EQ(results[loser].status, 409u) << results[loser].body;
  EXPECT_EQ(results[loser].json.value("code", ""), "SLOT_TAKEN");
  EXPECT_EQ(results[winner].json.at("data").value("starts_at", ""), rfc3339(target));
  EXPECT_EQ(history(ids[winner], "rescheduled"), 1);
  EXPECT_EQ(history(ids[loser], "rescheduled"), 0);

  // The winner's old slot is free, the loser's is still taken, the target is taken.
  const std::array<calendar::instant, 2> olds{old_first, old_second};
  auto slots = free_slots(pro, 8);
  auto offered = [&](calendar::instant t) {
    return std::find(slots.begin(), slots.end(), rfc3339(t)) != slots.end();
  };
  EXPECT_TRUE(offered(olds[winner]));
  EXPECT_FALSE(offered(olds[loser]));
  EXPECT_FALSE(offered(target));
  EXPECT_EQ(book(make_patient(), pro, olds[winner]).status, 201u);
  EXPECT_EQ(book(make_patient(), pro, olds[loser]).status, 409u);
  EXPECT_EQ(overlapping_pairs(pro.profile_id), 0);
}

TEST_F(appointment_changes, a_patient_inside_the_cancellation_window_is_refused_the_pro_is_not) {
  professional_options options;
  options.policy.cancellation_window_hours = 720;
  auto pro = make_professional(options);
  auto patient = make_patient();
  auto id = booked(patient, pro, madrid(3, 10));
  auto refused = cancel(patient, id);
  EXPECT_EQ(refused.status, 409u) << refused.body;
  EXPECT_EQ(refused.json.value("code", ""), "CANCELLATION_WINDOW_PASSED");
  EXPECT_EQ(history(id, "cancelled"), 0);
  auto by_pro = cancel(pro.user_id, id);
  EXPECT_EQ(by_pro.status, 200u) << by_pro.body;
  EXPECT_EQ(by_pro.json.at("data").value("status", ""), "cancelled");
  EXPECT_EQ(history(id, "cancelled"), 1);
}

TEST_F(appointment_changes, the_status_machine_allows_only_its_transitions) {
  auto pro = make_professional();
  auto patient = make_patient();
  auto id = booked(patient, pro, madrid(4, 10));
  EXPECT_TRUE(has_status(id, "pending"));
  auto skip = set_status(pro.user_id, id, "completed");
  EXPECT_EQ(skip.status, 409u) << skip.body;
  EXPECT_EQ(skip.json.value("code", ""), "INVALID_TRANSITION");
  EXPECT_EQ(set_status(patient, id, "confirmed").status, 403u);
  for (const char* to : {"confirmed", "in_progress", "completed"}) {
    auto r = set_status(pro.user_id, id, to);
    EXPECT_EQ(r.status, 200u) << to << ": " << r.body;
    EXPECT_EQ(r.json.at("data").value("status", ""), to) << r.body;
  }
  EXPECT_EQ(history(id, "status_changed"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM appointment_history WHERE appointment_id = $1::uuid"
                  " AND changed_by IS NOT NULL AND to_status = 'completed'"
                  " AND from_status = 'in_progress'",
                  id),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM appointments WHERE id = $1::uuid AND status = 'completed'"
                  " AND completed_at IS NOT NULL",
                  id),
            1);
  // Completed is final.
  auto after = set_status(pro.user_id, id, "cancelled");
  EXPECT_TRUE(after.status == 409u || after.status == 404u) << after.body;
}

}  // namespace
}  // namespace mundoctor::testing
