// The audit trail: batches of records written with one INSERT over jsonb_to_recordset.

#include <cctype>
#include <pqxx/pqxx>

#include <arpa/inet.h>
#include <nlohmann/json.hpp>

#include "persistence/prepared.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::persistence {

using nlohmann::json;

namespace {

constexpr const char* insert_sql = R"SQL(
INSERT INTO audit_log (actor_user_id, action, resource_type, resource_id, outcome, ip,
                       user_agent, request_id, details, created_at)
SELECT nullif(r.actor_user_id, ''), r.action, nullif(r.resource_type, ''),
       nullif(r.resource_id, ''), r.outcome, r.ip::inet, nullif(r.user_agent, ''),
       nullif(r.request_id, ''), r.details,
       CASE WHEN r.at_ms > 0 THEN to_timestamp(r.at_ms / 1000.0) ELSE now() END
  FROM jsonb_to_recordset($1::jsonb) AS r(actor_user_id text, action text, resource_type text,
       resource_id text, outcome text, ip text, user_agent text, request_id text,
       details jsonb, at_ms bigint)
)SQL";

bool valid_ip(const std::string& text) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

json row_of(const audit_record& r) {
  auto action = audit_action_key(r.action);
  auto outcome = audit_outcome(r.outcome);
  json details = json::object();
  if (action != r.action) details["action"] = r.action;
  if (outcome != r.outcome) details["outcome"] = r.outcome;
  json ip = nullptr;
  if (valid_ip(r.ip))
    ip = r.ip;
  else if (!r.ip.empty())
    details["ip"] = r.ip;
  return {{"actor_user_id", r.actor_user_id},
          {"action", action},
          {"resource_type", r.resource_type},
          {"resource_id", r.resource_id},
          {"outcome", outcome},
          {"ip", ip},
          {"user_agent", r.user_agent},
          {"request_id", r.request_id},
          {"details", details},
          {"at_ms", r.at_unix_ms}};
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

void insert_audit_batch(pqxx::connection_base& conn, const std::vector<audit_record>& records) {
  if (records.empty()) return;
  auto rows = json::array();
  for (const auto& r : records) rows.push_back(row_of(r));
  pqxx::work tx{conn};
  exec_prepared_sql(tx, "audit.insert_batch", insert_sql, rows.dump());
  tx.commit();
}

}  // namespace mundoctor::persistence
