// Availability on daylight-saving change days and in zones without DST.

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

schedule madrid_sundays() {
  return open_schedule("Europe/Madrid", {rule(sunday, 0, 6 * 60), rule(sunday, 16 * 60, 20 * 60)});
}

TEST(availability, working_hours_across_the_spring_forward_gap_cover_real_hours) {
  auto s = open_schedule("Europe/Madrid", {rule(sunday, 60, 4 * 60)});
  auto w = working_intervals(s, ymd(2026, 3, 29));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(format_rfc3339_utc(w[0].start), "2026-03-29T00:00:00Z");  // 01:00 CET
  EXPECT_EQ(format_rfc3339_utc(w[0].end), "2026-03-29T02:00:00Z");    // 04:00 CEST
  EXPECT_EQ(w[0].end - w[0].start, std::chrono::hours{2});
}

TEST(availability, a_range_starting_in_the_missing_hour_starts_after_the_gap) {
  auto s = open_schedule("Europe/Madrid", {rule(sunday, 2 * 60 + 30, 5 * 60)});
  auto w = working_intervals(s, ymd(2026, 3, 29));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(format_rfc3339_utc(w[0].start), "2026-03-29T01:00:00Z");  // 03:00 CEST
  EXPECT_EQ(format_rfc3339_utc(w[0].end), "2026-03-29T03:00:00Z");
}

