// The patient's emergency contacts; each is reachable only through its owner.

#include <pqxx/pqxx>

#include "persistence/domain_error.hpp"
#include "persistence/patients/patient_repository.hpp"
#include "persistence/patients/patient_sql.hpp"

namespace mundoctor::persistence {

using nlohmann::json;
using namespace patients_detail;

namespace {

std::string contact_columns() {
  return "id::text, name, relationship, phone, email, is_primary, " + utc_text("created_at") +
         ", " + utc_text("updated_at");
}

json contact(const pqxx::row& r) {
  return {{"id", r[0].c_str()},
          {"name", r[1].c_str()},
          {"relationship", text_or_null(r[2])},
          {"phone", r[3].c_str()},
          {"email", text_or_null(r[4])},
          {"is_primary", r[5].as<bool>()},
          {"created_at", r[6].c_str()},
          {"updated_at", r[7].c_str()}};
}

domain_error contact_not_found() {
  return domain_error(errc::not_found, "Emergency contact not found", "CONTACT_NOT_FOUND");
}

// Only one primary contact per patient: the others lose the flag.
void clear_other_primaries(pqxx::transaction_base& tx, const std::string& patient_id,
                           const std::string& keep_id) {
  tx.exec_params(
      "UPDATE emergency_contacts SET is_primary = false "
      "WHERE patient_id = $1 AND is_primary AND id::text <> $2",
      patient_id, keep_id);
}

}  // namespace

json_page list_contacts(pqxx::connection_base& conn, const std::string& patient_id, int64_t offset,
                        int64_t limit) {
  pqxx::read_transaction tx{conn};
  json_page out;
  out.total = tx.exec_params1("SELECT count(*) FROM emergency_contacts WHERE patient_id = $1",
                              patient_id)[0]
                  .as<int64_t>();
  auto rows = tx.exec_params("SELECT " + contact_columns() +
                                 " FROM emergency_contacts WHERE patient_id = $1 "
                                 "ORDER BY is_primary DESC, created_at, id LIMIT $2 OFFSET $3",
                             patient_id, limit, offset);
  for (const auto& r : rows) out.items.push_back(contact(r));
  return out;
}

json create_contact(pqxx::connection_base& conn, const std::string& patient_id,
                    const contact_fields& f) {
  pqxx::work tx{conn};
  if (f.is_primary.value_or(false)) clear_other_primaries(tx, patient_id, "");
  auto row = tx.exec_params1(
      "INSERT INTO emergency_contacts (patient_id, name, relationship, phone, email, is_primary) "
      "VALUES ($1, $2, nullif($3::text, ''), $4, nullif($5::text, ''), $6) RETURNING " +
          contact_columns(),
      patient_id, f.name.value_or(""), f.relationship, f.phone.value_or(""), f.email,
      f.is_primary.value_or(false));
  tx.commit();
  return contact(row);
}

json update_contact(pqxx::connection_base& conn, const std::string& patient_id,
                    const std::string& contact_id, const contact_fields& f) {
  if (!is_uuid(contact_id)) throw contact_not_found();
  pqxx::work tx{conn};
  auto owned = tx.exec_params(
      "SELECT 1 FROM emergency_contacts WHERE id = $1::uuid AND patient_id = $2 FOR UPDATE",
      contact_id, patient_id);
  if (owned.empty()) throw contact_not_found();
  if (f.is_primary.value_or(false)) clear_other_primaries(tx, patient_id, contact_id);
  auto row = tx.exec_params1(
      "UPDATE emergency_contacts SET name = coalesce($3::text, name), "
      "relationship = CASE WHEN $4::text IS NULL THEN relationship ELSE nullif($4::text, '') END, "
      "phone = coalesce($5::text, phone), "
      "email = CASE WHEN $6::text IS NULL THEN email ELSE nullif($6::text, '') END, "
      "is_primary = coalesce($7::boolean, is_primary) "
      "WHERE id = $1::uuid AND patient_id = $2 RETURNING " +
          contact_columns(),
      contact_id, patient_id, f.name, f.relationship, f.phone, f.email, f.is_primary);
  tx.commit();
  return contact(row);
}

void delete_contact(pqxx::connection_base& conn, const std::string& patient_id,
                    const std::string& contact_id) {
  if (!is_uuid(contact_id)) throw contact_not_found();
  pqxx::work tx{conn};
  auto r = tx.exec_params("DELETE FROM emergency_contacts WHERE id = $1::uuid AND patient_id = $2",
                          contact_id, patient_id);
  tx.commit();
  if (r.affected_rows() == 0) throw contact_not_found();
}

}  // namespace mundoctor::persistence
