#pragma once

// Parsing, validation and rendering of the "Services" and "Schedules" bodies of API.md (pure;
// unit-tested). Parsers read one JSON body into a patch: every field the body names, checked
// on its own, with one validationErrors entry {field, message, code, received?} per bad field.
// A patch is applied onto a base value (the defaults when creating, the stored row when
// updating), and the check_* functions then test the rules that join several fields.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/protocol/calendar.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::http {

/// Longest batch of weekly rules one POST /api/schedules accepts.
constexpr std::size_t max_rules_per_batch = 50;

// -- services ----------------------------------------------------------------------------------

struct discount {
  std::optional<int> percent;  // exactly one of percent and amount_cents
  std::optional<int64_t> amount_cents;
  std::optional<calendar::instant> valid_from;
  std::optional<calendar::instant> valid_until;
};

struct service_patch {
  std::optional<std::string> name;                     // 1..200 characters
  std::optional<std::string> description;              // <= 2000 characters; null = empty
  std::optional<std::string> category;                 // 1..100 characters
  std::optional<int> duration_minutes;                 // 5..480
  std::optional<int64_t> price_cents;                  // >= 0
  std::optional<std::string> currency;                 // three letters, stored upper-case
  std::optional<std::vector<std::string>> modalities;  // non-empty subset of in_person, virtual
  std::optional<std::optional<int>> buffer_before_minutes;  // 0..240; null = the policy's
  std::optional<std::optional<int>> buffer_after_minutes;
  std::optional<std::optional<discount>> discount_value;  // "discount"; null removes it
  std::optional<bool> active;                             // "is_active"
};

struct parsed_service {
  service_patch patch;
  nlohmann::json errors = nlohmann::json::array();
};

/// A service body. With `create`, name, duration_minutes and price_cents are required.
parsed_service parse_service(const nlohmann::json& body, bool create);

/// `base` with every field the patch names replaced.
calendar::service_info apply_patch(const service_patch& patch, calendar::service_info base);

/// {id, professional_id, name, description, category, duration_minutes, price_cents, currency,
///  modalities, buffer_before_minutes, buffer_after_minutes, discount {percent, amount_cents,
///  valid_from, valid_until} | null, is_active}
nlohmann::json service_json(const std::string& professional_id, const calendar::service_info& s);

/// A query parameter by name, nullopt when absent.
using query_lookup = std::function<std::optional<std::string>(const std::string&)>;

struct service_query {
  persistence::service_filter filter;  // page and limit are left to the caller
  std::string professional_ref;        // "professional": profile uuid or user id; "" = any
  nlohmann::json errors = nlohmann::json::array();
};

/// GET /api/services filters: category, modality (in_person | virtual), price_min and
/// price_max (integer cents, min <= max), professional, active_only (true | false).
service_query parse_service_query(const query_lookup& query);

// -- weekly rules ------------------------------------------------------------------------------

struct rule_patch {
  std::optional<int> day_of_week;  // 0..6 (0 = Sunday) or a day name
  std::optional<int> start_minute;
  std::optional<int> end_minute;
  std::optional<std::string> zone;  // "timezone": a known IANA zone
  std::optional<std::optional<date::year_month_day>> effective_from;  // null clears
  std::optional<std::optional<date::year_month_day>> effective_until;
  std::optional<std::vector<calendar::break_range>> breaks;
};

struct parsed_rules {
  std::vector<rule_patch> rules;
  bool batch = false;  // the body was {"schedules": [...]}
  nlohmann::json errors = nlohmann::json::array();
};

/// One rule; with `create`, day_of_week, start_time and end_time are required. Field names
/// in errors are prefixed by `prefix` ("schedules[2].").
rule_patch parse_rule(const nlohmann::json& body, bool create, nlohmann::json& errors,
                      const std::string& prefix = {});

/// POST /api/schedules: one rule, or {"schedules": [rule, ...]} (1..max_rules_per_batch).
parsed_rules parse_rules(const nlohmann::json& body);

/// 0..6 from a number or a day name: sunday..saturday, domingo..sábado (accents optional),
/// any case; nullopt otherwise.
std::optional<int> parse_day_of_week(const nlohmann::json& value);

calendar::weekly_rule apply_patch(const rule_patch& patch, calendar::weekly_rule base);

/// end after start; effective_until not before effective_from; each break inside the range,
/// non-empty, and not overlapping another break.
nlohmann::json check_rule(const calendar::weekly_rule& rule, const std::string& prefix = {});

/// {id, professional_id, day_of_week, day_name, start_time, end_time, timezone,
///  effective_from, effective_until, breaks [{start_time, end_time}], is_active}
nlohmann::json rule_json(const std::string& professional_id, const calendar::weekly_rule& r);

// -- exceptions --------------------------------------------------------------------------------

struct exception_patch {
  std::optional<calendar::exception_type> type;
  std::optional<date::year_month_day> starts_on;
  std::optional<date::year_month_day> ends_on;
  std::optional<std::optional<int>> start_minute;  // null = none
  std::optional<std::optional<int>> end_minute;
  std::optional<std::string> reason;  // <= 500 characters; null = empty
};

/// With `create`, type and starts_on are required; ends_on defaults to starts_on.
exception_patch parse_exception(const nlohmann::json& body, bool create, nlohmann::json& errors);

/// Times are kept only for types that have them (special_hours, block); a missing time is
/// stored as 0..0, which check_exception reports.
calendar::schedule_exception apply_patch(const exception_patch& patch,
                                         calendar::schedule_exception base);

/// ends_on not before starts_on; special_hours and block need start_time < end_time; the
/// other types refuse times that `patch` names.
nlohmann::json check_exception(const calendar::schedule_exception& ex,
                               const exception_patch& patch);

/// {id, professional_id, type, starts_on, ends_on, start_time, end_time (null when none),
///  reason}
nlohmann::json exception_json(const std::string& professional_id,
                              const calendar::schedule_exception& e);

// -- booking policy ----------------------------------------------------------------------------

struct policy_patch {
  std::optional<int> slot_step_minutes;          // 5..240
  std::optional<int> min_notice_minutes;         // 0..43200
  std::optional<int> horizon_days;               // 1..730
  std::optional<int> buffer_before_minutes;      // 0..240
  std::optional<int> buffer_after_minutes;       // 0..240
  std::optional<int> cancellation_window_hours;  // 0..720
  std::optional<bool> auto_confirm;
  std::optional<int> hold_ttl_seconds;  // 30..3600
};

policy_patch parse_policy(const nlohmann::json& body, nlohmann::json& errors);
calendar::booking_policy apply_patch(const policy_patch& patch, calendar::booking_policy base);
/// {professional_id, slot_step_minutes, ..., hold_ttl_seconds}
nlohmann::json policy_json(const std::string& professional_id, const calendar::booking_policy& p);

// -- shared ------------------------------------------------------------------------------------

/// The number of Unicode code points of UTF-8 text (what PostgreSQL's char_length counts).
std::size_t utf8_length(const std::string& text);

/// {field, message, code, received?}
nlohmann::json validation_entry(const std::string& field, const std::string& message,
                                const std::string& code, const nlohmann::json& received = nullptr);

}  // namespace mundoctor::http
