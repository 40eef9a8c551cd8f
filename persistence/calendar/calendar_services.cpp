// The professional's catalogue of services. Input validation happens in the caller; the
// CHECK constraints of 0005_services.sql are the backstop (23514 -> invalid_argument).

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence {

using namespace calendar_detail;  // NOLINT(google-build-using-namespace): internal helpers

namespace {

std::optional<int64_t> epoch_or_null(const std::optional<calendar::instant>& t) {
  if (!t) return std::nullopt;
  return to_epoch(*t);
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ",") + v;
  return out;
}

// $1 professional id, $2..$15 the editable fields in column order, then any `extra` params.
template <class... Extra>
pqxx::result exec_service(pqxx::transaction_base& tx, const std::string& sql,
                          const std::string& professional_id, const calendar::service_info& s,
                          Extra&&... extra) {
  return tx.exec_params(sql, professional_id, s.name, null_if_empty(s.description),
                        null_if_empty(s.category), s.duration_minutes, s.price_cents, s.currency,
                        joined(s.modalities), s.buffer_before_minutes, s.buffer_after_minutes,
                        s.discount_percent, s.discount_amount_cents,
                        epoch_or_null(s.discount_valid_from), epoch_or_null(s.discount_valid_until),
                        s.active, std::forward<Extra>(extra)...);
}

constexpr const char* ts13 = "to_timestamp($13::double precision)";
constexpr const char* ts14 = "to_timestamp($14::double precision)";

service_record to_record(const pqxx::row& r) {
  return {r[service_column_count - 1].as<std::string>(), read_service(r)};
}

}  // namespace

service_record create_service(pqxx::connection_base& conn, const std::string& professional_id,
                              const calendar::service_info& service) {
  pqxx::work tx{conn};
  auto rows = exec_service(
      tx,
      std::string{"INSERT INTO services (professional_id, name, description, category,"
                  " duration_minutes, price_cents, currency, modalities, buffer_before_minutes,"
                  " buffer_after_minutes, discount_percent, discount_amount_cents,"
                  " discount_valid_from, discount_valid_until, is_active)"
                  " VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, string_to_array($8::text, ','),"
                  " $9, $10, $11, $12, "} +
          ts13 + ", " + ts14 + ", $15) RETURNING " + service_columns(""),
      professional_id, service);
  tx.commit();
  return to_record(rows[0]);
}

std::optional<service_record> update_service(pqxx::connection_base& conn,
                                             const std::string& professional_id,
                                             const calendar::service_info& service) {
  if (!is_uuid(service.id) || !is_uuid(professional_id)) return std::nullopt;
  pqxx::work tx{conn};
  auto rows = exec_service(
      tx,
      std::string{"UPDATE services SET name = $2, description = $3, category = $4,"
                  " duration_minutes = $5, price_cents = $6, currency = $7,"
                  " modalities = string_to_array($8::text, ','), buffer_before_minutes = $9,"
                  " buffer_after_minutes = $10, discount_percent = $11,"
                  " discount_amount_cents = $12, discount_valid_from = "} +
          ts13 + ", discount_valid_until = " + ts14 +
          ", is_active = $15 WHERE id = $16::uuid AND professional_id = $1::uuid"
          " AND deleted_at IS NULL RETURNING " +
          service_columns(""),
      professional_id, service, service.id);
  tx.commit();
  if (rows.empty()) return std::nullopt;
  return to_record(rows[0]);
}

bool delete_service(pqxx::connection_base& conn, const std::string& professional_id,
                    const std::string& service_id) {
  if (!is_uuid(service_id) || !is_uuid(professional_id)) return false;
  pqxx::work tx{conn};
  auto r = tx.exec_params(
      "UPDATE services SET deleted_at = now(), is_active = false WHERE id = $1::uuid"
      " AND professional_id = $2::uuid AND deleted_at IS NULL",
      service_id, professional_id);
  tx.commit();
  return r.affected_rows() > 0;
}

bool set_service_active(pqxx::connection_base& conn, const std::string& professional_id,
                        const std::string& service_id, bool active) {
  if (!is_uuid(service_id) || !is_uuid(professional_id)) return false;
  pqxx::work tx{conn};
  auto r = tx.exec_params(
      "UPDATE services SET is_active = $3 WHERE id = $1::uuid AND professional_id = $2::uuid"
      " AND deleted_at IS NULL",
      service_id, professional_id, active);
  tx.commit();
  return r.affected_rows() > 0;
}

std::optional<service_record> find_service(pqxx::connection_base& conn,
                                           const std::string& service_id) {
  if (!is_uuid(service_id)) return std::nullopt;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params("SELECT " + service_columns() +
                                 " FROM services s WHERE s.id = $1::uuid AND s.deleted_at IS NULL",
                             service_id);
  if (rows.empty()) return std::nullopt;
  return to_record(rows[0]);
}

namespace {

constexpr const char* service_where = R"SQL(
 WHERE s.deleted_at IS NULL
   AND ($1::uuid IS NULL OR s.professional_id = $1::uuid)
   AND ($2::text IS NULL OR lower(s.category) = lower($2::text))
   AND ($3::text IS NULL OR $3::text = ANY (s.modalities))
   AND ($4::bigint IS NULL OR s.price_cents >= $4::bigint)
   AND ($5::bigint IS NULL OR s.price_cents <= $5::bigint)
   AND (NOT $6::boolean OR s.is_active)
)SQL";

}  // namespace

service_page list_services(pqxx::connection_base& conn, const service_filter& f) {
  service_page page;
  if (f.professional_id && !is_uuid(*f.professional_id)) return page;
  pqxx::read_transaction tx{conn};
  page.total = tx.exec_params1(std::string{"SELECT count(*) FROM services s"} + service_where,
                               f.professional_id, f.category, f.modality, f.min_price_cents,
                               f.max_price_cents, f.active_only)[0]
                   .as<int64_t>();
  auto rows = tx.exec_params("SELECT " + service_columns() + " FROM services s" + service_where +
                                 " ORDER BY s.name, s.id LIMIT $7 OFFSET $8",
                             f.professional_id, f.category, f.modality, f.min_price_cents,
                             f.max_price_cents, f.active_only, clamp_limit(f.limit),
                             page_offset(f.page, f.limit));
  for (const auto& r : rows) page.items.push_back(to_record(r));
  return page;
}

}  // namespace mundoctor::persistence
