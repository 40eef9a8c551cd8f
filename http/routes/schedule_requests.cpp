#include "http/routes/catalogue_fields.hpp"
#include "http/routes/catalogue_requests.hpp"

namespace mundoctor::http {

using nlohmann::json;
using namespace catalogue_detail;

// -- weekly rules ------------------------------------------------------------------------------

std::optional<int> parse_day_of_week(const json& value) {
  if (value.is_number_integer()) {
    auto n = value.get<int64_t>();
    if (n >= 0 && n <= 6) return static_cast<int>(n);
    return std::nullopt;
  }
  if (!value.is_string()) return std::nullopt;
  std::string name = value.get<std::string>();
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c >= 'A' && c <= 'Z') name[i] = static_cast<char>(c + 32);
    // Upper-case Latin-1 letters in UTF-8 (0xC3 0x80..0x9E) to lower case.
    auto next = i + 1 < name.size() ? static_cast<unsigned char>(name[i + 1]) : 0;
    if (c == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97)
      name[i + 1] = static_cast<char>(next + 0x20);
  }
  if (name.size() == 1 && name[0] >= '0' && name[0] <= '6') return name[0] - '0';
  static const std::array<std::vector<std::string>, 7> names{{
      {"sunday", "domingo"},
      {"monday", "lunes"},
      {"tuesday", "martes"},
      {"wednesday", "mi\xC3\xA9rcoles", "miercoles"},
      {"thursday", "jueves"},
      {"friday", "viernes"},
      {"saturday",
       "s\xC3\xA1"
       "bado",
       "sabado"},
  }};
  for (int d = 0; d < 7; ++d)
    for (const auto& candidate : names[static_cast<std::size_t>(d)])
      if (candidate == name) return d;
  return std::nullopt;
}

rule_patch parse_rule(const json& body, bool create, json& errors, const std::string& prefix) {
  rule_patch p;
  if (!require_object(body, errors, prefix)) return p;
  field_reader in{body, errors, prefix};
  if (const auto* d = in.find("day_of_week", create)) {
    p.day_of_week = parse_day_of_week(*d);
    if (!p.day_of_week)
      in.fail("day_of_week", "must be 0-6 (0 = Sunday) or a day name", "INVALID_VALUE", *d);
  }
  if (const auto* s = in.find("start_time", create))
    p.start_minute = in.time_of_day("start_time", *s);
  if (const auto* e = in.find("end_time", create)) p.end_minute = in.time_of_day("end_time", *e);
  if (const auto* z = in.find("timezone")) {
    if (z->is_string() && calendar::is_known_zone(z->get<std::string>()))
      p.zone = z->get<std::string>();
    else
      in.fail("timezone", "must be an IANA time zone such as Europe/Madrid", "INVALID_TIMEZONE",
              *z);
  }
  p.effective_from = in.date_field("effective_from", true);
  p.effective_until = in.date_field("effective_until", true);
  if (const auto* b = in.find("breaks")) {
    if (!b->is_array()) return in.fail("breaks", "must be an array", "INVALID_TYPE", *b), p;
    std::vector<calendar::break_range> breaks;
    for (std::size_t i = 0; i < b->size(); ++i) {
      const auto& item = (*b)[i];
      auto key = "breaks[" + std::to_string(i) + "]";
      if (!item.is_object()) {
        in.fail(key, "must be an object {start_time, end_time}", "INVALID_TYPE", item);
        continue;
      }
      auto start = in.time_of_day(key + ".start_time", item.value("start_time", json{}));
      auto end = in.time_of_day(key + ".end_time", item.value("end_time", json{}));
      if (start && end) breaks.push_back({*start, *end});
    }
    if (breaks.size() == b->size()) p.breaks = std::move(breaks);
  }
  return p;
}

parsed_rules parse_rules(const json& body) {
  parsed_rules out;
  if (!body.is_object() || !body.contains("schedules")) {
    out.rules.push_back(parse_rule(body, true, out.errors));
    return out;
  }
  out.batch = true;
  const auto& list = body["schedules"];
  if (!list.is_array() || list.empty() || list.size() > max_rules_per_batch) {
    out.errors.push_back(validation_entry(
        "schedules", "must be an array of 1 to " + std::to_string(max_rules_per_batch) + " rules",
        "INVALID_VALUE"));
    return out;
  }
  for (std::size_t i = 0; i < list.size(); ++i)
    out.rules.push_back(
        parse_rule(list[i], true, out.errors, "schedules[" + std::to_string(i) + "]."));
  return out;
}

calendar::weekly_rule apply_patch(const rule_patch& p, calendar::weekly_rule r) {
  if (p.day_of_week) r.day_of_week = *p.day_of_week;
  if (p.start_minute) r.start_minute = *p.start_minute;
  if (p.end_minute) r.end_minute = *p.end_minute;
  if (p.zone) r.zone = *p.zone;
  if (p.effective_from) r.effective_from = *p.effective_from;
  if (p.effective_until) r.effective_until = *p.effective_until;
  if (p.breaks) r.breaks = *p.breaks;
  return r;
}

