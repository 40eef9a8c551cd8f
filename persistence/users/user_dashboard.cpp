// Dashboard figures and lists, computed from the database on every call. Months follow
// Europe/Madrid boundaries.

#include <algorithm>
#include <cmath>
#include <pqxx/pqxx>

#include <nlohmann/json.hpp>

#include "persistence/users/user_repository.hpp"
#include "persistence/users/user_sql.hpp"

namespace mundoctor::persistence {

using nlohmann::json;

namespace {

#define MD_MONTH "date_trunc('month', now() AT TIME ZONE 'Europe/Madrid')"
#define MD_UTC(x) "to_char((" x ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

constexpr const char* professional_sql =
    "WITH pro AS (SELECT id, rating_average, total_reviews FROM professional_profiles "
    "             WHERE user_id = $1), "
    "b AS (SELECT (" MD_MONTH
    " - interval '1 month') AT TIME ZONE 'Europe/Madrid' AS prev, "
    "             " MD_MONTH
    " AT TIME ZONE 'Europe/Madrid' AS cur, "
    "             (" MD_MONTH
    " + interval '1 month') AT TIME ZONE 'Europe/Madrid' AS next), "
    "a AS (SELECT a.* FROM appointments a JOIN pro ON a.professional_id = pro.id) "
    "SELECT (SELECT count(DISTINCT patient_id) FROM a), "
    "  (SELECT count(*) FROM a, b WHERE a.status <> 'cancelled' "
    "     AND a.starts_at >= b.cur AND a.starts_at < b.next), "
    "  (SELECT count(*) FROM a, b WHERE a.status <> 'cancelled' "
    "     AND a.starts_at >= b.prev AND a.starts_at < b.cur), "
    "  (SELECT coalesce(sum(price_cents), 0) FROM a, b WHERE a.status = 'completed' "
    "     AND a.starts_at >= b.cur AND a.starts_at < b.next), "
    "  (SELECT coalesce(sum(price_cents), 0) FROM a, b WHERE a.status = 'completed' "
    "     AND a.starts_at >= b.prev AND a.starts_at < b.cur), "
    "  coalesce((SELECT rating_average FROM pro), 0), "
    "  coalesce((SELECT total_reviews FROM pro), 0)";

constexpr const char* next_appointment_sql =
    "SELECT jsonb_build_object('id', a.id, 'starts_at', " MD_UTC("a.starts_at") ", "
    "  'ends_at', " MD_UTC("a.ends_at") ", 'status', a.status, 'modality', a.modality, "
    "  'timezone', a.timezone, 'professional', jsonb_build_object('id', pp.id, "
    "  'user_id', pp.user_id, 'name', nullif(u.full_name, ''), 'avatar_url', u.avatar_url, "
    "  'specialty', sp.name), 'service', CASE WHEN s.id IS NULL THEN NULL "
    "  ELSE jsonb_build_object('id', s.id, 'name', s.name) END)::text "
    "FROM appointments a JOIN professional_profiles pp ON pp.id = a.professional_id "
    "JOIN users u ON u.id = pp.user_id LEFT JOIN specialties sp ON sp.id = pp.specialty_id "
    "LEFT JOIN services s ON s.id = a.service_id "
    "WHERE a.patient_id = $1 AND a.status IN ('pending', 'confirmed') AND a.starts_at > now() "
    "ORDER BY a.starts_at LIMIT 1";

constexpr const char* patient_counts_sql =
    "SELECT (SELECT count(*) FROM reviews WHERE patient_id = $1 AND deleted_at IS NULL), "
    "  (SELECT count(*) FROM appointments WHERE patient_id = $1), "
    "  (SELECT count(*) FROM appointments WHERE patient_id = $1 AND status = 'completed')";

constexpr const char* admin_counts_sql =
    "SELECT (SELECT count(*) FROM users WHERE status <> 'deleted'), "
    "  (SELECT count(*) FROM users WHERE role = 'professional' AND status <> 'deleted'), "
    "  (SELECT count(*) FROM validation_requests WHERE status IN ('pending', 'under_review'))";

// Six months ending with the current one; `table` is a constant of this file.
std::string monthly_series_sql(const std::string& table) {
  return "SELECT to_char(m, 'YYYY-MM'), (SELECT count(*) FROM " + table +
         " t WHERE t.created_at >= m AT TIME ZONE 'Europe/Madrid' "
         "AND t.created_at < (m + interval '1 month') AT TIME ZONE 'Europe/Madrid') "
         "FROM generate_series(" MD_MONTH " - interval '5 months', " MD_MONTH
         ", interval '1 month') AS m ORDER BY m";
}

constexpr const char* appointments_sql =
    "SELECT coalesce(jsonb_agg(x.j ORDER BY x.starts_at DESC), '[]'::jsonb)::text FROM ("
    " SELECT a.starts_at, jsonb_build_object('id', a.id, 'starts_at', " MD_UTC("a.starts_at") ","
    "  'ends_at', " MD_UTC("a.ends_at") ", 'status', a.status, 'modality', a.modality, "
    "  'timezone', a.timezone, 'price_cents', a.price_cents, 'currency', a.currency, "
    "  'patient', jsonb_build_object('id', pu.id, 'name', nullif(pu.full_name, ''), "
    "    'avatar_url', pu.avatar_url), "
    "  'professional', jsonb_build_object('id', pp.id, 'user_id', pp.user_id, "
    "    'name', nullif(ru.full_name, ''), 'avatar_url', ru.avatar_url), "
    "  'service', CASE WHEN s.id IS NULL THEN NULL "
    "    ELSE jsonb_build_object('id', s.id, 'name', s.name) END) AS j "
    " FROM appointments a JOIN professional_profiles pp ON pp.id = a.professional_id "
    " JOIN users ru ON ru.id = pp.user_id JOIN users pu ON pu.id = a.patient_id "
    " LEFT JOIN services s ON s.id = a.service_id "
    " WHERE a.patient_id = $1 OR pp.user_id = $1 ORDER BY a.starts_at DESC LIMIT $2) x";

constexpr const char* reviews_sql =
    "SELECT coalesce(jsonb_agg(x.j ORDER BY x.created_at DESC), '[]'::jsonb)::text FROM ("
    " SELECT r.created_at, jsonb_build_object('id', r.id, 'rating', r.rating, "
    "  'comment', r.comment, 'moderation_status', r.moderation_status, "
    "  'professional_reply', r.professional_reply, 'appointment_id', r.appointment_id, "
    "  'created_at', " MD_UTC("r.created_at") ", "
    "  'patient', jsonb_build_object('id', pu.id, 'name', nullif(pu.full_name, ''), "
    "    'avatar_url', pu.avatar_url), "
    "  'professional', jsonb_build_object('id', pp.id, 'user_id', pp.user_id, "
    "    'name', nullif(ru.full_name, ''))) AS j "
    " FROM reviews r JOIN professional_profiles pp ON pp.id = r.professional_id "
    " JOIN users ru ON ru.id = pp.user_id JOIN users pu ON pu.id = r.patient_id "
    " WHERE r.deleted_at IS NULL AND (r.patient_id = $1 OR pp.user_id = $1) "
    " ORDER BY r.created_at DESC LIMIT $2) x";

#undef MD_UTC
#undef MD_MONTH

// Percentage change from `previous` to `current`, one decimal; null when it is undefined
// (nothing last month but something now).
json percent_change(int64_t current, int64_t previous) {
  if (previous == 0) return current == 0 ? json(0) : json(nullptr);
  double pct = (static_cast<double>(current) - static_cast<double>(previous)) * 100.0 /
               static_cast<double>(previous);
  return std::round(pct * 10.0) / 10.0;
}

json professional_stats(pqxx::transaction_base& tx, const std::string& id) {
  auto r = tx.exec_params1(professional_sql, id);
  auto appts = r[1].as<int64_t>();
  auto prev_appts = r[2].as<int64_t>();
  auto income = r[3].as<int64_t>();
  auto prev_income = r[4].as<int64_t>();
  return {{"totalPatients", r[0].as<int64_t>()},
          {"monthlyAppointments", appts},
          {"averageRating", r[5].as<double>()},
          {"totalReviews", r[6].as<int64_t>()},
          {"monthlyIncome", income},
          {"currency", "EUR"},
          {"trends",
           {{"appointments", percent_change(appts, prev_appts)},
            {"income", percent_change(income, prev_income)}}}};
}

json patient_stats(pqxx::transaction_base& tx, const std::string& id) {
  auto next = tx.exec_params(next_appointment_sql, id);
  auto counts = tx.exec_params1(patient_counts_sql, id);
  return {
      {"nextAppointment", next.empty() ? json(nullptr) : json::parse(next[0][0].as<std::string>())},
      {"reviewsCount", counts[0].as<int64_t>()},
      {"totalAppointments", counts[1].as<int64_t>()},
      {"completedAppointments", counts[2].as<int64_t>()}};
}

json monthly_series(pqxx::transaction_base& tx, const std::string& table) {
  auto out = json::array();
  for (const auto& row : tx.exec(monthly_series_sql(table)))
    out.push_back({{"month", row[0].as<std::string>()}, {"count", row[1].as<int64_t>()}});
  return out;
}

json admin_stats(pqxx::transaction_base& tx) {
  auto counts = tx.exec1(admin_counts_sql);
  return {{"total_users", counts[0].as<int64_t>()},
          {"total_professionals", counts[1].as<int64_t>()},
          {"pendingValidations", counts[2].as<int64_t>()},
          {"usersByMonth", monthly_series(tx, "users")},
          {"subscriptionsByMonth", monthly_series(tx, "subscriptions")}};
}

int64_t clamp_limit(int64_t limit) { return std::clamp<int64_t>(limit, 1, 100); }

}  // namespace

std::string dashboard_stats_json(pqxx::connection_base& conn, const std::string& id) {
  pqxx::read_transaction tx{conn};
  auto who = detail::read_principal(tx, id, false);
  if (!who) throw domain_error(errc::not_found, "user not found");
  if (who->role == "professional") return professional_stats(tx, id).dump();
  if (who->role == "patient") return patient_stats(tx, id).dump();
  if (is_admin(*who)) return admin_stats(tx).dump();
  return "{}";
}

std::string dashboard_appointments_json(pqxx::connection_base& conn, const std::string& id,
                                        int64_t limit) {
  pqxx::read_transaction tx{conn};
  return tx.exec_params1(appointments_sql, id, clamp_limit(limit))[0].as<std::string>();
}

std::string dashboard_reviews_json(pqxx::connection_base& conn, const std::string& id,
                                   int64_t limit) {
  pqxx::read_transaction tx{conn};
  return tx.exec_params1(reviews_sql, id, clamp_limit(limit))[0].as<std::string>();
}

}  // namespace mundoctor::persistence
