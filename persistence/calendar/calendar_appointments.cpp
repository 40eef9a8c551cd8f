// Appointments: insert, lookups, status changes, reschedule and history.

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence {

using namespace calendar_detail;  // NOLINT(google-build-using-namespace): internal helpers

namespace calendar_detail {

calendar::appointment insert_appointment_in(pqxx::transaction_base& tx,
                                            const calendar::appointment& a,
                                            const data_cipher* cipher,
                                            const std::optional<std::string>& hold_id) {
  auto notes = seal(cipher, a.notes);
  pqxx::row row;
  try {
    // One statement for the row and its 'created' history entry.
    row = tx.exec_params1(
        "WITH a AS (INSERT INTO appointments (professional_id, patient_id, service_id, starts_at,"
        " ends_at, buffer_before_minutes, buffer_after_minutes, timezone, status, modality,"
        " price_cents, currency, notes_ciphertext, notes_key_id, idempotency_key, hold_id,"
        " created_by, confirmed_at)"
        " VALUES ($1::uuid, $2, $3::uuid, to_timestamp($4::double precision),"
        " to_timestamp($5::double precision), $6, $7, $8, $9::text, $10, $11, $12, $13::bytea,"
        " $14, $15, $16::uuid, $17, CASE WHEN $9::text = 'confirmed' THEN now() END)"
        " RETURNING *), h AS (INSERT INTO appointment_history (appointment_id, action,"
        " changed_by, to_status, new_starts_at, new_ends_at) SELECT id, 'created', created_by,"
        " status, starts_at, ends_at FROM a) SELECT " +
            appointment_columns("a") + " FROM a",
        a.professional_id, a.patient_id, null_if_empty(a.service_id), to_epoch(a.starts_at),
        to_epoch(a.ends_at), a.buffer_before_minutes, a.buffer_after_minutes, a.timezone, a.status,
        a.modality, a.price_cents, a.currency, notes.bytea_hex, notes.key_id,
        null_if_empty(a.idempotency_key), hold_id, null_if_empty(a.created_by));
  } catch (const pqxx::unique_violation& e) {
    if (violates(e, "appointments_idempotency_key"))
      throw domain_error(errc::already_exists,
                         "an appointment was already created with this idempotency key");
    throw;
  }
  auto stored = read_appointment(row, nullptr);
  stored.notes = a.notes;
  return stored;
}

}  // namespace calendar_detail

calendar::appointment insert_appointment(pqxx::connection_base& conn,
                                         const calendar::appointment& appt,
                                         const data_cipher* cipher) {
  pqxx::work tx{conn};
  auto stored = insert_appointment_in(tx, appt, cipher, std::nullopt);
  tx.commit();
  return stored;
}

calendar::appointment insert_appointment(pqxx::transaction_base& tx,
                                         const calendar::appointment& appt,
                                         const data_cipher* cipher) {
  return insert_appointment_in(tx, appt, cipher, std::nullopt);
}

std::optional<calendar::appointment> find_by_idempotency_key(pqxx::connection_base& conn,
                                                             const std::string& patient_id,
                                                             const std::string& key,
                                                             const data_cipher* cipher) {
  if (key.empty()) return std::nullopt;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params("SELECT " + appointment_columns() +
                                 " FROM appointments a WHERE a.patient_id = $1"
                                 " AND a.idempotency_key = $2",
                             patient_id, key);
  if (rows.empty()) return std::nullopt;
  return read_appointment(rows[0], cipher);
}

std::optional<calendar::appointment> find_appointment(pqxx::connection_base& conn,
                                                      const std::string& id,
                                                      const data_cipher* cipher) {
  if (!is_uuid(id)) return std::nullopt;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(
      "SELECT " + appointment_columns() + " FROM appointments a WHERE a.id = $1::uuid", id);
  if (rows.empty()) return std::nullopt;
  return read_appointment(rows[0], cipher);
}

bool update_status(pqxx::connection_base& conn, const std::string& id,
                   const std::string& from_status, const std::string& to_status,
                   const std::string& changed_by, const std::string& reason) {
  if (!is_uuid(id)) return false;
  pqxx::work tx{conn};
  auto changed = tx.exec_params(
      "UPDATE appointments SET status = $3,"
      " cancelled_at = CASE WHEN $3 = 'cancelled' THEN now() ELSE cancelled_at END,"
      " cancelled_by = CASE WHEN $3 = 'cancelled' THEN $4 ELSE cancelled_by END,"
      " cancellation_reason = CASE WHEN $3 = 'cancelled' THEN $5 ELSE cancellation_reason END,"
      " confirmed_at = CASE WHEN $3 = 'confirmed' THEN now() ELSE confirmed_at END,"
      " started_at = CASE WHEN $3 = 'in_progress' THEN now() ELSE started_at END,"
      " completed_at = CASE WHEN $3 = 'completed' THEN now() ELSE completed_at END"
      " WHERE id = $1::uuid AND status = $2",
      id, from_status, to_status, null_if_empty(changed_by), null_if_empty(reason));
  if (changed.affected_rows() == 0) return false;
  tx.exec_params(
      "INSERT INTO appointment_history (appointment_id, action, changed_by, from_status,"
      " to_status, reason) VALUES ($1::uuid, $2, $3, $4, $5, $6)",
      id, to_status == "cancelled" ? "cancelled" : "status_changed", null_if_empty(changed_by),
      from_status, to_status, null_if_empty(reason));
  tx.commit();
  return true;
}

bool reschedule(pqxx::connection_base& conn, const std::string& id, calendar::instant new_start,
                calendar::instant new_end, const std::string& changed_by) {
  if (!is_uuid(id)) return false;
  pqxx::work tx{conn};
  // The old times come from the row as it was before this statement's update.
  auto rows = tx.exec_params(
      "UPDATE appointments a SET starts_at = to_timestamp($2::double precision),"
      " ends_at = to_timestamp($3::double precision)"
      " FROM appointments old WHERE a.id = $1::uuid AND old.id = a.id"
      " AND a.status IN ('pending', 'confirmed', 'in_progress')"
      " RETURNING old.starts_at, old.ends_at, a.status",
      id, to_epoch(new_start), to_epoch(new_end));
  if (rows.empty()) return false;
  tx.exec_params(
      "INSERT INTO appointment_history (appointment_id, action, changed_by, from_status,"
      " to_status, old_starts_at, old_ends_at, new_starts_at, new_ends_at)"
      " VALUES ($1::uuid, 'rescheduled', $2, $3, $3, $4::timestamptz, $5::timestamptz,"
      " to_timestamp($6::double precision), to_timestamp($7::double precision))",
      id, null_if_empty(changed_by), rows[0][2].as<std::string>(), rows[0][0].as<std::string>(),
      rows[0][1].as<std::string>(), to_epoch(new_start), to_epoch(new_end));
  tx.commit();
  return true;
}

std::vector<appointment_change> appointment_history(pqxx::connection_base& conn,
                                                    const std::string& appointment_id) {
  std::vector<appointment_change> out;
  if (!is_uuid(appointment_id)) return out;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params("SELECT action, changed_by, " + epoch_sql("changed_at") +
                                 ", from_status, to_status, " + epoch_sql("old_starts_at") + ", " +
                                 epoch_sql("old_ends_at") + ", " + epoch_sql("new_starts_at") +
                                 ", " + epoch_sql("new_ends_at") +
                                 ", reason FROM appointment_history WHERE appointment_id = $1::uuid"
                                 " ORDER BY changed_at, id",
                             appointment_id);
  for (const auto& r : rows) {
    appointment_change c;
    c.action = r[0].as<std::string>();
    c.changed_by = text_or_empty(r[1]);
    c.changed_at = read_instant(r[2]);
    c.from_status = text_or_empty(r[3]);
    c.to_status = text_or_empty(r[4]);
    c.old_starts_at = read_optional_instant(r[5]);
    c.old_ends_at = read_optional_instant(r[6]);
    c.new_starts_at = read_optional_instant(r[7]);
    c.new_ends_at = read_optional_instant(r[8]);
    c.reason = text_or_empty(r[9]);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace mundoctor::persistence
