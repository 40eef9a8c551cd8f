// Nothing acknowledged is lost: a burst of bookings over distinct slots while, in the middle,
// the calendar actor is killed (and, in the second test, the whole runtime is stopped). Every
// booking answered 201 must be an occupying row afterwards, no two occupying rows may overlap,
// and a fresh calendar loaded from the database must not offer any booked slot again.

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/integration/http_calendar/calendar_server.hpp"

namespace mundoctor::testing {
namespace {

constexpr int burst_bookings = 200;
constexpr int burst_threads = 16;
constexpr int interrupt_after = 60;  // answers received before the interruption

struct burst_result {
  std::vector<calendar::instant> starts;
  std::vector<booking_outcome> outcomes;  // by slot index

  int count_status(unsigned status) const {
    return static_cast<int>(
        std::count_if(outcomes.begin(), outcomes.end(),
                      [&](const booking_outcome& o) { return o.status == status; }));
  }
};

class booking_crash : public calendar_api {
 protected:
  /// `n` distinct slot starts on the 30-minute grid, 08:00-19:30 Madrid, from tomorrow on.
  static std::vector<calendar::instant> grid(int n) {
    std::vector<calendar::instant> out;
    for (int day = 1; static_cast<int>(out.size()) < n; ++day)
      for (int half = 0; half < 24 && static_cast<int>(out.size()) < n; ++half)
        out.push_back(madrid(day, 8 + half / 2, (half % 2) * 30));
    return out;
  }

  /// Books every slot from `burst_threads` threads (each booking on its own connection) and
  /// calls `interrupt` once, from the thread that receives the `interrupt_after`-th answer.
  burst_result burst(const bookable_professional& pro, const std::function<void()>& interrupt) {
    burst_result res;
    res.starts = grid(burst_bookings);
    res.outcomes.resize(res.starts.size());
    auto patients = make_patients(burst_threads);
    std::atomic<std::size_t> next{0};
    std::atomic<int> answered{0};
    run_together(burst_threads, [&](int t) {
      for (auto i = next++; i < res.starts.size(); i = next++) {
        booking_outcome out;
        try {
          out = outcome_of(book(patients[static_cast<std::size_t>(t)], pro, res.starts[i]));
        } catch (const std::exception&) {
          // no answer (the server went away): not acknowledged
        }
        res.outcomes[i] = out;
        if (++answered == interrupt_after) interrupt();
      }
    });
    return res;
  }

  /// The acknowledged bookings are all in the database, occupying, without overlaps.
  void expect_acknowledged_kept(const bookable_professional& pro, const burst_result& res) {
    int acknowledged = 0;
    for (std::size_t i = 0; i < res.outcomes.size(); ++i) {
      const auto& o = res.outcomes[i];
      if (o.status != 201) continue;
      ++acknowledged;
      ASSERT_FALSE(o.id.empty());
      EXPECT_TRUE(occupying(o.id)) << "acknowledged booking " << o.id << " at "
                                   << rfc3339(res.starts[i]) << " is not in the database";
    }
    EXPECT_GE(occupying_rows(pro.profile_id), acknowledged);
    EXPECT_EQ(overlapping_pairs(pro.profile_id), 0);
  }