TEST(availability, working_hours_across_the_fall_back_hour_cover_real_hours) {
  auto w = working_intervals(madrid_sundays(), ymd(2026, 10, 25));
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(format_rfc3339_utc(w[0].start), "2026-10-24T22:00:00Z");  // 00:00 CEST
  EXPECT_EQ(format_rfc3339_utc(w[0].end), "2026-10-25T05:00:00Z");    // 06:00 CET
  EXPECT_EQ(format_rfc3339_utc(w[1].start), "2026-10-25T15:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(w[1].end), "2026-10-25T19:00:00Z");
}

TEST(availability, skips_the_missing_hour_on_spring_forward) {
  auto s = madrid_sundays();
  auto starts = slots_on(s, service(), {}, ymd(2026, 3, 29), long_ago());
  EXPECT_EQ(
      labels(s.zone, starts),
      (strings{"00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30", "05:00",
               "05:30", "16:00", "16:30", "17:00", "17:30", "18:00", "18:30", "19:00", "19:30"}));
  EXPECT_EQ(utc(starts),
            (strings{"2026-03-28T23:00:00Z", "2026-03-28T23:30:00Z", "2026-03-29T00:00:00Z",
                     "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z",
                     "2026-03-29T02:00:00Z", "2026-03-29T02:30:00Z", "2026-03-29T03:00:00Z",
                     "2026-03-29T03:30:00Z", "2026-03-29T14:00:00Z", "2026-03-29T14:30:00Z",
                     "2026-03-29T15:00:00Z", "2026-03-29T15:30:00Z", "2026-03-29T16:00:00Z",
                     "2026-03-29T16:30:00Z", "2026-03-29T17:00:00Z", "2026-03-29T17:30:00Z"}));
}

TEST(availability, a_slot_may_span_the_spring_forward_gap_in_real_time) {
  // 01:30 CET + 60 real minutes = 03:30 CEST, still inside 00:00-06:00.
  auto s = madrid_sundays();
  auto starts = slots_on(s, service(60), {}, ymd(2026, 3, 29), long_ago());
  ASSERT_FALSE(starts.empty());
  EXPECT_NE(std::find(starts.begin(), starts.end(), at("2026-03-29T00:30:00Z")), starts.end());
  EXPECT_EQ(check_slot(s, service(60), {}, at("2026-03-29T00:30:00Z"), long_ago(), ""),
            slot_problem::none);
}

TEST(availability, offers_the_repeated_hour_once_on_fall_back) {
  auto s = madrid_sundays();
  auto starts = slots_on(s, service(), {}, ymd(2026, 10, 25), long_ago());
  EXPECT_EQ(labels(s.zone, starts),
            (strings{"00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00",
                     "03:30", "04:00", "04:30", "05:00", "05:30", "16:00", "16:30",
                     "17:00", "17:30", "18:00", "18:30", "19:00", "19:30"}));
  EXPECT_EQ(utc(starts),
            (strings{"2026-10-24T22:00:00Z", "2026-10-24T22:30:00Z", "2026-10-24T23:00:00Z",
                     "2026-10-24T23:30:00Z", "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z",
                     "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z", "2026-10-25T03:00:00Z",
                     "2026-10-25T03:30:00Z", "2026-10-25T04:00:00Z", "2026-10-25T04:30:00Z",
                     "2026-10-25T15:00:00Z", "2026-10-25T15:30:00Z", "2026-10-25T16:00:00Z",
                     "2026-10-25T16:30:00Z", "2026-10-25T17:00:00Z", "2026-10-25T17:30:00Z",
                     "2026-10-25T18:00:00Z", "2026-10-25T18:30:00Z"}));
}

TEST(availability, the_second_occurrence_of_the_repeated_hour_is_working_time_when_asked) {
  // Not on the offered grid, but a direct booking at 02:00 CET is inside working hours.
  EXPECT_EQ(check_slot(madrid_sundays(), service(), {}, at("2026-10-25T01:00:00Z"), long_ago(), ""),
            slot_problem::none);
}

TEST(availability, afternoon_slots_use_the_offset_in_force_that_afternoon) {
  auto s = madrid_sundays();
  auto spring = slots_on(s, service(), {}, ymd(2026, 3, 29), long_ago());
  auto autumn = slots_on(s, service(), {}, ymd(2026, 10, 25), long_ago());
  auto before = slots_on(s, service(), {}, ymd(2026, 3, 22), long_ago());
  ASSERT_EQ(spring.size(), 18u);
  ASSERT_EQ(autumn.size(), 20u);
  ASSERT_EQ(before.size(), 20u);
  EXPECT_EQ(format_rfc3339_utc(spring[10]), "2026-03-29T14:00:00Z");  // 16:00 CEST
  EXPECT_EQ(format_rfc3339_utc(autumn[12]), "2026-10-25T15:00:00Z");  // 16:00 CET
  EXPECT_EQ(format_rfc3339_utc(before[12]), "2026-03-22T15:00:00Z");  // 16:00 CET, a week before
}

/// The Sunday 09:00-12:00 slots of `zone` on `day`, as UTC strings.
strings sunday_morning_in(const std::string& zone, date::year_month_day day) {
  auto s = open_schedule(zone, {rule(sunday, 9 * 60, 12 * 60, zone)});
  return utc(slots_on(s, service(), {}, day, long_ago()));
}

TEST(availability, a_zone_without_dst_is_regular_on_european_change_days) {
  const strings tokyo{"2026-03-29T00:00:00Z", "2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z",
                      "2026-03-29T01:30:00Z", "2026-03-29T02:00:00Z", "2026-03-29T02:30:00Z"};
  EXPECT_EQ(sunday_morning_in("Asia/Tokyo", ymd(2026, 3, 29)), tokyo);
  const strings tokyo_autumn{"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z",
                             "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z",
                             "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z"};
  EXPECT_EQ(sunday_morning_in("Asia/Tokyo", ymd(2026, 10, 25)), tokyo_autumn);
  const strings bogota{"2026-10-25T14:00:00Z", "2026-10-25T14:30:00Z", "2026-10-25T15:00:00Z",
                       "2026-10-25T15:30:00Z", "2026-10-25T16:00:00Z", "2026-10-25T16:30:00Z"};
  EXPECT_EQ(sunday_morning_in("America/Bogota", ymd(2026, 10, 25)), bogota);
  const strings bogota_spring{"2026-03-29T14:00:00Z", "2026-03-29T14:30:00Z",
                              "2026-03-29T15:00:00Z", "2026-03-29T15:30:00Z",
                              "2026-03-29T16:00:00Z", "2026-03-29T16:30:00Z"};
  EXPECT_EQ(sunday_morning_in("America/Bogota", ymd(2026, 3, 29)), bogota_spring);
}

TEST(availability, a_rule_in_another_zone_is_converted_in_its_own_zone) {
  auto s = open_schedule("Europe/Madrid", {rule(monday, 9 * 60, 10 * 60, "America/Bogota")});
  auto w = working_intervals(s, ymd(2026, 6, 15));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(format_rfc3339_utc(w[0].start), "2026-06-15T14:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(w[0].end), "2026-06-15T15:00:00Z");
  auto starts = slots_on(s, service(), {}, ymd(2026, 6, 15), long_ago());
  EXPECT_EQ(labels("Europe/Madrid", starts), (strings{"16:00", "16:30"}));
}

TEST(availability, an_unknown_zone_offers_nothing) {
  auto s = open_schedule("Mars/Olympus_Mons", {rule(monday, 9 * 60, 17 * 60, "Europe/Madrid")});
  EXPECT_TRUE(working_intervals(s, ymd(2026, 6, 15)).empty());
  EXPECT_TRUE(slots_on(s, service(), {}, ymd(2026, 6, 15), long_ago()).empty());
  auto bad_rule = open_schedule("Europe/Madrid", {rule(monday, 9 * 60, 17 * 60, "Nowhere/City")});
  EXPECT_TRUE(working_intervals(bad_rule, ymd(2026, 6, 15)).empty());
}

}  // namespace
}  // namespace mundoctor::calendar
