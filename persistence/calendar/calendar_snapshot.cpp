// Bookability (the professional_profiles.bookable column), professional id resolution and the
// snapshot a calendar actor loads.

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence {

using namespace calendar_detail;  // NOLINT(google-build-using-namespace): internal helpers

std::optional<std::string> resolve_professional_id(pqxx::connection_base& conn,
                                                   const std::string& id) {
  if (id.empty() || id.size() > 128) return std::nullopt;
  pqxx::read_transaction tx{conn};
  pqxx::result rows =
      is_uuid(id)
          ? tx.exec_params(
                "SELECT id::text FROM professional_profiles WHERE id = $1::uuid OR "
                "user_id = $2 LIMIT 1",
                id, id)
          : tx.exec_params("SELECT id::text FROM professional_profiles WHERE user_id = $1", id);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

bool is_bookable(pqxx::connection_base& conn, const std::string& professional_id) {
  if (!is_uuid(professional_id)) return false;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params("SELECT p.bookable FROM professional_profiles p WHERE p.id = $1::uuid",
                             professional_id);
  return !rows.empty() && rows[0][0].as<bool>();
}

namespace {

bool read_header(pqxx::transaction_base& tx, const std::string& id, calendar_snapshot& out) {
  auto rows = tx.exec_params(
      "SELECT p.id::text, u.id, u.full_name, p.bookable, p.timezone"
      " FROM professional_profiles p"
      " JOIN users u ON u.id = p.user_id WHERE p.id = $1::uuid",
      id);
  if (rows.empty()) return false;
  out.professional_id = rows[0][0].as<std::string>();
  out.user_id = rows[0][1].as<std::string>();
  out.display_name = text_or_empty(rows[0][2]);
  out.bookable = rows[0][3].as<bool>();
  out.sched.zone = rows[0][4].as<std::string>();
  return true;
}

void read_schedule(pqxx::transaction_base& tx, const std::string& id, calendar::schedule& s) {
  for (const auto& r : tx.exec_params("SELECT " + weekly_rule_columns() +
                                          " FROM schedules WHERE professional_id = $1::uuid"
                                          " AND is_active ORDER BY day_of_week, start_time",
                                      id))
    s.weekly.push_back(read_weekly_rule(r));
  for (const auto& r : tx.exec_params(
           "SELECT " + exception_columns() +
               " FROM schedule_exceptions WHERE professional_id = $1::uuid AND ends_on >= "
               "(now() AT TIME ZONE $2)::date ORDER BY starts_on, start_time NULLS FIRST",
           id, s.zone))
    s.exceptions.push_back(read_exception(r));
  auto policy = tx.exec_params(
      "SELECT " + policy_columns() + " FROM booking_policies WHERE professional_id = $1::uuid", id);
  s.policy = policy.empty() ? calendar::booking_policy{} : read_policy(policy[0]);
}

void read_occupancy(pqxx::transaction_base& tx, const std::string& id, const data_cipher* cipher,
                    calendar_snapshot& out) {
  for (const auto& r : tx.exec_params(
           "SELECT " + service_columns() +
               " FROM services s WHERE s.professional_id = $1::uuid AND s.deleted_at IS NULL"
               " ORDER BY s.name, s.id",
           id))
    out.services.push_back(read_service(r));
  for (const auto& r :
       tx.exec_params("SELECT " + appointment_columns() +
                          " FROM appointments a WHERE a.professional_id = $1::uuid"
                          " AND a.status IN ('pending', 'confirmed', 'in_progress')"
                          " AND a.ends_at > now() - interval '1 day' ORDER BY a.starts_at",
                      id))
    out.appointments.push_back(read_appointment(r, cipher));
  for (const auto& r : tx.exec_params("SELECT " + hold_columns() +
                                          " FROM appointment_holds WHERE professional_id = "
                                          "$1::uuid AND status = 'active' AND expires_at > now()"
                                          " ORDER BY starts_at",
                                      id))
    out.holds.push_back(read_hold(r));
}

}  // namespace

std::optional<calendar_snapshot> load_calendar(pqxx::connection_base& conn,
                                               const std::string& professional_id,
                                               const data_cipher* cipher) {
  if (!is_uuid(professional_id)) return std::nullopt;
  // One snapshot of the database for every part of the calendar.
  pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx{conn};
  calendar_snapshot out;
  if (!read_header(tx, professional_id, out)) return std::nullopt;
  read_schedule(tx, professional_id, out.sched);
  read_occupancy(tx, professional_id, cipher, out);
  tx.commit();
  return out;
}

}  // namespace mundoctor::persistence
