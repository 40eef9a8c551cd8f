#include <gtest/gtest.h>

#include "http/routes/catalogue_requests.hpp"
#include "tests/unit/catalogue/catalogue_test_support.hpp"

namespace mundoctor::http {
namespace {

using nlohmann::json;
using testing::code_of;
using testing::fields_of;

json monday_morning() {
  return {{"day_of_week", 1},
          {"start_time", "09:00"},
          {"end_time", "14:00"},
          {"timezone", "Europe/Madrid"},
          {"effective_from", "2026-01-01"},
          {"effective_until", "2026-12-31"},
          {"breaks", {{{"start_time", "11:00"}, {"end_time", "11:30"}}}}};
}

// The errors of a rule body (parsed for creation) plus its cross-field check.
json rule_errors(const json& body) {
  auto errors = json::array();
  auto patch = parse_rule(body, true, errors);
  if (!errors.empty()) return errors;
  return check_rule(apply_patch(patch, calendar::weekly_rule{}));
}

json with(json body, const std::string& field, const json& value) {
  body[field] = value;
  return body;
}

TEST(day_of_week, reads_numbers_and_english_or_spanish_names_in_any_case) {
  for (int d = 0; d <= 6; ++d) EXPECT_EQ(parse_day_of_week(d), d);
  EXPECT_EQ(parse_day_of_week("sunday"), 0);
  EXPECT_EQ(parse_day_of_week("Monday"), 1);
  EXPECT_EQ(parse_day_of_week("TUESDAY"), 2);
  EXPECT_EQ(parse_day_of_week("domingo"), 0);
  EXPECT_EQ(parse_day_of_week("LUNES"), 1);
  EXPECT_EQ(parse_day_of_week("Martes"), 2);
  EXPECT_EQ(parse_day_of_week("miércoles"), 3);
  EXPECT_EQ(parse_day_of_week("MIÉRCOLES"), 3);
  EXPECT_EQ(parse_day_of_week("miercoles"), 3);
  EXPECT_EQ(parse_day_of_week("Jueves"), 4);
  EXPECT_EQ(parse_day_of_week("viernes"), 5);
  EXPECT_EQ(parse_day_of_week("sábado"), 6);
  EXPECT_EQ(parse_day_of_week("SÁBADO"), 6);
  EXPECT_EQ(parse_day_of_week("sabado"), 6);
  EXPECT_EQ(parse_day_of_week("3"), 3);
}

TEST(day_of_week, refuses_anything_else) {
  EXPECT_FALSE(parse_day_of_week(7));
  EXPECT_FALSE(parse_day_of_week(-1));
  EXPECT_FALSE(parse_day_of_week(1.5));
  EXPECT_FALSE(parse_day_of_week(true));
  EXPECT_FALSE(parse_day_of_week("funday"));
  EXPECT_FALSE(parse_day_of_week("mon"));
  EXPECT_FALSE(parse_day_of_week(""));
  EXPECT_FALSE(parse_day_of_week(nullptr));
}

TEST(rule_request, a_full_rule_is_read_into_every_field) {
  auto errors = json::array();
  auto patch = parse_rule(monday_morning(), true, errors);
  ASSERT_TRUE(errors.empty()) << errors.dump();
  auto r = apply_patch(patch, calendar::weekly_rule{});
  EXPECT_EQ(r.day_of_week, 1);
  EXPECT_EQ(r.start_minute, 9 * 60);
  EXPECT_EQ(r.end_minute, 14 * 60);
  EXPECT_EQ(r.zone, "Europe/Madrid");
  EXPECT_EQ(r.effective_from, date::year_month_day{date::year{2026} / 1 / 1});
  EXPECT_EQ(r.effective_until, date::year_month_day{date::year{2026} / 12 / 31});
  ASSERT_EQ(r.breaks.size(), 1u);
  EXPECT_EQ(r.breaks[0].start_minute, 11 * 60);
  EXPECT_EQ(r.breaks[0].end_minute, 11 * 60 + 30);
  EXPECT_TRUE(check_rule(r).empty());
}

TEST(rule_request, creating_requires_day_start_and_end) {
  auto errors = json::array();
  auto patch = parse_rule(json::object(), true, errors);
  EXPECT_EQ(fields_of(errors), (std::vector<std::string>{"day_of_week", "start_time", "end_time"}));
  EXPECT_FALSE(patch.zone) << "the zone defaults to the professional's";
  auto update_errors = json::array();
  parse_rule(json::object(), false, update_errors);
  EXPECT_TRUE(update_errors.empty());
}

TEST(rule_request, times_are_hh_mm) {
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "start_time", "9:00")), "start_time"),
            "INVALID_TIME");
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "start_time", "25:00")), "start_time"),
            "INVALID_TIME");
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "end_time", "12:60")), "end_time"),
            "INVALID_TIME");
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "end_time", 1400)), "end_time"),
            "INVALID_TIME");
  EXPECT_TRUE(rule_errors(with(monday_morning(), "end_time", "24:00")).empty())
      << "24:00 ends a range at midnight";
}

TEST(rule_request, the_end_comes_after_the_start) {
  auto body = with(with(monday_morning(), "start_time", "14:00"), "end_time", "14:00");
  body.erase("breaks");
  EXPECT_EQ(code_of(rule_errors(body), "end_time"), "INVALID_RANGE");
  EXPECT_EQ(code_of(rule_errors(with(body, "end_time", "13:59")), "end_time"), "INVALID_RANGE");
}

TEST(rule_request, the_day_is_0_to_6_or_a_name) {
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "day_of_week", 7)), "day_of_week"),
            "INVALID_VALUE");
  EXPECT_TRUE(rule_errors(with(monday_morning(), "day_of_week", "Viernes")).empty());
}

