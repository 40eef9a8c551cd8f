// Clerk webhook events (user.created / user.updated / user.deleted), idempotent on svix-id.

#include <pqxx/pqxx>

#include "persistence/users/user_repository.hpp"
#include "persistence/users/user_sql.hpp"

namespace mundoctor::persistence {

namespace {

constexpr const char* record_sql = R"SQL(
INSERT INTO webhook_events (provider, event_id, event_type, payload)
VALUES ('clerk', $1, $2, $3::jsonb)
ON CONFLICT ON CONSTRAINT webhook_events_provider_event_key DO NOTHING
RETURNING id
)SQL";

constexpr const char* upsert_sql = R"SQL(
INSERT INTO users (id, email, email_verified, first_name, last_name, avatar_url, phone)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE
   SET email = EXCLUDED.email, email_verified = EXCLUDED.email_verified,
       first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,
       avatar_url = EXCLUDED.avatar_url, phone = EXCLUDED.phone
)SQL";

void upsert_user(pqxx::transaction_base& tx, const clerk_user_fields& u) {
  if (u.id.empty()) throw domain_error(errc::invalid_argument, "the event names no user");
  tx.exec_params(upsert_sql, u.id, u.email, u.email_verified, u.first_name, u.last_name,
                 u.avatar_url, u.phone);
  if (u.role.empty()) return;
  auto current = detail::read_principal(tx, u.id, true);
  if (current && current->role.empty()) detail::apply_role(tx, u.id, u.role);
}

void soft_delete_user(pqxx::transaction_base& tx, const std::string& id) {
  tx.exec_params(
      "UPDATE users SET status = 'deleted', deleted_at = now() "
      "WHERE id = $1 AND status <> 'deleted'",
      id);
}

}  // namespace

bool apply_clerk_event(pqxx::connection_base& conn, const std::string& svix_id,
                       const clerk_event& event) {
  pqxx::work tx{conn};
  auto type = event.type.empty() ? std::string{"unknown"} : event.type;
  auto inserted = tx.exec_params(record_sql, svix_id, type, event.payload_json);
  if (inserted.empty()) {
    tx.commit();
    return false;
  }
  if (type == "user.created" || type == "user.updated")
    upsert_user(tx, event.user);
  else if (type == "user.deleted" && !event.user.id.empty())
    soft_delete_user(tx, event.user.id);
  tx.exec_params(
      "UPDATE webhook_events SET status = 'processed', attempts = attempts + 1, "
      "processed_at = now() WHERE id = $1",
      inserted[0][0].as<std::string>());
  tx.commit();
  return true;
}

}  // namespace mundoctor::persistence
