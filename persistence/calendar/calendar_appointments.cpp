// Appointments: insert, lookups, status changes, reschedule and history.

#include <nlohmann/json.hpp>

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"
#include "persistence/prepared.hpp"

namespace mundoctor::persistence {

using namespace calendar_detail;  // NOLINT(google-build-using-namespace): internal helpers

namespace calendar_detail {

namespace {

// The rows of one booking statement, as jsonb_to_recordset reads them.
nlohmann::json booking_rows(const std::vector<const calendar::appointment*>& appts,
                            const data_cipher* cipher, const std::optional<std::string>& hold_id) {
  auto or_null = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  auto rows = nlohmann::json::array();
  for (std::size_t i = 0; i < appts.size(); ++i) {
    const auto& a = *appts[i];
    auto notes = seal(cipher, a.notes);
    rows.push_back({{"ord", i},
                    {"professional_id", a.professional_id},
                    {"patient_id", a.patient_id},
                    {"service_id", or_null(null_if_empty(a.service_id))},
                    {"starts_at", to_epoch(a.starts_at)},
                    {"ends_at", to_epoch(a.ends_at)},
                    {"buffer_before_minutes", a.buffer_before_minutes},
                    {"buffer_after_minutes", a.buffer_after_minutes},
                    {"timezone", a.timezone},
                    {"status", a.status},
                    {"modality", a.modality},
                    {"price_cents", a.price_cents},
                    {"currency", a.currency},
                    {"notes_ciphertext", or_null(notes.bytea_hex)},
                    {"notes_key_id", or_null(notes.key_id)},
                    {"idempotency_key", or_null(null_if_empty(a.idempotency_key))},
                    {"hold_id", or_null(hold_id)},
                    {"created_by", or_null(null_if_empty(a.created_by))}});
  }
  return rows;
}

// The statement's parameter. Text JSON cannot carry (not UTF-8) is refused here, before
// anything is sent.
std::string booking_rows_text(const std::vector<const calendar::appointment*>& appts,
                              const data_cipher* cipher,
                              const std::optional<std::string>& hold_id) {
  try {
    return booking_rows(appts, cipher, hold_id).dump();
  } catch (const nlohmann::json::exception&) {
    throw domain_error(errc::invalid_argument, "A booking field is not valid UTF-8 text");
  }
}

// Runs the booking statement over `rows_json` (booking_rows_text of `appts`); the stored rows in
// the order of `appts`.
std::vector<calendar::appointment> insert_rows(
    pqxx::transaction_base& tx, const std::string& rows_json,
    const std::vector<const calendar::appointment*>& appts) {
  // One statement, prepared once per connection, for the rows and their 'created' history
  // entries. The ids are drawn first (a materialized CTE) so that each stored row is matched to
  // its input row: RETURNING gives no order.
  static const std::string sql =
      "WITH r AS MATERIALIZED (SELECT gen_random_uuid() AS id, r.* FROM"
      " jsonb_to_recordset($1::jsonb) AS r(ord integer, professional_id uuid, patient_id text,"
      " service_id uuid, starts_at bigint, ends_at bigint, buffer_before_minutes integer,"
      " buffer_after_minutes integer, timezone text, status text, modality text,"
      " price_cents bigint, currency text, notes_ciphertext text, notes_key_id text,"
      " idempotency_key text, hold_id uuid, created_by text)),"
      " a AS (INSERT INTO appointments (id, professional_id, patient_id, service_id, starts_at,"
      " ends_at, buffer_before_minutes, buffer_after_minutes, timezone, status, modality,"
      " price_cents, currency, notes_ciphertext, notes_key_id, idempotency_key, hold_id,"
      " created_by, confirmed_at) SELECT id, professional_id, patient_id, service_id,"
      " to_timestamp(starts_at), to_timestamp(ends_at), buffer_before_minutes,"
      " buffer_after_minutes, timezone, status, modality, price_cents, currency,"
      " notes_ciphertext::bytea, notes_key_id, idempotency_key, hold_id, created_by,"
      " CASE WHEN status = 'confirmed' THEN now() END FROM r ORDER BY ord RETURNING *),"
      " h AS (INSERT INTO appointment_history (appointment_id, action, changed_by, to_status,"
      " new_starts_at, new_ends_at) SELECT id, 'created', created_by, status, starts_at, ends_at"
      " FROM a) SELECT r.ord, " +
      appointment_columns("a") + " FROM a JOIN r ON r.id = a.id";
  pqxx::result rows;
  try {
    rows = exec_prepared_sql(tx, "calendar.insert_appointments", sql, rows_json);
  } catch (const pqxx::unique_violation& e) {
    if (violates(e, "appointments_idempotency_key"))
      throw domain_error(errc::already_exists,
                         "an appointment was already created with this idempotency key");
    throw;
  }
  if (rows.size() != appts.size())
    throw pqxx::unexpected_rows{"the booking statement stored " + std::to_string(rows.size()) +
                                " of " + std::to_string(appts.size()) + " rows"};
  std::vector<calendar::appointment> stored(appts.size());
  for (const auto& row : rows) {
    auto ord = row[0].as<std::size_t>();
    if (ord >= stored.size()) throw pqxx::unexpected_rows{"the booking statement's rows differ"};
    stored[ord] = read_appointment(row, nullptr, 1);
    stored[ord].notes = appts[ord]->notes;
  }
  return stored;
}

}  // namespace

std::vector<calendar::appointment> insert_appointments_in(
    pqxx::transaction_base& tx, const std::vector<const calendar::appointment*>& appts,
    const data_cipher* cipher, const std::optional<std::string>& hold_id) {
  return insert_rows(tx, booking_rows_text(appts, cipher, hold_id), appts);
}

calendar::appointment insert_appointment_in(pqxx::transaction_base& tx,
                                            const calendar::appointment& a,
                                            const data_cipher* cipher,
                                            const std::optional<std::string>& hold_id) {
  return insert_appointments_in(tx, {&a}, cipher, hold_id).front();
}

}  // namespace calendar_detail

calendar::appointment insert_appointment(pqxx::connection_base& conn,
                                         const calendar::appointment& appt,
                                         const data_cipher* cipher) {
  // One statement is atomic by itself: run in autocommit, it costs one round trip instead of
  // three (BEGIN, the statement, COMMIT), and it is committed when it returns. The statement is
  // its own commit, so only a refusal (an SQL error, a domain error) means nothing is stored;
  // anything else (a lost connection, a failure reading the answer) leaves the outcome
  // unknown, and the pool never runs it again.
  auto rows = booking_rows_text({&appt}, cipher, std::nullopt);  // before anything is sent
  pqxx::nontransaction tx{conn};
  return run_autocommit("the booking statement",
                        [&] { return insert_rows(tx, rows, {&appt}).front(); });
}

calendar::appointment insert_appointment(pqxx::transaction_base& tx,
                                         const calendar::appointment& appt,
                                         const data_cipher* cipher) {
  return insert_appointment_in(tx, appt, cipher, std::nullopt);
}

std::vector<calendar::appointment> insert_appointments(
    pqxx::transaction_base& tx, const std::vector<const calendar::appointment*>& appts,
    const data_cipher* cipher) {
  return insert_appointments_in(tx, appts, cipher, std::nullopt);
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
