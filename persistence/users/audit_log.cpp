// The audit trail: batches of records written with one COPY.

#include <cctype>
#include <chrono>
#include <cstdio>
#include <pqxx/pqxx>
#include <tuple>
#include <vector>

#include <arpa/inet.h>
#include <date/date.h>
#include <nlohmann/json.hpp>

#include "config/utf8.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::persistence {

using nlohmann::json;

namespace {

// One field of a COPY row: text, or NULL.
struct copy_field {
  std::string text;
  bool null = false;
};

// Request headers (the user agent) may carry any byte, and one row PostgreSQL refuses refuses
// its whole batch: text goes in as UTF-8, with U+FFFD in place of anything else.
copy_field text_or_null(const std::string& text) {
  return {config::utf8_or_replacement(text), text.empty()};
}

}  // namespace
}  // namespace mundoctor::persistence

template <>
struct pqxx::string_traits<mundoctor::persistence::copy_field> {
  using field = mundoctor::persistence::copy_field;
  static constexpr const char* name() noexcept { return "copy_field"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const field& f) { return f.null; }
  static field null() { return {{}, true}; }
  static std::string to_string(const field& f) { return f.text; }
};

namespace mundoctor::persistence {
namespace {

const std::vector<std::string> columns{"actor_user_id", "action",    "resource_type", "resource_id",
                                       "outcome",       "ip",        "user_agent",    "request_id",
                                       "details",       "created_at"};

bool valid_ip(const std::string& text) {
  unsigned char buf[sizeof(in6_addr)];
  if (text.find('\0') != std::string::npos) return false;  // inet_pton would stop at it
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// A timestamptz literal in UTC with milliseconds, "2026-01-01 00:00:00.000+00" (the record's
// time, or now when it has none).
std::string utc_millis_text(int64_t unix_ms) {
  using namespace std::chrono;
  date::sys_time<milliseconds> t = unix_ms > 0 ? date::sys_time<milliseconds>{milliseconds{unix_ms}}
                                               : time_point_cast<milliseconds>(system_clock::now());
  auto day = floor<date::days>(t);
  date::year_month_day ymd{day};
  date::hh_mm_ss<milliseconds> tod{t - day};
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d.%03d+00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<int>(tod.subseconds().count()));
  return buf;
}

}  // namespace

std::string audit_action_key(const std::string& action) {
  std::string out;
  bool separator = false;
  for (char raw : action) {
    auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c) != 0 || c == '_') {
      if (separator && !out.empty()) out += '.';
      separator = false;
      if (out.empty() && std::isdigit(c) != 0) out += 'n';
      out += static_cast<char>(std::tolower(c));
    } else if (c == '-') {
      if (!out.empty() && !separator) out += '_';
    } else {
      separator = true;  // spaces, slashes, dots, colons...: a new segment
    }
  }
  if (out.empty() || out.front() == '_') out = "unknown" + out;
  return out;
}

std::string audit_outcome(const std::string& outcome) {
  if (outcome == "success" || outcome == "denied" || outcome == "failure") return outcome;
  if (outcome.size() == 3 && std::isdigit(static_cast<unsigned char>(outcome[0])) != 0) {
    if (outcome[0] == '2' || outcome[0] == '3') return "success";
    if (outcome == "401" || outcome == "403") return "denied";
  }
  return "failure";
}

namespace {

// One COPY of `records` in its own transaction.
void copy_records(pqxx::connection_base& conn, const audit_record* first, std::size_t count) {
  pqxx::work tx{conn};
  pqxx::stream_to out{tx, "audit_log", columns};
  for (const auto* r = first; r != first + count; ++r) {
    auto action = audit_action_key(r->action);
    auto outcome = audit_outcome(r->outcome);
    json details = json::object();
    if (action != r->action) details["action"] = config::utf8_or_replacement(r->action);
    if (outcome != r->outcome) details["outcome"] = config::utf8_or_replacement(r->outcome);
    bool ip_ok = valid_ip(r->ip);
    if (!ip_ok && !r->ip.empty()) details["ip"] = config::utf8_or_replacement(r->ip);
    auto details_text = details.empty() ? std::string{"{}"} : details.dump();  // UTF-8 already
    out << std::make_tuple(text_or_null(r->actor_user_id), copy_field{action},
                           text_or_null(r->resource_type), text_or_null(r->resource_id),
                           copy_field{outcome}, copy_field{r->ip, !ip_ok},
                           text_or_null(r->user_agent), text_or_null(r->request_id),
                           copy_field{details_text}, copy_field{utc_millis_text(r->at_unix_ms)});
  }
  out.complete();
  tx.commit();
}

// The database refused the data itself (a value, a constraint, a trigger), not the connection:
// sending the same rows again cannot succeed.
bool refused_data(const pqxx::sql_error& e) {
  const auto& state = e.sqlstate();
  return state.rfind("22", 0) == 0 || state.rfind("23", 0) == 0 || state.rfind("P0", 0) == 0;
}

}  // namespace

std::size_t insert_audit_batch(pqxx::connection_base& conn,
                               const std::vector<audit_record>& records) {
  if (records.empty()) return 0;
  try {
    copy_records(conn, records.data(), records.size());
    return 0;
  } catch (const pqxx::sql_error& e) {
    if (!refused_data(e)) throw;
  }
  // One refused record must not hold back the others (nor the trail, retrying the batch
  // forever): each is written alone, and those refused again are counted and left out.
  std::size_t refused = 0;
  for (const auto& r : records) {
    try {
      copy_records(conn, &r, 1);
    } catch (const pqxx::sql_error& e) {
      if (!refused_data(e)) throw;
      ++refused;
    }
  }
  return refused;
}

}  // namespace mundoctor::persistence
