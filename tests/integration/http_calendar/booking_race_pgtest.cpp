// Bookings under contention, idempotent retries and buffers, over real HTTP.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/http_calendar/calendar_server.hpp"

namespace mundoctor::testing {
namespace {

using booking_race = calendar_api;

TEST_F(booking_race, sixty_four_clients_racing_for_four_slots_get_one_201_per_slot) {
  auto pro = make_professional();
  auto patients = make_patients(64);
  const std::vector<calendar::instant> slots{madrid(3, 10), madrid(3, 10, 30), madrid(3, 11),
                                             madrid(4, 9)};
  std::mutex mutex;
  std::map<std::size_t, std::vector<booking_outcome>> by_slot;
  run_together(64, [&](int i) {
    auto slot = static_cast<std::size_t>(i) % slots.size();
    booking_outcome out;
    try {
      out = outcome_of(book(patients[static_cast<std::size_t>(i)], pro, slots[slot]));
    } catch (const std::exception&) {
      // no answer: counted as status 0
    }
    std::lock_guard<std::mutex> guard{mutex};
    by_slot[slot].push_back(out);
  });

  for (std::size_t s = 0; s < slots.size(); ++s) {
    int created = 0, taken = 0;
    for (const auto& o : by_slot[s]) {
      if (o.status == 201) ++created;
      if (o.status == 409 && o.code == "SLOT_TAKEN") ++taken;
    }
    EXPECT_EQ(created, 1) << "slot " << rfc3339(slots[s]);
    EXPECT_EQ(taken, 15) << "slot " << rfc3339(slots[s]);
  }
  EXPECT_EQ(
      count("SELECT count(*) FROM appointments WHERE professional_id = $1::uuid", pro.profile_id),
      4);
  EXPECT_EQ(occupying_rows(pro.profile_id), 4);
  EXPECT_EQ(overlapping_pairs(pro.profile_id), 0);
}

TEST_F(booking_race, a_retry_with_the_same_idempotency_key_answers_the_original) {
  auto pro = make_professional();
  auto patient = make_patient();
  auto first = book(patient, pro, madrid(2, 12), "retry-key-1");
  ASSERT_EQ(first.status, 201u) << first.body;
  auto second = book(patient, pro, madrid(2, 12), "retry-key-1");
  ASSERT_EQ(second.status, 201u) << second.body;
  EXPECT_EQ(second.json.at("data"), first.json.at("data"));
  // A retry whose body changed still answers what the key created first.
  auto changed = book(patient, pro, madrid(2, 15), "retry-key-1");
  ASSERT_EQ(changed.status, 201u) << changed.body;
  EXPECT_EQ(changed.json.at("data"), first.json.at("data"));
  EXPECT_EQ(count("SELECT count(*) FROM appointments WHERE patient_id = $1", patient), 1);
  EXPECT_EQ(count("SELECT count(*) FROM appointment_history h JOIN appointments a"
                  " ON a.id = h.appointment_id WHERE a.patient_id = $1 AND h.action = 'created'",
                  patient),
            1);

  // A new incarnation of the calendar (loaded from the database) still knows the key.
  EXPECT_TRUE(stop());
  start();
  auto after_restart = book(patient, pro, madrid(2, 12), "retry-key-1");
  ASSERT_EQ(after_restart.status, 201u) << after_restart.body;
  EXPECT_EQ(after_restart.json.at("data"), first.json.at("data"));
  EXPECT_EQ(count("SELECT count(*) FROM appointments WHERE patient_id = $1", patient), 1);

  // The same key from another patient is another booking.
  auto other = make_patient();
  auto theirs = book(other, pro, madrid(2, 12), "retry-key-1");
  EXPECT_EQ(theirs.status, 409u) << theirs.body;
  EXPECT_EQ(theirs.json.value("code", ""), "SLOT_TAKEN");
}

TEST_F(booking_race, an_idempotency_key_of_other_than_visible_ascii_is_refused) {
  auto pro = make_professional();
  auto patient = make_patient();
  for (const std::string key : {"with space", "tab\there", "clave-\xc3\xb1", "\xff\xfe"}) {
    auto r = book(patient, pro, madrid(2, 12), key);
    EXPECT_EQ(r.status, 422u) << r.body;
  }
  EXPECT_EQ(count("SELECT count(*) FROM appointments WHERE patient_id = $1", patient), 0);
  EXPECT_EQ(book(patient, pro, madrid(2, 12), "ok-key_1.2~").status, 201u);
}

TEST_F(booking_race, concurrent_retries_with_one_idempotency_key_all_get_the_original) {
  auto pro = make_professional();
  auto patient = make_patient();
  std::mutex mutex;
  std::vector<http_result> results;
  run_together(8, [&](int) {
    http_result r;
    try {
      r = book(patient, pro, madrid(2, 16), "concurrent-key");
    } catch (const std::exception&) {
      // no answer: status 0
    }
    std::lock_guard<std::mutex> guard{mutex};
    results.push_back(r);
  });
  ASSERT_EQ(results.size(), 8u);
  for (const auto& r : results) {
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json.at("data"), results.front().json.at("data"));
  }
  EXPECT_EQ(count("SELECT count(*) FROM appointments WHERE patient_id = $1", patient), 1);
}

TEST_F(booking_race, the_buffer_after_an_appointment_takes_the_next_slot) {
  professional_options options;
  options.policy.buffer_after_minutes = 15;
  auto pro = make_professional(options);
  auto first = book(make_patient(), pro, madrid(2, 10));
  ASSERT_EQ(first.status, 201u) << first.body;
  // 10:00-10:30 plus 15 minutes of buffer reaches into the 10:30 slot.
  auto next = book(make_patient(), pro, madrid(2, 10, 30));
  EXPECT_EQ(next.status, 409u) << next.body;
  EXPECT_EQ(next.json.value("code", ""), "SLOT_TAKEN");
  // A booking at 09:30 would end where the first one begins, but its own buffer overlaps it.
  auto before = book(make_patient(), pro, madrid(2, 9, 30));
  EXPECT_EQ(before.status, 409u) << before.body;
  auto later = book(make_patient(), pro, madrid(2, 11));
  EXPECT_EQ(later.status, 201u) << later.body;

  auto slots = free_slots(pro, 4);
  auto offered = [&](calendar::instant t) {
    return std::find(slots.begin(), slots.end(), rfc3339(t)) != slots.end();
  };
  EXPECT_FALSE(offered(madrid(2, 10)));
  EXPECT_FALSE(offered(madrid(2, 10, 30)));
  EXPECT_TRUE(offered(madrid(2, 12)));
  EXPECT_EQ(overlapping_pairs(pro.profile_id), 0);
}

}  // namespace
}  // namespace mundoctor::testing
