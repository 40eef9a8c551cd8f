// Conversions and row readers shared by the calendar repository.

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence::calendar_detail {

int64_t to_epoch(calendar::instant t) { return t.time_since_epoch().count(); }

calendar::instant from_epoch(int64_t seconds) {
  return calendar::instant{std::chrono::seconds{seconds}};
}

calendar::instant read_instant(const pqxx::field& f) { return from_epoch(f.as<int64_t>()); }

std::optional<calendar::instant> read_optional_instant(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return read_instant(f);
}

std::string ymd_text(const date::year_month_day& d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<date::year_month_day> parse_ymd(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  char tail = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3)
    return std::nullopt;
  date::year_month_day out{date::year{y}, date::month{m}, date::day{d}};
  if (!out.ok()) return std::nullopt;
  return out;
}

std::string hhmm(int minutes) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

std::optional<std::string> null_if_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

std::string text_or_empty(const pqxx::field& f) {
  return f.is_null() ? std::string{} : f.as<std::string>();
}

std::string epoch_sql(const std::string& column) {
  return "floor(extract(epoch from " + column + "))::bigint";
}

std::string appointment_columns(const std::string& alias) {
  auto c = [&](const char* name) { return alias.empty() ? std::string{name} : alias + "." + name; };
  return c("id") + "::text, " + c("professional_id") + "::text, " + c("patient_id") +
         ", coalesce(" + c("service_id") + "::text, ''), " + epoch_sql(c("starts_at")) + ", " +
         epoch_sql(c("ends_at")) + ", " + c("buffer_before_minutes") + ", " +
         c("buffer_after_minutes") + ", " + c("timezone") + ", " + c("status") + ", " +
         c("modality") + ", " + c("price_cents") + ", " + c("currency") + ", " +
         c("notes_ciphertext") + ", " + c("notes_key_id") + ", " + c("cancellation_reason") + ", " +
         c("idempotency_key") + ", " + c("created_by") + ", " + epoch_sql(c("created_at"));
}

calendar::appointment read_appointment(const pqxx::row& r, const data_cipher* cipher, int o) {
  calendar::appointment a;
  a.id = r[o + 0].as<std::string>();
  a.professional_id = r[o + 1].as<std::string>();
  a.patient_id = r[o + 2].as<std::string>();
  a.service_id = r[o + 3].as<std::string>();
  a.starts_at = read_instant(r[o + 4]);
  a.ends_at = read_instant(r[o + 5]);
  a.buffer_before_minutes = r[o + 6].as<int>();
  a.buffer_after_minutes = r[o + 7].as<int>();
  a.timezone = r[o + 8].as<std::string>();
  a.status = r[o + 9].as<std::string>();
  a.modality = r[o + 10].as<std::string>();
  a.price_cents = r[o + 11].as<int64_t>();
  a.currency = r[o + 12].as<std::string>();
  a.notes = open(cipher, r[o + 13], r[o + 14]);
  a.cancellation_reason = text_or_empty(r[o + 15]);
  a.idempotency_key = text_or_empty(r[o + 16]);
  a.created_by = text_or_empty(r[o + 17]);
  a.created_at = read_instant(r[o + 18]);
  return a;
}

std::string hold_columns() {
  return "id::text, professional_id::text, patient_id, coalesce(service_id::text, ''), " +
         epoch_sql("starts_at") + ", " + epoch_sql("ends_at") +
         ", buffer_before_minutes, buffer_after_minutes, " + epoch_sql("expires_at") + ", status";
}

calendar::hold read_hold(const pqxx::row& r) {
  calendar::hold h;
  h.id = r[0].as<std::string>();
  h.professional_id = r[1].as<std::string>();
  h.patient_id = r[2].as<std::string>();
  h.service_id = r[3].as<std::string>();
  h.starts_at = read_instant(r[4]);
  h.ends_at = read_instant(r[5]);
  h.buffer_before_minutes = r[6].as<int>();
  h.buffer_after_minutes = r[7].as<int>();
  h.expires_at = read_instant(r[8]);
  h.status = r[9].as<std::string>();
  return h;
}

std::string service_columns(const std::string& alias) {
  auto c = [&](const char* name) { return alias.empty() ? std::string{name} : alias + "." + name; };
  return c("id") + "::text, " + c("name") + ", coalesce(" + c("description") + ", ''), coalesce(" +
         c("category") + ", ''), " + c("duration_minutes") + ", " + c("price_cents") + ", " +
         c("currency") + ", array_to_string(" + c("modalities") + ", ','), " +
         c("buffer_before_minutes") + ", " + c("buffer_after_minutes") + ", " +
         c("discount_percent") + ", " + c("discount_amount_cents") + ", " +
         epoch_sql(c("discount_valid_from")) + ", " + epoch_sql(c("discount_valid_until")) + ", " +
         c("is_active") + ", " + c("professional_id") + "::text";
}

calendar::service_info read_service(const pqxx::row& r, int o) {
  calendar::service_info s;
  s.id = r[o + 0].as<std::string>();
  s.name = r[o + 1].as<std::string>();
  s.description = r[o + 2].as<std::string>();
  s.category = r[o + 3].as<std::string>();
  s.duration_minutes = r[o + 4].as<int>();
  s.price_cents = r[o + 5].as<int64_t>();
  s.currency = r[o + 6].as<std::string>();
  s.modalities.clear();
  auto list = r[o + 7].as<std::string>();
  for (std::size_t start = 0; start <= list.size();) {
    auto end = std::min(list.find(',', start), list.size());
    if (end > start) s.modalities.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  s.buffer_before_minutes = r[o + 8].as<std::optional<int>>();
  s.buffer_after_minutes = r[o + 9].as<std::optional<int>>();
  s.discount_percent = r[o + 10].as<std::optional<int>>();
  s.discount_amount_cents = r[o + 11].as<std::optional<int64_t>>();
  s.discount_valid_from = read_optional_instant(r[o + 12]);
  s.discount_valid_until = read_optional_instant(r[o + 13]);
  s.active = r[o + 14].as<bool>();
  return s;
}

namespace {

int minutes_of(const std::string& hh_mm) {
  int h = 0;
  int m = 0;
  std::sscanf(hh_mm.c_str(), "%d:%d", &h, &m);
  return h * 60 + m;
}

}  // namespace

std::string weekly_rule_columns() {
  return "id::text, day_of_week, (extract(epoch from start_time) / 60)::int, "
         "(extract(epoch from end_time) / 60)::int, timezone, effective_from::text, "
         "effective_until::text, breaks::text";
}

calendar::weekly_rule read_weekly_rule(const pqxx::row& r) {
  calendar::weekly_rule w;
  w.id = r[0].as<std::string>();
  w.day_of_week = r[1].as<int>();
  w.start_minute = r[2].as<int>();
  w.end_minute = r[3].as<int>();
  w.zone = r[4].as<std::string>();
  if (!r[5].is_null()) w.effective_from = parse_ymd(r[5].as<std::string>());
  if (!r[6].is_null()) w.effective_until = parse_ymd(r[6].as<std::string>());
  for (const auto& b : nlohmann::json::parse(r[7].as<std::string>())) {
    if (!b.is_object()) continue;
    w.breaks.push_back({minutes_of(b.value("start", std::string{"00:00"})),
                        minutes_of(b.value("end", std::string{"00:00"}))});
  }
  return w;
}

std::string exception_columns() {
  return "id::text, type, starts_on::text, ends_on::text, "
         "coalesce((extract(epoch from start_time) / 60)::int, 0), "
         "coalesce((extract(epoch from end_time) / 60)::int, 0), coalesce(reason, '')";
}

calendar::schedule_exception read_exception(const pqxx::row& r) {
  calendar::schedule_exception e;
  e.id = r[0].as<std::string>();
  e.type = exception_type_from(r[1].as<std::string>());
  e.starts_on = *parse_ymd(r[2].as<std::string>());
  e.ends_on = *parse_ymd(r[3].as<std::string>());
  e.start_minute = r[4].as<int>();
  e.end_minute = r[5].as<int>();
  e.reason = r[6].as<std::string>();
  return e;
}

calendar::exception_type exception_type_from(const std::string& text) {
  if (text == "vacation") return calendar::exception_type::vacation;
  if (text == "special_hours") return calendar::exception_type::special_hours;
  if (text == "block") return calendar::exception_type::block;
  return calendar::exception_type::day_off;
}

const char* to_text(calendar::exception_type type) {
  switch (type) {
    case calendar::exception_type::day_off:
      return "day_off";
    case calendar::exception_type::vacation:
      return "vacation";
    case calendar::exception_type::special_hours:
      return "special_hours";
    case calendar::exception_type::block:
      return "block";
  }
  return "day_off";
}

std::string policy_columns() {
  return "slot_step_minutes, min_notice_minutes, horizon_days, buffer_before_minutes, "
         "buffer_after_minutes, cancellation_window_hours, auto_confirm, hold_ttl_seconds";
}

calendar::booking_policy read_policy(const pqxx::row& r) {
  calendar::booking_policy p;
  p.slot_step_minutes = r[0].as<int>();
  p.min_notice_minutes = r[1].as<int>();
  p.horizon_days = r[2].as<int>();
  p.buffer_before_minutes = r[3].as<int>();
  p.buffer_after_minutes = r[4].as<int>();
  p.cancellation_window_hours = r[5].as<int>();
  p.auto_confirm = r[6].as<bool>();
  p.hold_ttl_seconds = r[7].as<int>();
  return p;
}

bool violates(const pqxx::sql_error& e, const char* constraint) {
  return std::string{e.what()}.find("\"" + std::string{constraint} + "\"") != std::string::npos;
}

int64_t clamp_limit(int limit) { return std::clamp(limit, 1, 100); }

int64_t page_offset(int page, int limit) {
  return (static_cast<int64_t>(std::max(page, 1)) - 1) * clamp_limit(limit);
}

}  // namespace mundoctor::persistence::calendar_detail
