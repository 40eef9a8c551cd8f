// Working hours, exceptions, policy and occupancy rules of the availability computation.

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/calendar/availability.hpp"
#include "tests/unit/calendar/availability_fixtures.hpp"

namespace mundoctor::calendar {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test builders only
using strings = std::vector<std::string>;

// Monday 2026-06-15, Madrid in summer time (UTC+2).
const auto a_monday = ymd(2026, 6, 15);

schedule mornings(int step = 30) {
  auto s = open_schedule("Europe/Madrid", {rule(monday, 9 * 60, 13 * 60)});
  s.policy.slot_step_minutes = step;
  return s;
}

strings monday_labels(const schedule& s, const service_info& svc,
                      const std::vector<occupancy>& busy = {}, instant now = long_ago(),
                      const std::string& patient = {}) {
  return labels(s.zone, slots_on(s, svc, busy, a_monday, now, patient));
}

TEST(availability, offers_the_weekly_grid) {
  EXPECT_EQ(monday_labels(mornings(), service()),
            (strings{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30"}));
  EXPECT_EQ(monday_labels(mornings(), service(60)),
            (strings{"09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00"}));
  EXPECT_TRUE(monday_labels(mornings(), service(5 * 60)).empty());
}

TEST(availability, an_appointment_buffer_after_hides_the_next_grid_start) {
  // 10:00-10:30 local with 10 minutes of buffer after: occupied [10:00, 10:40).
  auto appt = busy_block("a1", occupancy_kind::appointment, at("2026-06-15T08:00:00Z"),
                         at("2026-06-15T08:40:00Z"));
  EXPECT_EQ(monday_labels(mornings(15), service(), {appt}),
            (strings{"09:00", "09:15", "09:30", "10:45", "11:00", "11:15", "11:30", "11:45",
                     "12:00", "12:15", "12:30"}));
}

TEST(availability, the_booked_service_buffers_widen_its_block) {
  auto appt = busy_block("a1", occupancy_kind::appointment, at("2026-06-15T08:00:00Z"),
                         at("2026-06-15T08:40:00Z"));
  auto s = mornings(15);
  s.policy.buffer_before_minutes = 10;
  s.policy.buffer_after_minutes = 10;
  // 09:30 needs [09:20, 10:10): taken; 09:15 needs [09:05, 09:55): free;
  // 10:45 needs [10:35, 11:25): taken; 11:00 needs [10:50, 11:40): free.
  EXPECT_EQ(
      monday_labels(s, service(), {appt}),
      (strings{"09:00", "09:15", "11:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30"}));
  auto svc = service();
  svc.buffer_before_minutes = 0;  // the service overrides the policy's 10 minutes before
  EXPECT_EQ(monday_labels(s, svc, {appt}), (strings{"09:00", "09:15", "10:45", "11:00", "11:15",
                                                    "11:30", "11:45", "12:00", "12:15", "12:30"}));
}

TEST(availability, block_of_applies_policy_buffers_unless_the_service_overrides_them) {
  booking_policy p;
  p.buffer_before_minutes = 5;
  p.buffer_after_minutes = 10;
  auto svc = service(45);
  const auto start = at("2026-06-15T08:00:00Z");
  auto b = block_of(p, svc, start);
  EXPECT_EQ(format_rfc3339_utc(b.start), "2026-06-15T07:55:00Z");
  EXPECT_EQ(format_rfc3339_utc(b.end), "2026-06-15T08:55:00Z");
  svc.buffer_before_minutes = 0;
  svc.buffer_after_minutes = 20;
  b = block_of(p, svc, start);
  EXPECT_EQ(format_rfc3339_utc(b.start), "2026-06-15T08:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(b.end), "2026-06-15T09:05:00Z");
}

TEST(availability, breaks_split_the_working_day) {
  auto r = rule(monday, 9 * 60, 14 * 60);
  r.breaks.push_back({11 * 60, 12 * 60});
  auto s = open_schedule("Europe/Madrid", {r});
  auto w = working_intervals(s, a_monday);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(format_rfc3339_utc(w[0].end), "2026-06-15T09:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(w[1].start), "2026-06-15T10:00:00Z");
  EXPECT_EQ(monday_labels(s, service()),
            (strings{"09:00", "09:30", "10:00", "10:30", "12:00", "12:30", "13:00", "13:30"}));
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-15T08:45:00Z"), long_ago(), ""),
            slot_problem::outside_working_hours);  // 10:45-11:15 runs into the break
}

TEST(availability, day_off_and_vacation_remove_whole_days) {
  auto s = mornings();
  s.exceptions.push_back(exception_on(exception_type::day_off, a_monday, a_monday));
  EXPECT_TRUE(working_intervals(s, a_monday).empty());
  EXPECT_TRUE(monday_labels(s, service()).empty());
  EXPECT_EQ(slots_on(s, service(), {}, ymd(2026, 6, 22), long_ago()).size(), 8u);

  auto v = mornings();
  v.exceptions.push_back(
      exception_on(exception_type::vacation, ymd(2026, 6, 20), ymd(2026, 6, 22)));
  EXPECT_EQ(slots_on(v, service(), {}, a_monday, long_ago()).size(), 8u);
  EXPECT_TRUE(slots_on(v, service(), {}, ymd(2026, 6, 22), long_ago()).empty());
  EXPECT_EQ(slots_on(v, service(), {}, ymd(2026, 6, 29), long_ago()).size(), 8u);
}

TEST(availability, special_hours_replace_the_weekly_rule) {
  auto s = mornings();
  s.exceptions.push_back(
      exception_on(exception_type::special_hours, a_monday, a_monday, 16 * 60, 17 * 60));
  EXPECT_EQ(monday_labels(s, service()), (strings{"16:00", "16:30"}));
  // on a Saturday without weekly rules they open the day
  s.exceptions.push_back(exception_on(exception_type::special_hours, ymd(2026, 6, 20),
                                      ymd(2026, 6, 20), 10 * 60, 11 * 60));
  EXPECT_EQ(labels(s.zone, slots_on(s, service(), {}, ymd(2026, 6, 20), long_ago())),
            (strings{"10:00", "10:30"}));
  // a day off still wins
  s.exceptions.push_back(exception_on(exception_type::day_off, a_monday, a_monday));
  EXPECT_TRUE(monday_labels(s, service()).empty());
}

TEST(availability, a_block_removes_its_time_range) {
  auto s = mornings();
  s.exceptions.push_back(
      exception_on(exception_type::block, a_monday, a_monday, 10 * 60, 11 * 60 + 15));
  EXPECT_EQ(monday_labels(s, service()), (strings{"09:00", "09:30", "11:15", "11:45", "12:15"}));
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-15T08:00:00Z"), long_ago(), ""),
            slot_problem::outside_working_hours);
  auto whole = mornings();
  whole.exceptions.push_back(exception_on(exception_type::block, a_monday, a_monday));
  EXPECT_TRUE(monday_labels(whole, service()).empty());
}

TEST(availability, effective_dates_bound_a_rule_inclusively) {
  auto r = rule(monday, 9 * 60, 10 * 60);
  r.effective_from = ymd(2026, 6, 22);
  r.effective_until = ymd(2026, 6, 29);
  auto s = open_schedule("Europe/Madrid", {r});
  auto days = free_slots(s, service(), {}, ymd(2026, 6, 15), ymd(2026, 7, 6), long_ago());
  ASSERT_EQ(days.size(), 22u);
  EXPECT_TRUE(days[0].starts.empty());    // 06-15, before
  EXPECT_EQ(days[7].starts.size(), 2u);   // 06-22, first day
  EXPECT_EQ(days[14].starts.size(), 2u);  // 06-29, last day
  EXPECT_TRUE(days[21].starts.empty());   // 07-06, after
  EXPECT_EQ(days[7].day, ymd(2026, 6, 22));
}

TEST(availability, min_notice_hides_starts_too_close_to_now) {
  auto s = mornings();
  s.policy.min_notice_minutes = 120;
  const auto now = at("2026-06-15T07:10:00Z");  // 09:10 local
  EXPECT_EQ(monday_labels(s, service(), {}, now), (strings{"11:30", "12:00", "12:30"}));
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-15T09:00:00Z"), now, ""),
            slot_problem::too_soon);
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-15T09:10:00Z"), now, ""),
            slot_problem::none);  // exactly the notice, off the grid
}

TEST(availability, the_horizon_hides_starts_too_far_ahead) {
  auto s = mornings();
  s.policy.horizon_days = 7;
  const auto now = at("2026-06-15T08:00:00Z");  // 10:00 local
  auto days = free_slots(s, service(), {}, ymd(2026, 6, 22), ymd(2026, 6, 22), now);
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(labels(s.zone, days[0].starts), (strings{"09:00", "09:30"}));
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-22T08:00:00Z"), now, ""),
            slot_problem::too_far);
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-22T07:30:00Z"), now, ""), slot_problem::none);
}

TEST(availability, another_patients_hold_blocks_but_ones_own_does_not) {
  auto hold = busy_block("h1", occupancy_kind::hold, at("2026-06-15T08:00:00Z"),
                         at("2026-06-15T08:30:00Z"), "patient-a");
  const auto free_all = monday_labels(mornings(), service());
  const auto others = monday_labels(mornings(), service(), {hold}, long_ago(), "patient-b");
  const auto own = monday_labels(mornings(), service(), {hold}, long_ago(), "patient-a");
  const auto anonymous = monday_labels(mornings(), service(), {hold});
  EXPECT_EQ(own, free_all);
  EXPECT_EQ(others.size(), free_all.size() - 1);
  EXPECT_EQ(std::count(others.begin(), others.end(), "10:00"), 0);
  EXPECT_EQ(anonymous, others);
  const auto start = at("2026-06-15T08:00:00Z");
  EXPECT_EQ(check_slot(mornings(), service(), {hold}, start, long_ago(), "patient-b"),
            slot_problem::slot_taken);
  EXPECT_EQ(check_slot(mornings(), service(), {hold}, start, long_ago(), "patient-a"),
            slot_problem::none);
}

TEST(availability, a_patients_own_appointment_still_blocks) {
  auto appt = busy_block("a1", occupancy_kind::appointment, at("2026-06-15T08:00:00Z"),
                         at("2026-06-15T08:30:00Z"), "patient-a");
  EXPECT_EQ(check_slot(mornings(), service(), {appt}, at("2026-06-15T08:00:00Z"), long_ago(),
                       "patient-a"),
            slot_problem::slot_taken);
}

TEST(availability, a_long_occupancy_is_found_among_later_short_ones) {
  // The long block starts first; binary search on starts alone would miss it.
  std::vector<occupancy> busy{busy_block("long", occupancy_kind::appointment,
                                         at("2026-06-15T07:00:00Z"), at("2026-06-15T10:00:00Z")),
                              busy_block("short", occupancy_kind::appointment,
                                         at("2026-06-15T08:00:00Z"), at("2026-06-15T08:30:00Z"))};
  EXPECT_EQ(monday_labels(mornings(), service(), busy), (strings{"12:00", "12:30"}));
  std::swap(busy[0], busy[1]);  // unsorted input gives the same answer
  EXPECT_EQ(monday_labels(mornings(), service(), busy), (strings{"12:00", "12:30"}));
}

TEST(availability, an_inactive_service_has_no_slots) {
  auto svc = service();
  svc.active = false;
  auto days = free_slots(mornings(), svc, {}, a_monday, ymd(2026, 6, 16), long_ago());
  ASSERT_EQ(days.size(), 2u);
  EXPECT_TRUE(days[0].starts.empty());
  EXPECT_TRUE(days[1].starts.empty());
  EXPECT_EQ(check_slot(mornings(), svc, {}, at("2026-06-15T08:00:00Z"), long_ago(), ""),
            slot_problem::service_inactive);
}

TEST(availability, check_slot_rejects_starts_outside_working_hours) {
  auto s = mornings();
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-15T06:30:00Z"), long_ago(), ""),
            slot_problem::outside_working_hours);  // 08:30 local
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-15T10:45:00Z"), long_ago(), ""),
            slot_problem::outside_working_hours);  // 12:45-13:15 runs past the end
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-15T10:30:00Z"), long_ago(), ""),
            slot_problem::none);  // 12:30-13:00 ends exactly at the end
  EXPECT_EQ(check_slot(s, service(), {}, at("2026-06-16T08:00:00Z"), long_ago(), ""),
            slot_problem::outside_working_hours);  // a Tuesday
}