TEST(rule_request, the_timezone_is_a_known_iana_zone) {
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "timezone", "Mars/Olympus")), "timezone"),
            "INVALID_TIMEZONE");
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "timezone", 1)), "timezone"),
            "INVALID_TIMEZONE");
  EXPECT_TRUE(rule_errors(with(monday_morning(), "timezone", "America/Mexico_City")).empty());
}

TEST(rule_request, effective_dates_are_real_dates_in_order_and_may_be_null) {
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "effective_from", "2026-02-30")),
                    "effective_from"),
            "INVALID_DATE");
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "effective_until", "31/12/2026")),
                    "effective_until"),
            "INVALID_DATE");
  EXPECT_EQ(code_of(rule_errors(with(monday_morning(), "effective_until", "2025-12-31")),
                    "effective_until"),
            "INVALID_RANGE");
  EXPECT_TRUE(rule_errors(with(monday_morning(), "effective_until", "2026-01-01")).empty())
      << "a one-day rule";
  calendar::weekly_rule stored;
  stored.effective_until = date::year{2027} / 1 / 1;
  auto errors = json::array();
  auto patch = parse_rule({{"effective_until", nullptr}}, false, errors);
  ASSERT_TRUE(errors.empty());
  EXPECT_FALSE(apply_patch(patch, stored).effective_until);
}

TEST(rule_request, breaks_lie_inside_the_range_and_do_not_overlap) {
  auto breaks = [](json list) { return rule_errors(with(monday_morning(), "breaks", list)); };
  EXPECT_EQ(code_of(breaks("11:00"), "breaks"), "INVALID_TYPE");
  EXPECT_EQ(
      code_of(breaks({{{"start_time", "11:00"}, {"end_time", "1130"}}}), "breaks[0].end_time"),
      "INVALID_TIME");
  EXPECT_EQ(code_of(breaks({{{"start_time", "08:30"}, {"end_time", "09:30"}}}), "breaks[0]"),
            "OUT_OF_RANGE");
  EXPECT_EQ(code_of(breaks({{{"start_time", "13:30"}, {"end_time", "14:30"}}}), "breaks[0]"),
            "OUT_OF_RANGE");
  EXPECT_EQ(code_of(breaks({{{"start_time", "12:00"}, {"end_time", "12:00"}}}), "breaks[0]"),
            "INVALID_RANGE");
  EXPECT_EQ(code_of(breaks({{{"start_time", "10:00"}, {"end_time", "11:00"}},
                            {{"start_time", "10:30"}, {"end_time", "11:30"}}}),
                    "breaks"),
            "OVERLAP");
  EXPECT_TRUE(breaks({{{"start_time", "10:00"}, {"end_time", "11:00"}},
                      {{"start_time", "11:00"}, {"end_time", "11:30"}},
                      {{"start_time", "09:00"}, {"end_time", "09:15"}}})
                  .empty());
  EXPECT_TRUE(breaks(json::array()).empty());
}

TEST(rule_batch, a_plain_body_is_one_rule) {
  auto parsed = parse_rules(monday_morning());
  EXPECT_FALSE(parsed.batch);
  EXPECT_EQ(parsed.rules.size(), 1u);
  EXPECT_TRUE(parsed.errors.empty());
}

TEST(rule_batch, reads_every_rule_and_names_errors_by_position) {
  auto second = with(monday_morning(), "start_time", "nine");
  auto parsed = parse_rules({{"schedules", {monday_morning(), second}}});
  EXPECT_TRUE(parsed.batch);
  EXPECT_EQ(parsed.rules.size(), 2u);
  EXPECT_EQ(fields_of(parsed.errors), std::vector<std::string>{"schedules[1].start_time"});
  auto later = with(monday_morning(), "end_time", "08:00");
  later.erase("breaks");
  EXPECT_EQ(code_of(check_rule(apply_patch(parse_rules({{"schedules", {later}}}).rules[0], {}),
                               "schedules[0]."),
                    "schedules[0].end_time"),
            "INVALID_RANGE");
}

TEST(rule_batch, holds_1_to_50_rules) {
  EXPECT_EQ(code_of(parse_rules({{"schedules", json::array()}}).errors, "schedules"),
            "INVALID_VALUE");
  EXPECT_EQ(code_of(parse_rules({{"schedules", monday_morning()}}).errors, "schedules"),
            "INVALID_VALUE");
  json many = json::array();
  for (std::size_t i = 0; i <= max_rules_per_batch; ++i) many.push_back(monday_morning());
  EXPECT_EQ(code_of(parse_rules({{"schedules", many}}).errors, "schedules"), "INVALID_VALUE");
  many.erase(many.begin());
  EXPECT_TRUE(parse_rules({{"schedules", many}}).errors.empty());
}

TEST(rule_json, renders_the_api_shape) {
  auto errors = json::array();
  auto r = apply_patch(parse_rule(monday_morning(), true, errors), {});
  r.id = "rule-1";
  auto j = rule_json("pro-1", r);
  EXPECT_EQ(j, (json{{"id", "rule-1"},
                     {"professional_id", "pro-1"},
                     {"day_of_week", 1},
                     {"day_name", "monday"},
                     {"start_time", "09:00"},
                     {"end_time", "14:00"},
                     {"timezone", "Europe/Madrid"},
                     {"effective_from", "2026-01-01"},
                     {"effective_until", "2026-12-31"},
                     {"breaks", {{{"start_time", "11:00"}, {"end_time", "11:30"}}}},
                     {"is_active", true}}));
  r.effective_from.reset();
  r.end_minute = 1440;
  EXPECT_TRUE(rule_json("pro-1", r)["effective_from"].is_null());
  EXPECT_EQ(rule_json("pro-1", r)["end_time"], "24:00");
}

}  // namespace
}  // namespace mundoctor::http
