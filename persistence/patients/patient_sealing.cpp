
#include "persistence/patients/patient_sql.hpp"

namespace mundoctor::persistence::patients_detail {

nlohmann::json open_json(const data_cipher* cipher, const pqxx::field& blob,
                         const pqxx::field& key_id) {
  auto plain = open_text(cipher, blob, key_id);
  if (!plain) return nullptr;
  auto value = nlohmann::json::parse(*plain, nullptr, false);
  return value.is_discarded() ? nlohmann::json(*plain) : value;
}

std::string utc_text(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

nlohmann::json text_or_null(const pqxx::field& f) {
  return f.is_null() ? nlohmann::json(nullptr) : nlohmann::json(f.as<std::string>());
}

}  // namespace mundoctor::persistence::patients_detail
