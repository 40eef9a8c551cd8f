// The medical history: completed appointments with the medical record their professional
// wrote, and who may read it.

#include <pqxx/pqxx>

#include "persistence/domain_error.hpp"
#include "persistence/patients/patient_repository.hpp"
#include "persistence/patients/patient_sql.hpp"

namespace mundoctor::persistence {

using nlohmann::json;
using namespace patients_detail;

namespace {

std::string history_sql() {
  return "SELECT a.id::text, " + utc_text("a.starts_at") + ", " + utc_text("a.ends_at") +
         ", a.timezone, a.status, a.modality, s.id::text, s.name, pp.id::text, pp.user_id, "
         "nullif(u.full_name, ''), sp.name, u.avatar_url, mr.id::text, "
         "mr.diagnosis_ciphertext, mr.diagnosis_key_id, mr.treatment_ciphertext, "
         "mr.treatment_key_id, mr.prescriptions_ciphertext, mr.prescriptions_key_id, " +
         utc_text("mr.created_at") + ", " + utc_text("mr.updated_at") +
         " FROM appointments a "
         " JOIN professional_profiles pp ON pp.id = a.professional_id "
         " JOIN users u ON u.id = pp.user_id "
         " LEFT JOIN specialties sp ON sp.id = pp.specialty_id "
         " LEFT JOIN services s ON s.id = a.service_id "
         " LEFT JOIN medical_records mr ON mr.appointment_id = a.id "
         "WHERE a.patient_id = $1 AND a.status = 'completed' "
         "ORDER BY a.starts_at DESC, a.id LIMIT $2 OFFSET $3";
}

json history_item(const pqxx::row& r, const data_cipher* cipher) {
  json service = nullptr;
  if (!r[6].is_null()) service = {{"id", r[6].c_str()}, {"name", text_or_null(r[7])}};
  json record = nullptr;
  if (!r[13].is_null()) {
    auto prescriptions = open_json(cipher, r[18], r[19]);
    record = {{"id", r[13].c_str()},
              {"diagnosis", open_json(cipher, r[14], r[15])},
              {"treatment", open_json(cipher, r[16], r[17])},
              {"prescriptions", prescriptions.is_null() ? json::array() : prescriptions},
              {"created_at", r[20].c_str()},
              {"updated_at", r[21].c_str()}};
  }
  return {{"appointment_id", r[0].c_str()},
          {"starts_at", r[1].c_str()},
          {"ends_at", r[2].c_str()},
          {"timezone", r[3].c_str()},
          {"status", r[4].c_str()},
          {"modality", r[5].c_str()},
          {"service", std::move(service)},
          {"professional",
           {{"id", r[8].c_str()},
            {"user_id", r[9].c_str()},
            {"name", text_or_null(r[10])},
            {"specialty", text_or_null(r[11])},
            {"avatar_url", text_or_null(r[12])}}},
          {"record", std::move(record)}};
}

}  // namespace

json_page list_medical_history(pqxx::connection_base& conn, const std::string& patient_id,
                               int64_t offset, int64_t limit, const data_cipher* cipher) {
  pqxx::read_transaction tx{conn};
  json_page out;
  out.total = tx.exec_params1(
                    "SELECT count(*) FROM appointments "
                    "WHERE patient_id = $1 AND status = 'completed'",
                    patient_id)[0]
                  .as<int64_t>();
  for (const auto& r : tx.exec_params(history_sql(), patient_id, limit, offset))
    out.items.push_back(history_item(r, cipher));
  return out;
}

bool professional_sees_patient(pqxx::connection_base& conn, const std::string& professional_user,
                               const std::string& patient_id) {
  pqxx::read_transaction tx{conn};
  return tx
      .exec_params1(
          "SELECT EXISTS (SELECT 1 FROM appointments a "
          "JOIN professional_profiles pp ON pp.id = a.professional_id "
          "WHERE pp.user_id = $1 AND a.patient_id = $2)",
          professional_user, patient_id)[0]
      .as<bool>();
}

bool is_patient(pqxx::connection_base& conn, const std::string& user_id) {
  pqxx::read_transaction tx{conn};
  return tx
      .exec_params1("SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'patient')",
                    user_id)[0]
      .as<bool>();
}

namespace {

struct appointment_parties {
  std::string patient;
  std::string professional;  // profile id
};

// The appointment's parties once `author` may write its record (locked for the write).
appointment_parties writable_appointment(pqxx::transaction_base& tx, const std::string& id,
                                         const std::string& author, bool admin) {
  auto found = tx.exec_params(
      "SELECT a.status, a.patient_id, a.professional_id::text, pp.user_id FROM appointments a "
      "JOIN professional_profiles pp ON pp.id = a.professional_id WHERE a.id = $1::uuid "
      "FOR UPDATE OF a",
      id);
  if (found.empty() || (!admin && found[0][3].as<std::string>() != author))
    throw domain_error(errc::not_found, "Appointment not found", "APPOINTMENT_NOT_FOUND");
  if (found[0][0].as<std::string>() != "completed")
    throw domain_error(errc::conflict, "Only a completed appointment has a medical record",
                       "INVALID_STATE");
  return {found[0][1].as<std::string>(), found[0][2].as<std::string>()};
}

constexpr const char* upsert_record_sql =
    "INSERT INTO medical_records (appointment_id, patient_id, professional_id, "
    "diagnosis_ciphertext, diagnosis_key_id, treatment_ciphertext, treatment_key_id, "
    "prescriptions_ciphertext, prescriptions_key_id, created_by) "
    "VALUES ($1::uuid, $2, $3::uuid, $4::bytea, $5, $6::bytea, $7, $8::bytea, $9, $10) "
    "ON CONFLICT ON CONSTRAINT medical_records_appointment_key DO UPDATE SET "
    "diagnosis_ciphertext = EXCLUDED.diagnosis_ciphertext, "
    "diagnosis_key_id = EXCLUDED.diagnosis_key_id, "
    "treatment_ciphertext = EXCLUDED.treatment_ciphertext, "
    "treatment_key_id = EXCLUDED.treatment_key_id, "
    "prescriptions_ciphertext = EXCLUDED.prescriptions_ciphertext, "
    "prescriptions_key_id = EXCLUDED.prescriptions_key_id "
    "RETURNING id::text AS id, created_at, updated_at, (xmax = 0) AS inserted";

}  // namespace

medical_record_result put_medical_record(pqxx::connection_base& conn,
                                         const std::string& appointment_id,
                                         const std::string& author, bool admin,
                                         const medical_record_input& input,
                                         const data_cipher* cipher) {
  if (!is_uuid(appointment_id))
    throw domain_error(errc::not_found, "Appointment not found", "APPOINTMENT_NOT_FOUND");
  // Sealed as JSON text, like every medical field (open_json reads them back).
  auto as_json = [](const std::string& t) { return t.empty() ? t : json(t).dump(); };
  auto diagnosis = seal(cipher, as_json(input.diagnosis));
  auto treatment = seal(cipher, as_json(input.treatment));
  auto prescriptions =
      seal(cipher, input.prescriptions_json == "[]" ? "" : input.prescriptions_json);
  pqxx::work tx{conn};
  auto parties = writable_appointment(tx, appointment_id, author, admin);
  auto row = tx.exec_params1(
      "WITH r AS (" + std::string{upsert_record_sql} + ") SELECT id, " + utc_text("created_at") +
          ", " + utc_text("updated_at") + ", inserted FROM r",
      appointment_id, parties.patient, parties.professional, diagnosis.bytea_hex, diagnosis.key_id,
      treatment.bytea_hex, treatment.key_id, prescriptions.bytea_hex, prescriptions.key_id, author);
  tx.commit();
  auto text = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  medical_record_result out;
  out.created = row[3].as<bool>();
  out.record = {{"id", row[0].c_str()},
                {"appointment_id", appointment_id},
                {"patient_id", parties.patient},
                {"professional_id", parties.professional},
                {"diagnosis", text(input.diagnosis)},
                {"treatment", text(input.treatment)},
                {"prescriptions", json::parse(input.prescriptions_json)},
                {"created_at", row[1].c_str()},
                {"updated_at", row[2].c_str()}};
  return out;
}

}  // namespace mundoctor::persistence
