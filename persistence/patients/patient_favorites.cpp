// The patient's favourite professionals.

#include <pqxx/pqxx>

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/domain_error.hpp"
#include "persistence/patients/patient_repository.hpp"
#include "persistence/patients/patient_sql.hpp"

namespace mundoctor::persistence {

using nlohmann::json;
using namespace patients_detail;

namespace {

std::string summary_sql(const std::string& tail) {
  return "SELECT pp.id::text, pp.user_id, nullif(u.full_name, ''), sp.name, sp.id::text, "
         "pp.city, pp.rating_average::float8, pp.total_reviews, u.avatar_url, "
         "pp.consultation_fee_cents, pp.verified, " +
         utc_text("f.created_at") +
         " FROM favorites f JOIN professional_profiles pp ON pp.id = f.professional_id "
         " JOIN users u ON u.id = pp.user_id "
         " LEFT JOIN specialties sp ON sp.id = pp.specialty_id " +
         tail;
}

json summary(const pqxx::row& r) {
  return {{"id", r[0].c_str()},
          {"user_id", r[1].c_str()},
          {"name", text_or_null(r[2])},
          {"specialty", text_or_null(r[3])},
          {"specialty_id", text_or_null(r[4])},
          {"city", text_or_null(r[5])},
          {"rating", r[6].as<double>()},
          {"total_reviews", r[7].as<int64_t>()},
          {"avatar_url", text_or_null(r[8])},
          {"consultation_fee_cents", r[9].is_null() ? json(nullptr) : json(r[9].as<int64_t>())},
          {"verified", r[10].as<bool>()},
          {"favorited_at", r[11].c_str()}};
}

domain_error professional_not_found() {
  return domain_error(errc::not_found, "Professional not found", "PROFESSIONAL_NOT_FOUND");
}

}  // namespace

json_page list_favorites(pqxx::connection_base& conn, const std::string& patient_id, int64_t offset,
                         int64_t limit) {
  pqxx::read_transaction tx{conn};
  json_page out;
  out.total = tx.exec_params1("SELECT count(*) FROM favorites WHERE patient_id = $1", patient_id)[0]
                  .as<int64_t>();
  auto rows = tx.exec_params(
      summary_sql("WHERE f.patient_id = $1 ORDER BY f.created_at DESC, pp.id LIMIT $2 OFFSET $3"),
      patient_id, limit, offset);
  for (const auto& r : rows) out.items.push_back(summary(r));
  return out;
}

favorite_result add_favorite(pqxx::connection_base& conn, const std::string& patient_id,
                             const std::string& professional_ref) {
  auto professional = resolve_professional_id(conn, professional_ref);
  if (!professional) throw professional_not_found();
  pqxx::work tx{conn};
  auto inserted = tx.exec_params(
      "INSERT INTO favorites (patient_id, professional_id) VALUES ($1, $2::uuid) "
      "ON CONFLICT ON CONSTRAINT favorites_pkey DO NOTHING RETURNING 1",
      patient_id, *professional);
  auto rows =
      tx.exec_params(summary_sql("WHERE f.patient_id = $1 AND f.professional_id = $2::uuid"),
                     patient_id, *professional);
  tx.commit();
  if (rows.empty()) throw professional_not_found();  // removed concurrently
  return {summary(rows[0]), !inserted.empty()};
}

void remove_favorite(pqxx::connection_base& conn, const std::string& patient_id,
                     const std::string& professional_ref) {
  auto professional = resolve_professional_id(conn, professional_ref);
  if (!professional) throw professional_not_found();
  pqxx::work tx{conn};
  auto r =
      tx.exec_params("DELETE FROM favorites WHERE patient_id = $1 AND professional_id = $2::uuid",
                     patient_id, *professional);
  tx.commit();
  if (r.affected_rows() == 0)
    throw domain_error(errc::not_found, "This professional is not among your favourites",
                       "FAVORITE_NOT_FOUND");
}

}  // namespace mundoctor::persistence
