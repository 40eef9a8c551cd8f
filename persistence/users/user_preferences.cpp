// Preferences: language, time zone, default notification channels and reminder offsets.

#include <pqxx/pqxx>

#include "persistence/users/user_repository.hpp"
#include "persistence/users/user_sql.hpp"

namespace mundoctor::persistence {

namespace {

constexpr const char* ensure_sql = R"SQL(
INSERT INTO user_preferences (user_id)
SELECT id FROM users WHERE id = $1
ON CONFLICT (user_id) DO NOTHING
)SQL";

constexpr const char* select_sql = R"SQL(
SELECT jsonb_build_object('language', language, 'timezone', timezone,
                          'notification_channels', to_jsonb(notification_channels),
                          'reminder_offsets_minutes', to_jsonb(reminder_offsets_minutes))::text
  FROM user_preferences WHERE user_id = $1
)SQL";

std::string read_preferences(pqxx::transaction_base& tx, const std::string& id) {
  auto rows = tx.exec_params(select_sql, id);
  if (rows.empty()) throw domain_error(errc::not_found, "user not found");
  return rows[0][0].as<std::string>();
}

}  // namespace

std::string get_preferences_json(pqxx::connection_base& conn, const std::string& id) {
  pqxx::work tx{conn};
  tx.exec_params(ensure_sql, id);
  auto out = read_preferences(tx, id);
  tx.commit();
  return out;
}

std::string put_preferences_json(pqxx::connection_base& conn, const std::string& id,
                                 const preferences_update& update) {
  std::optional<std::string> channels;
  if (update.notification_channels) channels = detail::array_literal(*update.notification_channels);
  std::optional<std::string> reminders;
  if (update.reminder_offsets_minutes)
    reminders = detail::array_literal(*update.reminder_offsets_minutes);
  auto sql = "UPDATE user_preferences SET " + detail::keep_or_replace("language", 2, "text") +
             ", " + detail::keep_or_replace("timezone", 3, "text") + ", " +
             detail::keep_or_replace("notification_channels", 4, "text[]") + ", " +
             detail::keep_or_replace("reminder_offsets_minutes", 5, "integer[]") +
             " WHERE user_id = $1";
  pqxx::work tx{conn};
  tx.exec_params(ensure_sql, id);
  tx.exec_params(sql, id, update.language, update.timezone, channels, reminders);
  auto out = read_preferences(tx, id);
  tx.commit();
  return out;
}

}  // namespace mundoctor::persistence
