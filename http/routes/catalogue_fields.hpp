#pragma once

// Internal helpers of the catalogue request parsers (service_requests.cpp,
// schedule_requests.cpp): a reader that records one validationErrors entry per bad field.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "actors/calendar/local_time.hpp"
#include "http/routes/catalogue_requests.hpp"

namespace mundoctor::http::catalogue_detail {

using nlohmann::json;

inline std::string ymd_text(const date::year_month_day& d) {
  return date::format("%F", date::sys_days{d});
}

inline std::string hhmm(int minutes) {
  char out[16];
  std::snprintf(out, sizeof out, "%02d:%02d", minutes / 60, minutes % 60);
  return out;
}

// Reads the fields of one JSON object, recording one validationErrors entry per bad field.
class field_reader {
 public:
  field_reader(const json& body, json& errors, std::string prefix)
      : body_(body), errors_(errors), prefix_(std::move(prefix)) {}

  // The value of `key`; nullptr when absent. With `required`, absence is an error.
  const json* find(const char* key, bool required = false) {
    auto it = body_.find(key);
    if (it != body_.end()) return &*it;
    if (required) fail(key, std::string{key} + " is required", "REQUIRED");
    return nullptr;
  }

  void fail(const std::string& key, const std::string& message, const std::string& code,
            const json& received = nullptr) {
    errors_.push_back(validation_entry(prefix_ + key, message, code, received));
  }

  std::optional<std::string> text(const char* key, std::size_t min, std::size_t max,
                                  bool required = false) {
    const auto* v = find(key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) return fail(key, "must be a string", "INVALID_TYPE", *v), std::nullopt;
    auto s = v->get<std::string>();
    auto n = utf8_length(s);
    bool blank = s.find_first_not_of(" \t\r\n") == std::string::npos;
    if (n > max)
      return fail(key, "must be at most " + std::to_string(max) + " characters", "TOO_LONG", *v),
             std::nullopt;
    if (n < min || (min > 0 && blank))
      return fail(key, "must not be empty", n < min ? "TOO_SHORT" : "REQUIRED", *v), std::nullopt;
    return s;
  }

  // A text that may be null (null reads as empty).
  std::optional<std::string> nullable_text(const char* key, std::size_t max) {
    const auto* v = find(key);
    if (v && v->is_null()) return std::string{};
    return text(key, 0, max);
  }

  std::optional<int64_t> integer(const char* key, int64_t lo, int64_t hi, bool required = false) {
    const auto* v = find(key, required);
    if (!v) return std::nullopt;
    return integer_value(key, *v, lo, hi);
  }

  std::optional<int64_t> integer_value(const std::string& key, const json& v, int64_t lo,
                                       int64_t hi) {
    if (!v.is_number_integer())
      return fail(key, "must be an integer", "INVALID_TYPE", v), std::nullopt;
    bool huge = v.is_number_unsigned() &&
                v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    auto n = huge ? int64_t{0} : v.get<int64_t>();
    if (huge || n < lo || n > hi) {
      auto range = hi == std::numeric_limits<int64_t>::max()
                       ? "at least " + std::to_string(lo)
                       : "between " + std::to_string(lo) + " and " + std::to_string(hi);
      return fail(key, "must be " + range, "OUT_OF_RANGE", v), std::nullopt;
    }
    return n;
  }

  std::optional<int> small_int(const char* key, int lo, int hi, bool required = false) {
    auto n = integer(key, lo, hi, required);
    if (!n) return std::nullopt;
    return static_cast<int>(*n);
  }

  std::optional<bool> boolean(const char* key) {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean())
      return fail(key, "must be true or false", "INVALID_TYPE", *v), std::nullopt;
    return v->get<bool>();
  }

  std::optional<int> time_of_day(const std::string& key, const json& v) {
    auto t = v.is_string() ? calendar::parse_hhmm(v.get<std::string>()) : std::nullopt;
    if (!t) fail(key, "must be a time HH:MM", "INVALID_TIME", v);
    return t;
  }

