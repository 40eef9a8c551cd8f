// Slot holds and the waitlist.

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence {

using namespace calendar_detail;  // NOLINT(google-build-using-namespace): internal helpers

calendar::hold insert_hold(pqxx::connection_base& conn, const calendar::hold& h) {
  pqxx::work tx{conn};
  auto row = tx.exec_params1(
      "INSERT INTO appointment_holds (professional_id, patient_id, service_id, starts_at,"
      " ends_at, buffer_before_minutes, buffer_after_minutes, expires_at)"
      " VALUES ($1::uuid, $2, $3::uuid, to_timestamp($4::double precision),"
      " to_timestamp($5::double precision), $6, $7, to_timestamp($8::double precision))"
      " RETURNING " +
          hold_columns(),
      h.professional_id, h.patient_id, null_if_empty(h.service_id), to_epoch(h.starts_at),
      to_epoch(h.ends_at), h.buffer_before_minutes, h.buffer_after_minutes, to_epoch(h.expires_at));
  tx.commit();
  return read_hold(row);
}

calendar::appointment convert_hold(pqxx::connection_base& conn, const std::string& hold_id,
                                   const calendar::appointment& appt, const data_cipher* cipher) {
  if (!is_uuid(hold_id)) throw domain_error(errc::not_found, "hold not found", "HOLD_NOT_FOUND");
  pqxx::work tx{conn};
  auto held = tx.exec_params(
      "SELECT 1 FROM appointment_holds WHERE id = $1::uuid AND status = 'active'"
      " AND professional_id = $2::uuid AND patient_id = $3 FOR UPDATE",
      hold_id, appt.professional_id, appt.patient_id);
  if (held.empty()) throw domain_error(errc::not_found, "hold not found", "HOLD_NOT_FOUND");
  auto stored = insert_appointment_in(tx, appt, cipher, hold_id);
  tx.exec_params(
      "UPDATE appointment_holds SET status = 'converted', appointment_id = $2::uuid"
      " WHERE id = $1::uuid",
      hold_id, stored.id);
  tx.commit();
  return stored;
}

bool release_hold(pqxx::connection_base& conn, const std::string& hold_id) {
  if (!is_uuid(hold_id)) return false;
  pqxx::work tx{conn};
  auto r = tx.exec_params(
      "UPDATE appointment_holds SET status = 'released' WHERE id = $1::uuid AND status = 'active'",
      hold_id);
  tx.commit();
  return r.affected_rows() > 0;
}

std::vector<std::string> expire_holds(pqxx::connection_base& conn,
                                      const std::string& professional_id, calendar::instant now) {
  std::vector<std::string> ids;
  if (!is_uuid(professional_id)) return ids;
  pqxx::work tx{conn};
  auto rows = tx.exec_params(
      "UPDATE appointment_holds SET status = 'expired' WHERE professional_id = $1::uuid"
      " AND status = 'active' AND expires_at <= to_timestamp($2::double precision)"
      " RETURNING id::text",
      professional_id, to_epoch(now));
  tx.commit();
  for (const auto& r : rows) ids.push_back(r[0].as<std::string>());
  return ids;
}

namespace {

std::string waitlist_columns() {
  return "id::text, professional_id::text, patient_id, coalesce(service_id::text, ''), " +
         epoch_sql("window_from") + ", " + epoch_sql("window_to") +
         ", status, coalesce(hold_id::text, ''), " + epoch_sql("created_at");
}

waitlist_entry read_waitlist(const pqxx::row& r) {
  waitlist_entry e;
  e.id = r[0].as<std::string>();
  e.professional_id = r[1].as<std::string>();
  e.patient_id = r[2].as<std::string>();
  e.service_id = r[3].as<std::string>();
  e.window = {read_instant(r[4]), read_instant(r[5])};
  e.status = r[6].as<std::string>();
  e.hold_id = r[7].as<std::string>();
  e.created_at = read_instant(r[8]);
  return e;
}

}  // namespace

waitlist_entry add_waitlist_entry(pqxx::connection_base& conn, const waitlist_entry& entry) {
  pqxx::work tx{conn};
  pqxx::row row;
  try {
    row = tx.exec_params1(
        "INSERT INTO waitlist_entries (professional_id, patient_id, service_id, window_from,"
        " window_to) VALUES ($1::uuid, $2, $3::uuid, to_timestamp($4::double precision),"
        " to_timestamp($5::double precision)) RETURNING " +
            waitlist_columns(),
        entry.professional_id, entry.patient_id, null_if_empty(entry.service_id),
        to_epoch(entry.window.start), to_epoch(entry.window.end));
  } catch (const pqxx::unique_violation& e) {
    if (violates(e, "waitlist_entries_one_open"))
      throw domain_error(errc::already_exists, "already on the waitlist for this window");
    throw;
  }
  tx.commit();
  return read_waitlist(row);
}

std::optional<waitlist_entry> first_waiting_entry(pqxx::connection_base& conn,
                                                  const std::string& professional_id,
                                                  const calendar::interval& freed) {
  if (!is_uuid(professional_id)) return std::nullopt;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(
      "SELECT " + waitlist_columns() +
          " FROM waitlist_entries WHERE professional_id = $1::uuid AND status = 'waiting'"
          " AND window_from < to_timestamp($3::double precision)"
          " AND window_to > to_timestamp($2::double precision)"
          " ORDER BY created_at, id LIMIT 1",
      professional_id, to_epoch(freed.start), to_epoch(freed.end));
  if (rows.empty()) return std::nullopt;
  return read_waitlist(rows[0]);
}

bool mark_offered(pqxx::connection_base& conn, const std::string& entry_id,
                  const std::string& hold_id) {
  if (!is_uuid(entry_id) || !is_uuid(hold_id)) return false;
  pqxx::work tx{conn};
  auto r = tx.exec_params(
      "UPDATE waitlist_entries SET status = 'offered', hold_id = $2::uuid, offered_at = now()"
      " WHERE id = $1::uuid AND status = 'waiting'",
      entry_id, hold_id);
  tx.commit();
  return r.affected_rows() > 0;
}

}  // namespace mundoctor::persistence