json check_rule(const calendar::weekly_rule& r, const std::string& prefix) {
  auto errors = json::array();
  auto fail = [&](const std::string& field, const std::string& message, const std::string& code,
                  const json& received) {
    errors.push_back(validation_entry(prefix + field, message, code, received));
  };
  if (r.end_minute <= r.start_minute)
    fail("end_time", "must be after start_time", "INVALID_RANGE", hhmm(r.end_minute));
  if (r.effective_from && r.effective_until && *r.effective_until < *r.effective_from)
    fail("effective_until", "must not be before effective_from", "INVALID_RANGE",
         ymd_text(*r.effective_until));
  auto sorted = r.breaks;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.start_minute < b.start_minute; });
  for (std::size_t i = 0; i < r.breaks.size(); ++i) {
    const auto& b = r.breaks[i];
    auto key = "breaks[" + std::to_string(i) + "]";
    json shown{{"start_time", hhmm(b.start_minute)}, {"end_time", hhmm(b.end_minute)}};
    if (b.end_minute <= b.start_minute)
      fail(key, "end_time must be after start_time", "INVALID_RANGE", shown);
    else if (b.start_minute < r.start_minute || b.end_minute > r.end_minute)
      fail(key, "must lie inside the working range", "OUT_OF_RANGE", shown);
  }
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i].start_minute < sorted[i - 1].end_minute) {
      fail("breaks", "breaks must not overlap", "OVERLAP", nullptr);
      break;
    }
  return errors;
}

json rule_json(const std::string& professional_id, const calendar::weekly_rule& r) {
  static const char* const days[] = {"sunday",   "monday", "tuesday", "wednesday",
                                     "thursday", "friday", "saturday"};
  auto optional_date = [](const std::optional<date::year_month_day>& d) -> json {
    return d ? json(ymd_text(*d)) : json(nullptr);
  };
  auto breaks = json::array();
  for (const auto& b : r.breaks)
    breaks.push_back({{"start_time", hhmm(b.start_minute)}, {"end_time", hhmm(b.end_minute)}});
  bool known_day = r.day_of_week >= 0 && r.day_of_week <= 6;
  return {{"id", r.id},
          {"professional_id", professional_id},
          {"day_of_week", r.day_of_week},
          {"day_name", known_day ? days[r.day_of_week] : ""},
          {"start_time", hhmm(r.start_minute)},
          {"end_time", hhmm(r.end_minute)},
          {"timezone", r.zone},
          {"effective_from", optional_date(r.effective_from)},
          {"effective_until", optional_date(r.effective_until)},
          {"breaks", std::move(breaks)},
          {"is_active", true}};
}

// -- exceptions --------------------------------------------------------------------------------

namespace {

const std::array<std::pair<const char*, calendar::exception_type>, 4> exception_types{{
    {"day_off", calendar::exception_type::day_off},
    {"vacation", calendar::exception_type::vacation},
    {"special_hours", calendar::exception_type::special_hours},
    {"block", calendar::exception_type::block},
}};

bool has_times(calendar::exception_type t) {
  return t == calendar::exception_type::special_hours || t == calendar::exception_type::block;
}

std::optional<std::optional<int>> nullable_time(field_reader& in, const char* key) {
  const auto* v = in.find(key);
  if (!v) return std::nullopt;
  // Built in place: GCC 12 at -O3 misreports optional<optional<int>> copies as uninitialized.
  std::optional<std::optional<int>> out{std::in_place};  // present; empty = null
  if (v->is_null()) return out;
  auto t = in.time_of_day(key, *v);
  if (!t) return std::nullopt;
  out->emplace(*t);
  return out;
}

}  // namespace

exception_patch parse_exception(const json& body, bool create, json& errors) {
  exception_patch p;
  if (!require_object(body, errors)) return p;
  field_reader in{body, errors, ""};
  if (const auto* t = in.find("type", create)) {
    for (const auto& [name, type] : exception_types)
      if (t->is_string() && *t == name) p.type = type;
    if (!p.type)
      in.fail("type", "must be day_off, vacation, special_hours or block", "INVALID_ENUM", *t);
  }
  if (create) in.find("starts_on", true);
  if (auto d = in.date_field("starts_on", false)) p.starts_on = **d;
  if (auto d = in.date_field("ends_on", false)) p.ends_on = **d;
  if (create && !p.ends_on && !in.find("ends_on")) p.ends_on = p.starts_on;
  p.start_minute = nullable_time(in, "start_time");
  p.end_minute = nullable_time(in, "end_time");
  p.reason = in.nullable_text("reason", 500);
  return p;
}