  /// No acknowledged booking is offered again. A row committed without its answer (the actor
  /// died first) may commit after the next incarnation loaded its state, so that incarnation can
  /// still offer the slot until its follow-up reload; booking such a slot is then refused by the
  /// database's exclusion constraint, never double-booked, and the refusal makes the calendar
  /// reload, so the slot is no longer offered.
  void expect_booked_slots_not_offered(const bookable_professional& pro, const burst_result& res) {
    auto offered = free_slots(pro, 14);
    std::set<std::string> free(offered.begin(), offered.end());
    int booked = 0;
    for (std::size_t i = 0; i < res.outcomes.size(); ++i) {
      const auto start = rfc3339(res.starts[i]);
      bool acknowledged = res.outcomes[i].status == 201;
      bool in_db = acknowledged ||
                   count(
                       "SELECT count(*) FROM appointments WHERE professional_id = $1::uuid"
                       " AND status IN ('pending', 'confirmed', 'in_progress') AND starts_at = '" +
                           start + "'::timestamptz",
                       pro.profile_id) == 1;
      if (!in_db) continue;
      ++booked;
      if (acknowledged) {
        EXPECT_EQ(free.count(start), 0u) << "acknowledged booking at " << start << " is offered";
      } else if (free.count(start) != 0) {
        auto again = book(make_patient(), pro, res.starts[i]);
        EXPECT_EQ(again.status, 409u) << start << ": " << again.body;
        auto now_offered = free_slots(pro, 14);
        EXPECT_EQ(std::count(now_offered.begin(), now_offered.end(), start), 0)
            << start << " is still offered after the database refused it";
      }
    }
    EXPECT_EQ(booked, occupying_rows(pro.profile_id) - 1);  // minus the warm-up booking
    EXPECT_EQ(overlapping_pairs(pro.profile_id), 0);
  }
};

TEST_F(booking_crash, a_calendar_killed_mid_burst_loses_no_acknowledged_booking) {
  auto pro = make_professional();
  // Warm up: the calendar actor runs before the burst starts.
  ASSERT_EQ(book(make_patient(), pro, madrid(20, 10)).status, 201u);
  ASSERT_EQ(ops_get("/ops/actors/calendar/" + pro.profile_id).status, 200u);

  std::atomic<bool> killed{false};
  auto res = burst(pro, [&] { killed = test_route(pro, "kill").status == 200; });
  ASSERT_TRUE(killed);

  expect_acknowledged_kept(pro, res);
  EXPECT_GT(res.count_status(201), interrupt_after / 2) << "the burst mostly failed";
  // The registry saw the crash and a fresh calendar serves the key.
  auto actors = ops_get("/ops/actors");
  ASSERT_EQ(actors.status, 200u) << actors.body;
  int64_t crashes = -1;
  for (const auto& k : actors.json.at("data").at("kinds"))
    if (k.value("kind", "") == "calendar") crashes = k.value("crashes", int64_t{-1});
  EXPECT_GE(crashes, 1) << actors.body;
  expect_booked_slots_not_offered(pro, res);
  // Every slot that is free in the database can still be booked.
  for (std::size_t i = 0; i < res.outcomes.size(); ++i) {
    if (res.outcomes[i].status == 201) continue;
    auto retry = book(make_patient(), pro, res.starts[i]);
    EXPECT_TRUE(retry.status == 201u || retry.status == 409u) << retry.body;
  }
  EXPECT_EQ(overlapping_pairs(pro.profile_id), 0);
}

// The runtime is stopped from a client thread, not the one that started it: the actor system
// must still shut down (see release_logger_reference in http/runtime.cpp).
TEST_F(booking_crash, a_runtime_stopped_mid_burst_loses_no_acknowledged_booking) {
  EXPECT_TRUE(stop());
  settings_.shutdown_grace_ms = 200;
  start();
  auto pro = make_professional();
  ASSERT_EQ(book(make_patient(), pro, madrid(20, 10)).status, 201u);

  std::mutex stopping;
  auto res = burst(pro, [&] {
    std::lock_guard<std::mutex> guard{stopping};
    stop();
  });
  EXPECT_GE(res.count_status(201), interrupt_after / 2);
  EXPECT_LT(res.count_status(201), burst_bookings) << "the runtime was not stopped mid-burst";
  expect_acknowledged_kept(pro, res);

  // A new runtime on the same database loads every booking.
  start();
  expect_booked_slots_not_offered(pro, res);
  for (std::size_t i = 0; i < res.outcomes.size(); ++i) {
    if (res.outcomes[i].status != 201) continue;
    auto again = book(make_patient(), pro, res.starts[i]);
    EXPECT_EQ(again.status, 409u) << rfc3339(res.starts[i]) << ": " << again.body;
    break;  // one is enough: the availability check above covers the rest
  }
}

}  // namespace
}  // namespace mundoctor::testing
