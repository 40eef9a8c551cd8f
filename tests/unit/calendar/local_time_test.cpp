// Wall-clock conversions and the strict text forms of instants, dates and times.

#include "actors/calendar/local_time.hpp"

#include <string>

#include <gtest/gtest.h>

#include "tests/unit/calendar/availability_fixtures.hpp"

namespace mundoctor::calendar {
namespace {

using namespace testing;  // NOLINT(google-build-using-namespace): test builders only

TEST(local_time, rfc3339_utc_renders_every_field_zero_padded) {
  using std::chrono::seconds;
  EXPECT_EQ(format_rfc3339_utc(instant{seconds{0}}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(instant{seconds{1'774'746'061}}), "2026-03-29T01:01:01Z");
  EXPECT_EQ(format_rfc3339_utc(instant{seconds{1'798'761'599}}), "2026-12-31T23:59:59Z");
  EXPECT_EQ(format_rfc3339_utc(instant{seconds{-1}}), "1969-12-31T23:59:59Z");
}

TEST(local_time, to_instant_gives_nothing_for_a_missing_wall_time) {
  const date::local_days day{ymd(2026, 3, 29)};
  EXPECT_FALSE(to_instant("Europe/Madrid", day, 2 * 60).has_value());
  EXPECT_FALSE(to_instant("Europe/Madrid", day, 2 * 60 + 59).has_value());
  auto before = to_instant("Europe/Madrid", day, 60 + 59);
  auto after = to_instant("Europe/Madrid", day, 3 * 60);
  ASSERT_TRUE(before && after);
  EXPECT_EQ(format_rfc3339_utc(*before), "2026-03-29T00:59:00Z");
  EXPECT_EQ(format_rfc3339_utc(*after), "2026-03-29T01:00:00Z");
}

TEST(local_time, to_instant_gives_the_earliest_of_a_repeated_wall_time) {
  const date::local_days day{ymd(2026, 10, 25)};
  auto first = to_instant("Europe/Madrid", day, 2 * 60 + 30);
  auto three = to_instant("Europe/Madrid", day, 3 * 60);
  ASSERT_TRUE(first && three);
  EXPECT_EQ(format_rfc3339_utc(*first), "2026-10-25T00:30:00Z");
  EXPECT_EQ(format_rfc3339_utc(*three), "2026-10-25T02:00:00Z");
}

TEST(local_time, to_instant_handles_ordinary_days_midnight_and_unknown_zones) {
  const date::local_days day{ymd(2026, 6, 15)};
  EXPECT_EQ(format_rfc3339_utc(*to_instant("Europe/Madrid", day, 9 * 60)), "2026-06-15T07:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(*to_instant("Europe/Madrid", day, 24 * 60)), "2026-06-15T22:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(*to_instant("UTC", day, 0)), "2026-06-15T00:00:00Z");
  EXPECT_FALSE(to_instant("Europe/Atlantis", day, 0).has_value());
  EXPECT_FALSE(to_instant("", day, 0).has_value());
}

TEST(local_time, to_instant_clamped_moves_a_missing_time_past_the_gap) {
  const auto* madrid = find_zone("Europe/Madrid");
  ASSERT_NE(madrid, nullptr);
  const date::local_seconds half_past_two{date::local_days{ymd(2026, 3, 29)} +
                                          std::chrono::minutes{150}};
  EXPECT_EQ(format_rfc3339_utc(to_instant_clamped(*madrid, half_past_two)), "2026-03-29T01:00:00Z");
}

/// Counts the wall times of [first, first + days) every 15 minutes where a cursor and the free
/// functions disagree.
int cursor_disagreements(const char* zone_name, date::year_month_day first, int days) {
  const auto* zone = find_zone(zone_name);
  EXPECT_NE(zone, nullptr) << zone_name;
  if (zone == nullptr) return -1;
  zone_cursor cursor{*zone};
  int wrong = 0;
  const date::local_seconds begin{date::local_days{first}};
  for (auto local = begin; local < begin + date::days{days}; local += std::chrono::minutes{15}) {
    const auto expected = to_instant(*zone, local);
    wrong += cursor.to_instant(local) != expected ? 1 : 0;
    wrong += cursor.to_instant_clamped(local) != to_instant_clamped(*zone, local) ? 1 : 0;
    const instant t{local.time_since_epoch()};
    wrong += cursor.to_local(t) != zone->to_local(t) ? 1 : 0;
  }
  return wrong;
}

TEST(local_time, a_zone_cursor_answers_like_the_zone_database) {
  EXPECT_EQ(cursor_disagreements("Europe/Madrid", ymd(2026, 1, 1), 365), 0);
  EXPECT_EQ(cursor_disagreements("Australia/Lord_Howe", ymd(2026, 3, 20), 40), 0);  // 30-min DST
  EXPECT_EQ(cursor_disagreements("Pacific/Apia", ymd(2011, 12, 20), 20), 0);        // skipped a day
  EXPECT_EQ(cursor_disagreements("Asia/Tokyo", ymd(2026, 1, 1), 30), 0);
}

TEST(local_time, local_date_follows_the_zone) {
  const auto t = at("2026-03-28T23:30:00Z");
  EXPECT_EQ(local_date("Europe/Madrid", t), ymd(2026, 3, 29));
  EXPECT_EQ(local_date("America/Bogota", t), ymd(2026, 3, 28));
  EXPECT_EQ(local_date("UTC", t), ymd(2026, 3, 28));
  EXPECT_EQ(local_date("Not/AZone", t), ymd(2026, 3, 28));  // falls back to UTC
}

TEST(local_time, knows_real_zones_only) {
  EXPECT_TRUE(is_known_zone("Europe/Madrid"));
  EXPECT_TRUE(is_known_zone("Asia/Tokyo"));
  EXPECT_FALSE(is_known_zone("Europe/Madrid "));
  EXPECT_FALSE(is_known_zone("Madrid"));
  EXPECT_FALSE(is_known_zone(""));
}

TEST(local_time, parses_rfc3339_instants_with_offsets_and_fractions) {
  const auto base = at("2026-03-29T08:30:00Z");
  EXPECT_EQ(base, instant{date::sys_days{ymd(2026, 3, 29)}} + std::chrono::minutes{8 * 60 + 30});
  EXPECT_EQ(parse_rfc3339("2026-03-29T10:30:00+02:00"), base);
  EXPECT_EQ(parse_rfc3339("2026-03-29T03:30:00-05:00"), base);
  EXPECT_EQ(parse_rfc3339("2026-03-29T08:30:00.999Z"), base);
  EXPECT_EQ(parse_rfc3339("2026-03-29T08:30:00.5+00:00"), base);
  EXPECT_EQ(parse_rfc3339("2026-03-29t08:30:00z"), base);
  EXPECT_EQ(parse_rfc3339("2026-03-29T00:30:00+09:00"), at("2026-03-28T15:30:00Z"));
}

TEST(local_time, rejects_malformed_rfc3339_instants) {
  for (const char* bad : {"",
                          "2026-03-29",
                          "2026-03-29T08:30Z",
                          "2026-03-29 08:30:00Z",
                          "2026-03-29T08:30:00",
                          "2026-02-30T08:30:00Z",
                          "2026-13-01T08:30:00Z",
                          "2026-03-29T24:00:00Z",
                          "2026-03-29T08:60:00Z",
                          "2026-03-29T08:30:60Z",
                          "2026-03-29T08:30:00+0200",
                          "2026-03-29T08:30:00+24:00",
                          "2026-03-29T08:30:00+02:60",
                          "2026-03-29T08:30:00.Z",
                          "2026-03-29T08:30:00ZZ",
                          "2026-03-29T08:30:00Z ",
                          " 2026-03-29T08:30:00Z",
                          "2026-3-29T08:30:00Z",
                          "2026-03-29T8:30:00Z",
                          "2026-03-29T08:30:00+2:00",
                          "+026-03-29T08:30:00Z",
                          "2026-03-29T08:30:0aZ"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(local_time, formats_instants_in_utc_and_in_a_zone) {
  const auto t = at("2026-03-28T23:30:00Z");
  EXPECT_EQ(format_rfc3339_utc(t), "2026-03-28T23:30:00Z");
  EXPECT_EQ(parse_rfc3339(format_rfc3339_utc(t)), t);
  EXPECT_EQ(format_local("Europe/Madrid", t, "%Y-%m-%d"), "2026-03-29");
  EXPECT_EQ(format_local("Europe/Madrid", t, "%H:%M"), "00:30");
  EXPECT_EQ(format_local("Europe/Madrid", at("2026-03-29T01:00:00Z"), "%H:%M %Z"), "03:00 CEST");
  EXPECT_EQ(format_local("Asia/Tokyo", t, "%Y-%m-%d %H:%M"), "2026-03-29 08:30");
  EXPECT_EQ(format_local("Nowhere/At_All", t, "%H:%M"), "23:30");
}

TEST(local_time, parses_strict_dates) {
  EXPECT_EQ(parse_date("2026-03-29"), ymd(2026, 3, 29));
  EXPECT_EQ(parse_date("2024-02-29"), ymd(2024, 2, 29));
  for (const char* bad : {"", "2026-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01",
                          "2026/01/01", "20260101", "2026-01-011", "2026-01-0a", " 2026-01-01"}) {
    EXPECT_FALSE(parse_date(bad).has_value()) << bad;
  }
}

TEST(local_time, parses_strict_wall_times) {
  EXPECT_EQ(parse_hhmm("00:00"), 0);
  EXPECT_EQ(parse_hhmm("09:30"), 9 * 60 + 30);
  EXPECT_EQ(parse_hhmm("23:59"), 23 * 60 + 59);
  EXPECT_EQ(parse_hhmm("24:00"), 24 * 60);
  for (const char* bad : {"", "24:01", "25:00", "9:30", "09:60", "0930", "09:30:00", "ab:cd",
                          "-1:00", "09-30", " 9:30"}) {
    EXPECT_FALSE(parse_hhmm(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace mundoctor::calendar