calendar::schedule_exception apply_patch(const exception_patch& p, calendar::schedule_exception e) {
  if (p.type) e.type = *p.type;
  if (p.starts_on) e.starts_on = *p.starts_on;
  if (p.ends_on) e.ends_on = *p.ends_on;
  if (p.start_minute) e.start_minute = p.start_minute->value_or(0);
  if (p.end_minute) e.end_minute = p.end_minute->value_or(0);
  if (p.reason) e.reason = *p.reason;
  if (!has_times(e.type)) e.start_minute = e.end_minute = 0;
  return e;
}

json check_exception(const calendar::schedule_exception& e, const exception_patch& p) {
  auto errors = json::array();
  if (e.ends_on < e.starts_on)
    errors.push_back(validation_entry("ends_on", "must not be before starts_on", "INVALID_RANGE",
                                      ymd_text(e.ends_on)));
  if (has_times(e.type)) {
    if (e.start_minute == 0 && e.end_minute == 0) {
      errors.push_back(validation_entry(
          "start_time", "start_time and end_time are required for this type", "REQUIRED"));
    } else if (e.end_minute <= e.start_minute) {
      errors.push_back(validation_entry("end_time", "must be after start_time", "INVALID_RANGE",
                                        hhmm(e.end_minute)));
    }
    return errors;
  }
  for (const auto& [key, value] :
       {std::pair{"start_time", p.start_minute}, std::pair{"end_time", p.end_minute}})
    if (value && *value)
      errors.push_back(validation_entry(key, "only special_hours and block take times",
                                        "NOT_ALLOWED", hhmm(**value)));
  return errors;
}

json exception_json(const std::string& professional_id, const calendar::schedule_exception& e) {
  std::string type;
  for (const auto& [name, value] : exception_types)
    if (value == e.type) type = name;
  bool timed = has_times(e.type) && e.end_minute > e.start_minute;
  return {{"id", e.id},
          {"professional_id", professional_id},
          {"type", type},
          {"starts_on", ymd_text(e.starts_on)},
          {"ends_on", ymd_text(e.ends_on)},
          {"start_time", timed ? json(hhmm(e.start_minute)) : json(nullptr)},
          {"end_time", timed ? json(hhmm(e.end_minute)) : json(nullptr)},
          {"reason", e.reason}};
}

// -- booking policy ----------------------------------------------------------------------------

policy_patch parse_policy(const json& body, json& errors) {
  policy_patch p;
  if (!require_object(body, errors)) return p;
  field_reader in{body, errors, ""};
  p.slot_step_minutes = in.small_int("slot_step_minutes", 5, 240);
  p.min_notice_minutes = in.small_int("min_notice_minutes", 0, 43200);
  p.horizon_days = in.small_int("horizon_days", 1, 730);
  p.buffer_before_minutes = in.small_int("buffer_before_minutes", 0, 240);
  p.buffer_after_minutes = in.small_int("buffer_after_minutes", 0, 240);
  p.cancellation_window_hours = in.small_int("cancellation_window_hours", 0, 720);
  p.auto_confirm = in.boolean("auto_confirm");
  p.hold_ttl_seconds = in.small_int("hold_ttl_seconds", 30, 3600);
  return p;
}

calendar::booking_policy apply_patch(const policy_patch& p, calendar::booking_policy b) {
  b.slot_step_minutes = p.slot_step_minutes.value_or(b.slot_step_minutes);
  b.min_notice_minutes = p.min_notice_minutes.value_or(b.min_notice_minutes);
  b.horizon_days = p.horizon_days.value_or(b.horizon_days);
  b.buffer_before_minutes = p.buffer_before_minutes.value_or(b.buffer_before_minutes);
  b.buffer_after_minutes = p.buffer_after_minutes.value_or(b.buffer_after_minutes);
  b.cancellation_window_hours = p.cancellation_window_hours.value_or(b.cancellation_window_hours);
  b.auto_confirm = p.auto_confirm.value_or(b.auto_confirm);
  b.hold_ttl_seconds = p.hold_ttl_seconds.value_or(b.hold_ttl_seconds);
  return b;
}

json policy_json(const std::string& professional_id, const calendar::booking_policy& p) {
  return {{"professional_id", professional_id},
          {"slot_step_minutes", p.slot_step_minutes},
          {"min_notice_minutes", p.min_notice_minutes},
          {"horizon_days", p.horizon_days},
          {"buffer_before_minutes", p.buffer_before_minutes},
          {"buffer_after_minutes", p.buffer_after_minutes},
          {"cancellation_window_hours", p.cancellation_window_hours},
          {"auto_confirm", p.auto_confirm},
          {"hold_ttl_seconds", p.hold_ttl_seconds}};
}

}  // namespace mundoctor::http
