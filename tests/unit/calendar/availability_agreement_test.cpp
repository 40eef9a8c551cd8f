// free_slots() and check_slot() agree, plus prices and schedule validation.

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/calendar/availability.hpp"
#include "tests/unit/calendar/availability_fixtures.hpp"

namespace mundoctor::calendar {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test builders only
using std::chrono::minutes;

/// A busy Madrid week-long pattern with breaks, exceptions, buffers, appointments and holds.
schedule varied_schedule() {
  std::vector<weekly_rule> weekly;
  for (int dow = 0; dow < 7; ++dow) {
    auto morning = rule(dow, 60, 6 * 60 + 15);  // crosses 02:00-03:00 on change days
    auto afternoon = rule(dow, 15 * 60, 20 * 60 + 30);
    afternoon.breaks.push_back({17 * 60 + 15, 17 * 60 + 45});
    weekly.push_back(morning);
    weekly.push_back(afternoon);
  }
  auto s = open_schedule("Europe/Madrid", weekly);
  s.policy.slot_step_minutes = 15;
  s.policy.buffer_before_minutes = 15;
  s.policy.buffer_after_minutes = 15;
  s.policy.min_notice_minutes = 180;
  s.policy.horizon_days = 20;
  return s;
}

void add_exceptions(schedule& s, date::year_month_day first) {
  const auto d = [&](int n) { return date::year_month_day{date::sys_days{first} + date::days{n}}; };
  s.exceptions.push_back(exception_on(exception_type::day_off, d(3), d(3)));
  s.exceptions.push_back(exception_on(exception_type::vacation, d(8), d(9)));
  s.exceptions.push_back(
      exception_on(exception_type::special_hours, d(11), d(11), 9 * 60, 12 * 60));
  s.exceptions.push_back(
      exception_on(exception_type::block, d(12), d(13), 15 * 60 + 30, 16 * 60 + 45));
}

std::vector<occupancy> occupancies(instant from) {
  std::vector<occupancy> busy;
  for (int i = 0; i < 60; ++i) {  // every ~7h45m, 45 minutes long, alternating kinds
    const instant start = from + minutes{i * 465};
    const auto kind = i % 3 == 0 ? occupancy_kind::hold : occupancy_kind::appointment;
    busy.push_back(busy_block("o" + std::to_string(i), kind, start, start + minutes{45},
                              i % 2 == 0 ? "patient-a" : "patient-b"));
  }
  return busy;
}

struct agreement_case {
  schedule s;
  service_info svc = service(45);
  std::vector<occupancy> busy;
  date::year_month_day from;
  date::year_month_day to;
  instant now;
  std::string patient;
};

agreement_case make_case(date::year_month_day from, date::year_month_day to,
                         const std::string& patient) {
  agreement_case c;
  c.s = varied_schedule();
  add_exceptions(c.s, from);
  const instant range_start = date::sys_days{from} - date::days{1};
  c.busy = occupancies(range_start);
  c.from = from;
  c.to = to;
  c.now = range_start + minutes{10};
  c.patient = patient;
  return c;
}

/// Each start of `d` lies on its local date, was not offered before and passes check_slot().
void check_day(const agreement_case& c, const day_slots& d, std::set<instant>& offered) {
  EXPECT_TRUE(std::is_sorted(d.starts.begin(), d.starts.end()));
  for (auto t : d.starts) {
    const auto where = format_rfc3339_utc(t);
    EXPECT_EQ(local_date(c.s.zone, t), d.day) << where;
    EXPECT_TRUE(offered.insert(t).second) << "offered twice: " << where;
    EXPECT_EQ(check_slot(c.s, c.svc, c.busy, t, c.now, c.patient), slot_problem::none) << where;
  }
}

std::set<instant> offered_and_checked(const agreement_case& c) {
  std::set<instant> offered;
  for (const auto& d : free_slots(c.s, c.svc, c.busy, c.from, c.to, c.now, c.patient))
    check_day(c, d, offered);
  return offered;
}

/// The quarter-hour starts in the range that check_slot() accepts at the earliest instant of
/// their wall-clock label: exactly the ones free_slots() should offer on this schedule.
std::set<instant> bookable_grid_starts(const agreement_case& c) {
  const auto* zone = find_zone(c.s.zone);
  std::set<instant> out;
  for (instant t = date::sys_days{c.from} - date::days{1};
       zone != nullptr && t < date::sys_days{c.to} + date::days{2}; t += minutes{15}) {
    const auto day = local_date(c.s.zone, t);
    const bool in_range = c.from <= day && day <= c.to;
    const bool earliest = to_instant(*zone, zone->to_local(t)) == t;
    if (in_range && earliest &&
        check_slot(c.s, c.svc, c.busy, t, c.now, c.patient) == slot_problem::none)
      out.insert(t);
  }
  return out;
}

void expect_agreement(date::year_month_day from, date::year_month_day to,
                      const std::string& patient) {
  const auto c = make_case(from, to, patient);
  const auto offered = offered_and_checked(c);
  EXPECT_GT(offered.size(), 50u);
  const auto bookable = bookable_grid_starts(c);
  std::vector<std::string> missing;
  for (auto t : bookable)
    if (offered.count(t) == 0) missing.push_back(format_rfc3339_utc(t));
  EXPECT_TRUE(missing.empty()) << "bookable but not offered: " << ::testing::PrintToString(missing);
  EXPECT_EQ(bookable.size(), offered.size());
}

TEST(availability, free_slots_and_check_slot_agree_around_spring_forward) {
  expect_agreement(ymd(2026, 3, 20), ymd(2026, 4, 5), "patient-a");
}

TEST(availability, free_slots_and_check_slot_agree_around_fall_back) {
  expect_agreement(ymd(2026, 10, 15), ymd(2026, 11, 14), "patient-b");
  expect_agreement(ymd(2026, 10, 15), ymd(2026, 11, 14), "");
}

TEST(availability, effective_price_applies_a_valid_percent_discount_rounding_half_up) {
  auto svc = service();
  svc.price_cents = 4999;
  const auto t = at("2026-06-15T08:00:00Z");
  EXPECT_EQ(effective_price_cents(svc, t), 4999);
  svc.discount_percent = 15;  // 4249.15
  EXPECT_EQ(effective_price_cents(svc, t), 4249);
  svc.discount_percent = 50;  // 2499.5
  EXPECT_EQ(effective_price_cents(svc, t), 2500);
  svc.price_cents = 5;  // 2.5
  EXPECT_EQ(effective_price_cents(svc, t), 3);
  svc.discount_percent = 100;
  EXPECT_EQ(effective_price_cents(svc, t), 0);
  svc.discount_percent = 150;
  EXPECT_EQ(effective_price_cents(svc, t), 0);
}

TEST(availability, effective_price_applies_an_amount_discount_never_below_zero) {
  auto svc = service();
  svc.price_cents = 3000;
  svc.discount_amount_cents = 500;
  const auto t = at("2026-06-15T08:00:00Z");
  EXPECT_EQ(effective_price_cents(svc, t), 2500);
  svc.discount_amount_cents = 3500;
  EXPECT_EQ(effective_price_cents(svc, t), 0);
  svc.discount_amount_cents = -100;
  EXPECT_EQ(effective_price_cents(svc, t), 3000);
}

TEST(availability, effective_price_ignores_a_discount_outside_its_validity) {
  auto svc = service();
  svc.price_cents = 2000;
  svc.discount_percent = 25;
  svc.discount_valid_from = at("2026-06-01T00:00:00Z");
  svc.discount_valid_until = at("2026-06-30T23:59:59Z");
  EXPECT_EQ(effective_price_cents(svc, at("2026-05-31T23:59:59Z")), 2000);
  EXPECT_EQ(effective_price_cents(svc, at("2026-06-01T00:00:00Z")), 1500);
  EXPECT_EQ(effective_price_cents(svc, at("2026-06-30T23:59:59Z")), 1500);
  EXPECT_EQ(effective_price_cents(svc, at("2026-07-01T00:00:00Z")), 2000);
}

TEST(availability, overlapping_rules_reports_each_rule_that_overlaps_another) {
  auto a = rule(monday, 9 * 60, 13 * 60);
  a.id = "a";
  auto b = rule(monday, 12 * 60, 14 * 60);
  b.id = "b";
  auto c = rule(2, 9 * 60, 13 * 60);
  c.id = "c";
  auto d = rule(monday, 14 * 60, 18 * 60);  // touches b, overlaps nothing
  d.id = "d";
  EXPECT_EQ(overlapping_rules({a, b, c, d}), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(overlapping_rules({a, c, d}).empty());
  auto unnamed = rule(2, 12 * 60, 15 * 60);
  EXPECT_EQ(overlapping_rules({a, c, unnamed}), (std::vector<std::string>{"c", "2"}));
}

TEST(availability, overlapping_rules_ignores_rules_with_disjoint_effective_ranges) {
  auto winter = rule(monday, 9 * 60, 13 * 60);
  winter.id = "winter";
  winter.effective_until = ymd(2026, 3, 31);
  auto summer = rule(monday, 9 * 60, 13 * 60);
  summer.id = "summer";
  summer.effective_from = ymd(2026, 4, 1);
  EXPECT_TRUE(overlapping_rules({winter, summer}).empty());
  summer.effective_from = ymd(2026, 3, 31);  // both apply on 2026-03-31
  EXPECT_EQ(overlapping_rules({winter, summer}), (std::vector<std::string>{"winter", "summer"}));
}

}  // namespace
}  // namespace mundoctor::calendar
