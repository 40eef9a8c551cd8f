// The medical part of the patient profile: blood type in clear, the free texts sealed.

#include <pqxx/pqxx>

#include "persistence/patients/patient_repository.hpp"
#include "persistence/patients/patient_sql.hpp"

namespace mundoctor::persistence {

using nlohmann::json;
using namespace patients_detail;

json get_medical_profile(pqxx::connection_base& conn, const std::string& user_id,
                         const data_cipher* cipher) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(
      "SELECT blood_type, allergies_ciphertext, allergies_key_id, conditions_ciphertext, "
      "conditions_key_id, medications_ciphertext, medications_key_id "
      "FROM patient_profiles WHERE user_id = $1",
      user_id);
  json out{{"blood_type", nullptr},
           {"allergies", nullptr},
           {"conditions", nullptr},
           {"medications", nullptr}};
  if (rows.empty()) return out;
  const auto& r = rows[0];
  out["blood_type"] = text_or_null(r[0]);
  out["allergies"] = open_json(cipher, r[1], r[2]);
  out["conditions"] = open_json(cipher, r[3], r[4]);
  out["medications"] = open_json(cipher, r[5], r[6]);
  return out;
}

namespace {

// "<field>_ciphertext = CASE WHEN $n THEN $n+1::bytea ELSE ... END, <field>_key_id = ..."
std::string replace_sealed(const std::string& field, int param) {
  auto flag = "$" + std::to_string(param) + "::boolean";
  auto blob = "$" + std::to_string(param + 1) + "::bytea";
  auto key = "$" + std::to_string(param + 2) + "::text";
  return field + "_ciphertext = CASE WHEN " + flag + " THEN " + blob + " ELSE " + field +
         "_ciphertext END, " + field + "_key_id = CASE WHEN " + flag + " THEN " + key + " ELSE " +
         field + "_key_id END";
}

}  // namespace

void update_medical_profile(pqxx::connection_base& conn, const std::string& user_id,
                            const medical_profile_update& update, const data_cipher* cipher) {
  auto seal_if = [cipher](const std::optional<std::string>& text) {
    return text ? seal(cipher, *text) : sealed_text{};
  };
  auto allergies = seal_if(update.allergies);
  auto conditions = seal_if(update.conditions);
  auto medications = seal_if(update.medications);
  pqxx::work tx{conn};
  tx.exec_params(
      "INSERT INTO patient_profiles (user_id) VALUES ($1) "
      "ON CONFLICT ON CONSTRAINT patient_profiles_user_key DO NOTHING",
      user_id);
  auto sql =
      "UPDATE patient_profiles SET blood_type = CASE WHEN $2::text IS NULL THEN blood_type "
      "ELSE nullif($2::text, '') END, " +
      replace_sealed("allergies", 3) + ", " + replace_sealed("conditions", 6) + ", " +
      replace_sealed("medications", 9) + " WHERE user_id = $1";
  tx.exec_params(sql, user_id, update.blood_type, update.allergies.has_value(), allergies.bytea_hex,
                 allergies.key_id, update.conditions.has_value(), conditions.bytea_hex,
                 conditions.key_id, update.medications.has_value(), medications.bytea_hex,
                 medications.key_id);
  tx.commit();
}

}  // namespace mundoctor::persistence
