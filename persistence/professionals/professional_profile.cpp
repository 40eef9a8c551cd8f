// Public professional reads and the professional's patient list.

#include <pqxx/pqxx>

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/professionals/professional_repository.hpp"
#include "persistence/professionals/validation_sql.hpp"

namespace mundoctor::persistence {

using validation_detail::rfc3339_sql;

namespace {

constexpr int recent_review_count = 5;

std::string reviews_sql() {
  return "coalesce((SELECT json_agg(x.review ORDER BY x.created_at DESC) FROM (SELECT"
         " json_build_object('id', rv.id, 'rating', rv.rating, 'comment', rv.comment,"
         " 'patient_name', pu.first_name, 'created_at', " +
         rfc3339_sql("rv.created_at") +
         ", 'professional_reply', rv.professional_reply) AS review, rv.created_at"
         " FROM reviews rv LEFT JOIN users pu ON pu.id = rv.patient_id"
         " WHERE rv.professional_id = p.id AND rv.moderation_status = 'approved'"
         " AND rv.deleted_at IS NULL ORDER BY rv.created_at DESC LIMIT " +
         std::to_string(recent_review_count) + ") x), '[]'::json)";
}

std::string profile_sql() {
  return "SELECT json_build_object('id', p.id, 'user_id', u.id, 'name', u.full_name,"
         " 'first_name', u.first_name, 'last_name', u.last_name, 'avatar_url', u.avatar_url,"
         " 'specialty', CASE WHEN s.id IS NULL THEN NULL"
         " ELSE json_build_object('id', s.id, 'name', s.name) END,"
         " 'specialty_name', s.name, 'bio', p.bio, 'about', p.bio,"
         " 'experience_years', p.experience_years, 'education', p.education,"
         " 'certifications', p.certifications, 'languages', to_json(p.languages),"
         " 'consultation_fee', p.consultation_fee_cents / 100.0,"
         " 'consultation_fee_cents', p.consultation_fee_cents, 'currency', p.currency,"
         " 'city', p.city, 'address', p.address, 'postal_code', p.postal_code,"
         " 'latitude', p.latitude, 'longitude', p.longitude, 'office_hours', p.office_hours,"
         " 'timezone', p.timezone, 'rating', p.rating_average, 'total_reviews', p.total_reviews,"
         " 'rating_distribution', json_build_object('1', p.rating_count_1,"
         " '2', p.rating_count_2, '3', p.rating_count_3, '4', p.rating_count_4,"
         " '5', p.rating_count_5), 'verified', p.verified, 'verified_at', " +
         rfc3339_sql("p.verified_at") + ", 'recent_reviews', " + reviews_sql() +
         ") FROM professional_profiles p JOIN users u ON u.id = p.user_id"
         " LEFT JOIN specialties s ON s.id = p.specialty_id WHERE p.id = $1::uuid AND p.bookable";
}

}  // namespace

std::optional<std::string> public_profile(pqxx::connection_base& conn,
                                          const std::string& professional_id) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(profile_sql(), professional_id);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

json_page specialties_with_counts(pqxx::connection_base& conn, int64_t offset, int64_t limit) {
  pqxx::read_transaction tx{conn};
  auto total = tx.exec("SELECT count(*) FROM specialties WHERE is_active")[0][0].as<int64_t>();
  auto rows = tx.exec_params(
      "SELECT coalesce(json_agg(json_build_object('id', x.id, 'name', x.name, 'slug', x.slug,"
      " 'professionals_count', x.n) ORDER BY x.sort_order, x.name), '[]'::json) FROM"
      " (SELECT s.id, s.name, s.slug, s.sort_order, (SELECT count(*) FROM professional_profiles p"
      " WHERE p.specialty_id = s.id AND p.bookable) AS n FROM specialties s WHERE s.is_active "
      "ORDER BY s.sort_order, s.name"
      " LIMIT $1 OFFSET $2) x",
      limit, offset);
  return {rows[0][0].as<std::string>(), total};
}

json_page professional_patients(pqxx::connection_base& conn,
                                const std::string& professional_user_id, int64_t offset,
                                int64_t limit) {
  pqxx::read_transaction tx{conn};
  const std::string grouped =
      "SELECT a.patient_id, count(*) AS n, max(a.starts_at) AS last_at,"
      " min(a.starts_at) FILTER (WHERE a.starts_at > now()) AS next_at,"
      " max(a.starts_at) AS latest FROM appointments a JOIN professional_profiles p"
      " ON p.id = a.professional_id WHERE p.user_id = $1 AND a.status <> 'cancelled'"
      " GROUP BY a.patient_id";
  auto total = tx.exec_params("SELECT count(*) FROM (" + grouped + ") g", professional_user_id);
  auto rows = tx.exec_params(
      "SELECT coalesce(json_agg(x.item ORDER BY x.latest DESC, x.id), '[]'::json) FROM"
      " (SELECT json_build_object('id', u.id, 'name', u.full_name, 'first_name', u.first_name,"
      " 'last_name', u.last_name, 'email', u.email, 'phone', u.phone,"
      " 'avatar_url', u.avatar_url, 'total_appointments', g.n, 'last_appointment_date', " +
          rfc3339_sql("g.last_at") + ", 'next_appointment_date', " + rfc3339_sql("g.next_at") +
          ") AS item, g.latest, u.id FROM (" + grouped +
          ") g JOIN users u ON u.id = g.patient_id ORDER BY g.latest DESC, u.id"
          " LIMIT $2 OFFSET $3) x",
      professional_user_id, limit, offset);
  return {rows[0][0].as<std::string>(), total[0][0].as<int64_t>()};
}

}  // namespace mundoctor::persistence