TEST(availability, lists_every_date_of_the_range) {
  auto days = free_slots(mornings(), service(), {}, ymd(2026, 6, 1), ymd(2026, 7, 1), long_ago());
  ASSERT_EQ(days.size(), 31u);
  EXPECT_EQ(days.front().day, ymd(2026, 6, 1));
  EXPECT_EQ(days.back().day, ymd(2026, 7, 1));
  const auto non_empty =
      std::count_if(days.begin(), days.end(), [](const day_slots& d) { return !d.starts.empty(); });
  EXPECT_EQ(non_empty, 5);  // the Mondays of June 2026
}

TEST(availability, refuses_reversed_and_too_long_ranges) {
  const auto s = mornings();
  EXPECT_TRUE(free_slots(s, service(), {}, ymd(2026, 6, 2), ymd(2026, 6, 1), long_ago()).empty());
  EXPECT_EQ(free_slots(s, service(), {}, ymd(2026, 6, 1), ymd(2026, 8, 1), long_ago()).size(), 62u);
  EXPECT_TRUE(free_slots(s, service(), {}, ymd(2026, 6, 1), ymd(2026, 8, 2), long_ago()).empty());
}

TEST(availability, machine_codes_name_each_problem) {
  EXPECT_STREQ(machine_code(slot_problem::outside_working_hours), "OUTSIDE_WORKING_HOURS");
  EXPECT_STREQ(machine_code(slot_problem::too_soon), "TOO_SOON");
  EXPECT_STREQ(machine_code(slot_problem::too_far), "TOO_FAR");
  EXPECT_STREQ(machine_code(slot_problem::slot_taken), "SLOT_TAKEN");
  EXPECT_STREQ(machine_code(slot_problem::service_inactive), "SERVICE_INACTIVE");
  EXPECT_STREQ(machine_code(slot_problem::none), "");
}

}  // namespace
}  // namespace mundoctor::calendar