  // A date that may be null: nullopt = absent or bad, optional{nullopt} = null.
  std::optional<std::optional<date::year_month_day>> date_field(const char* key, bool nullable) {
    const auto* v = find(key);
    if (!v) return std::nullopt;
    if (v->is_null() && nullable) return std::optional<date::year_month_day>{};
    auto d = v->is_string() ? calendar::parse_date(v->get<std::string>()) : std::nullopt;
    if (!d) return fail(key, "must be a date YYYY-MM-DD", "INVALID_DATE", *v), std::nullopt;
    return std::optional<date::year_month_day>{*d};
  }

  std::optional<calendar::instant> instant(const std::string& key, const json& v) {
    auto t = v.is_string() ? calendar::parse_rfc3339(v.get<std::string>()) : std::nullopt;
    if (!t) fail(key, "must be an RFC 3339 date-time", "INVALID_DATETIME", v);
    return t;
  }

 private:
  const json& body_;
  json& errors_;
  std::string prefix_;
};

inline bool require_object(const json& body, json& errors, const std::string& prefix = {}) {
  if (body.is_object()) return true;
  errors.push_back(validation_entry(prefix.empty() ? "body" : prefix.substr(0, prefix.size() - 1),
                                    "a JSON object is required", "INVALID_TYPE"));
  return false;
}

inline std::optional<std::vector<std::string>> read_modalities(field_reader& in, const json& v) {
  if (!v.is_array() || v.empty())
    return in.fail("modalities", "must be a non-empty array of in_person and virtual",
                   "INVALID_VALUE", v),
           std::nullopt;
  std::vector<std::string> out;
  for (const auto& m : v) {
    if (!m.is_string() || (m != "in_person" && m != "virtual"))
      return in.fail("modalities", "each modality must be in_person or virtual", "INVALID_ENUM", v),
             std::nullopt;
    if (std::find(out.begin(), out.end(), m.get<std::string>()) == out.end())
      out.push_back(m.get<std::string>());
  }
  return out;
}

inline std::optional<discount> read_discount(const json& v, json& errors) {
  json local = json::array();
  field_reader in{v, local, "discount."};
  if (!v.is_object()) {
    errors.push_back(validation_entry("discount", "must be an object or null", "INVALID_TYPE", v));
    return std::nullopt;
  }
  discount d;
  bool has_percent = in.find("percent") && !in.find("percent")->is_null();
  bool has_amount = in.find("amount_cents") && !in.find("amount_cents")->is_null();
  if (has_percent) d.percent = in.small_int("percent", 1, 100);
  if (has_amount)
    d.amount_cents = in.integer("amount_cents", 1, std::numeric_limits<int64_t>::max());
  if (has_percent == has_amount)
    in.fail("percent", "give exactly one of percent and amount_cents", "INVALID_VALUE");
  if (const auto* f = in.find("valid_from"); f && !f->is_null())
    d.valid_from = in.instant("valid_from", *f);
  if (const auto* u = in.find("valid_until"); u && !u->is_null())
    d.valid_until = in.instant("valid_until", *u);
  if (d.valid_from && d.valid_until && *d.valid_until <= *d.valid_from)
    in.fail("valid_until", "must be after valid_from", "INVALID_RANGE", *in.find("valid_until"));
  for (auto& e : local) errors.push_back(std::move(e));
  if (!local.empty()) return std::nullopt;
  return d;
}

inline std::optional<std::optional<int>> read_buffer(field_reader& in, const char* key) {
  const auto* v = in.find(key);
  if (!v) return std::nullopt;
  // Built in place: GCC 12 at -O3 misreports optional<optional<int>> copies as uninitialized.
  std::optional<std::optional<int>> out{std::in_place};  // present; empty = null
  if (v->is_null()) return out;
  auto n = in.small_int(key, 0, 240);
  if (!n) return std::nullopt;
  out->emplace(*n);
  return out;
}

}  // namespace mundoctor::http::catalogue_detail
