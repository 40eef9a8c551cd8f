#include <gtest/gtest.h>

#include "http/routes/catalogue_requests.hpp"
#include "tests/unit/catalogue/catalogue_test_support.hpp"

namespace mundoctor::http {
namespace {

using calendar::exception_type;
using nlohmann::json;
using testing::code_of;
using testing::fields_of;
using testing::repeat;

// Parse errors, or else the cross-field errors, of an exception body.
json exception_errors(const json& body, bool create = true,
                      calendar::schedule_exception stored = {}) {
  auto errors = json::array();
  auto patch = parse_exception(body, create, errors);
  if (!errors.empty()) return errors;
  return check_exception(apply_patch(patch, stored), patch);
}

json day_off() { return {{"type", "day_off"}, {"starts_on", "2026-05-01"}, {"reason", "Festivo"}}; }

json special_hours() {
  return {{"type", "special_hours"},
          {"starts_on", "2026-05-02"},
          {"ends_on", "2026-05-03"},
          {"start_time", "10:00"},
          {"end_time", "13:00"}};
}

TEST(exception_request, reads_every_field) {
  auto errors = json::array();
  auto patch = parse_exception(special_hours(), true, errors);
  ASSERT_TRUE(errors.empty()) << errors.dump();
  auto e = apply_patch(patch, {});
  EXPECT_EQ(e.type, exception_type::special_hours);
  EXPECT_EQ(e.starts_on, date::year_month_day{date::year{2026} / 5 / 2});
  EXPECT_EQ(e.ends_on, date::year_month_day{date::year{2026} / 5 / 3});
  EXPECT_EQ(e.start_minute, 600);
  EXPECT_EQ(e.end_minute, 780);
  EXPECT_TRUE(check_exception(e, patch).empty());
}

TEST(exception_request, creating_requires_type_and_start_date_and_ends_on_defaults_to_it) {
  EXPECT_EQ(fields_of(exception_errors(json::object())),
            (std::vector<std::string>{"type", "starts_on"}));
  auto errors = json::array();
  auto e = apply_patch(parse_exception(day_off(), true, errors), {});
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(e.ends_on, e.starts_on);
  EXPECT_TRUE(exception_errors(json::object(), false).empty()) << "updates name what changes";
}

TEST(exception_request, the_type_is_one_of_four) {
  for (const char* type : {"day_off", "vacation"})
    EXPECT_TRUE(exception_errors({{"type", type}, {"starts_on", "2026-05-01"}}).empty()) << type;
  EXPECT_TRUE(exception_errors(special_hours()).empty());
  auto block = special_hours();
  block["type"] = "block";
  EXPECT_TRUE(exception_errors(block).empty());
  EXPECT_EQ(code_of(exception_errors({{"type", "holiday"}, {"starts_on", "2026-05-01"}}), "type"),
            "INVALID_ENUM");
  EXPECT_EQ(code_of(exception_errors({{"type", 1}, {"starts_on", "2026-05-01"}}), "type"),
            "INVALID_ENUM");
}

TEST(exception_request, dates_are_real_and_in_order) {
  auto body = day_off();
  body["starts_on"] = "2026-13-01";
  EXPECT_EQ(code_of(exception_errors(body), "starts_on"), "INVALID_DATE");
  body = day_off();
  body["ends_on"] = nullptr;
  EXPECT_EQ(code_of(exception_errors(body), "ends_on"), "INVALID_DATE");
  body = day_off();
  body["ends_on"] = "2026-04-30";
  EXPECT_EQ(code_of(exception_errors(body), "ends_on"), "INVALID_RANGE");
  body["ends_on"] = "2026-05-01";
  EXPECT_TRUE(exception_errors(body).empty());
}

TEST(exception_request, special_hours_and_blocks_need_ordered_times) {
  auto body = special_hours();
  body.erase("start_time");
  body.erase("end_time");
  EXPECT_EQ(code_of(exception_errors(body), "start_time"), "REQUIRED");
  body = special_hours();
  body["end_time"] = "09:00";
  EXPECT_EQ(code_of(exception_errors(body), "end_time"), "INVALID_RANGE");
  body["type"] = "block";
  EXPECT_EQ(code_of(exception_errors(body), "end_time"), "INVALID_RANGE");
  body = special_hours();
  body["start_time"] = "10h";
  EXPECT_EQ(code_of(exception_errors(body), "start_time"), "INVALID_TIME");
}

TEST(exception_request, whole_day_types_refuse_times) {
  auto body = day_off();
  body["start_time"] = "10:00";
  body["end_time"] = "12:00";
  auto errors = exception_errors(body);
  EXPECT_EQ(code_of(errors, "start_time"), "NOT_ALLOWED");
  EXPECT_EQ(code_of(errors, "end_time"), "NOT_ALLOWED");
  body["type"] = "vacation";
  EXPECT_EQ(fields_of(exception_errors(body)),
            (std::vector<std::string>{"start_time", "end_time"}));
  body["start_time"] = nullptr;
  body["end_time"] = nullptr;
  EXPECT_TRUE(exception_errors(body).empty()) << "null times are no times";
}

TEST(exception_request, changing_to_a_whole_day_type_drops_the_stored_times) {
  calendar::schedule_exception stored;
  stored.type = exception_type::block;
  stored.start_minute = 600;
  stored.end_minute = 660;
  auto errors = json::array();
  auto patch = parse_exception({{"type", "day_off"}}, false, errors);
  auto e = apply_patch(patch, stored);
  EXPECT_EQ(e.start_minute, 0);
  EXPECT_EQ(e.end_minute, 0);
  EXPECT_TRUE(check_exception(e, patch).empty());
  EXPECT_TRUE(exception_json("p", e)["start_time"].is_null());
}

TEST(exception_request, the_reason_is_at_most_500_characters) {
  auto body = day_off();
  body["reason"] = repeat("á", 500);
  EXPECT_TRUE(exception_errors(body).empty());
  body["reason"] = repeat("a", 501);
  EXPECT_EQ(code_of(exception_errors(body), "reason"), "TOO_LONG");
  body["reason"] = 5;
  EXPECT_EQ(code_of(exception_errors(body), "reason"), "INVALID_TYPE");
  body["reason"] = nullptr;
  EXPECT_TRUE(exception_errors(body).empty());
}

TEST(exception_json, renders_the_api_shape) {
  auto errors = json::array();
  auto e = apply_patch(parse_exception(special_hours(), true, errors), {});
  e.id = "ex-1";
  e.reason = "Congreso";
  EXPECT_EQ(exception_json("pro-1", e), (json{{"id", "ex-1"},
                                              {"professional_id", "pro-1"},
                                              {"type", "special_hours"},
                                              {"starts_on", "2026-05-02"},
                                              {"ends_on", "2026-05-03"},
                                              {"start_time", "10:00"},
                                              {"end_time", "13:00"},
                                              {"reason", "Congreso"}}));
}

// -- policy --------------------------------------------------------------------------------------

json policy_errors(const std::string& field, const json& value) {
  auto errors = json::array();
  parse_policy({{field, value}}, errors);
  return errors;
}

TEST(policy_request, every_bound_is_checked) {
  struct bound {
    const char* field;
    int lo;
    int hi;
  };
  for (auto b : {bound{"slot_step_minutes", 5, 240}, bound{"min_notice_minutes", 0, 43200},
                 bound{"horizon_days", 1, 730}, bound{"buffer_before_minutes", 0, 240},
                 bound{"buffer_after_minutes", 0, 240}, bound{"cancellation_window_hours", 0, 720},
                 bound{"hold_ttl_seconds", 30, 3600}}) {
    EXPECT_TRUE(policy_errors(b.field, b.lo).empty()) << b.field;
    EXPECT_TRUE(policy_errors(b.field, b.hi).empty()) << b.field;
    EXPECT_EQ(code_of(policy_errors(b.field, b.lo - 1), b.field), "OUT_OF_RANGE") << b.field;
    EXPECT_EQ(code_of(policy_errors(b.field, b.hi + 1), b.field), "OUT_OF_RANGE") << b.field;
    EXPECT_EQ(code_of(policy_errors(b.field, "15"), b.field), "INVALID_TYPE") << b.field;
  }
  EXPECT_EQ(code_of(policy_errors("auto_confirm", "true"), "auto_confirm"), "INVALID_TYPE");
  EXPECT_TRUE(policy_errors("auto_confirm", true).empty());
}

TEST(policy_request, a_partial_update_keeps_the_other_values) {
  calendar::booking_policy stored;
  stored.slot_step_minutes = 20;
  stored.min_notice_minutes = 120;
  stored.horizon_days = 30;
  stored.auto_confirm = true;
  auto errors = json::array();
  auto p = apply_patch(
      parse_policy({{"min_notice_minutes", 0}, {"buffer_after_minutes", 10}}, errors), stored);
  ASSERT_TRUE(errors.empty());
  EXPECT_EQ(p.min_notice_minutes, 0);
  EXPECT_EQ(p.buffer_after_minutes, 10);
  EXPECT_EQ(p.slot_step_minutes, 20);
  EXPECT_EQ(p.horizon_days, 30);
  EXPECT_TRUE(p.auto_confirm);
  EXPECT_EQ(p.hold_ttl_seconds, 300);
}

TEST(policy_request, a_body_that_is_not_an_object_is_refused) {
  auto errors = json::array();
  parse_policy(json::array(), errors);
  EXPECT_EQ(fields_of(errors), std::vector<std::string>{"body"});
}

TEST(policy_json, renders_every_setting) {
  auto j = policy_json("pro-1", calendar::booking_policy{});
  EXPECT_EQ(j, (json{{"professional_id", "pro-1"},
                     {"slot_step_minutes", 15},
                     {"min_notice_minutes", 60},
                     {"horizon_days", 90},
                     {"buffer_before_minutes", 0},
                     {"buffer_after_minutes", 0},
                     {"cancellation_window_hours", 24},
                     {"auto_confirm", false},
                     {"hold_ttl_seconds", 300}}));
}

}  // namespace
}  // namespace mundoctor::http
