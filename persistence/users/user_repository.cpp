#include "persistence/users/user_repository.hpp"

#include <pqxx/pqxx>
#include <utility>

#include <nlohmann/json.hpp>

#include "persistence/users/user_sql.hpp"

namespace mundoctor::persistence {

using nlohmann::json;

bool professional_update::empty() const {
  return !bio && !specialty_id && !college_number && !experience_years && !consultation_fee_cents &&
         !city && !address && !postal_code && !languages && !education_json &&
         !certifications_json && !office_hours_json && !latitude && !longitude && !timezone;
}

bool patient_update::empty() const {
  return !date_of_birth && !gender && !dni && !address && !city && !postal_code && !country;
}

namespace detail {

std::optional<principal> read_principal(pqxx::transaction_base& tx, const std::string& id,
                                        bool lock) {
  auto rows = tx.exec_params(lock ? "SELECT id, role, status FROM users WHERE id = $1 FOR UPDATE"
                                  : "SELECT id, role, status FROM users WHERE id = $1",
                             id);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows[0];
  return principal{r[0].as<std::string>(), r[1].is_null() ? std::string{} : r[1].as<std::string>(),
                   r[2].as<std::string>()};
}

principal apply_role(pqxx::transaction_base& tx, const std::string& id, const std::string& role) {
  if (role != "patient" && role != "professional")
    throw domain_error(errc::invalid_argument, "this role cannot be selected");
  auto current = read_principal(tx, id, true);
  if (!current) throw domain_error(errc::not_found, "user not found");
  if (!current->role.empty() && current->role != role)
    throw domain_error(errc::conflict, "role already chosen", "ROLE_ALREADY_CHOSEN");
  auto status = current->status;
  if (status == "incomplete") status = role == "patient" ? "active" : "pending_validation";
  tx.exec_params("UPDATE users SET role = $2, status = $3 WHERE id = $1", id, role, status);
  if (role == "patient")
    tx.exec_params(
        "INSERT INTO patient_profiles (user_id) VALUES ($1) "
        "ON CONFLICT ON CONSTRAINT patient_profiles_user_key DO NOTHING",
        id);
  else
    tx.exec_params(
        "INSERT INTO professional_profiles (user_id) VALUES ($1) "
        "ON CONFLICT ON CONSTRAINT professional_profiles_user_key DO NOTHING",
        id);
  return principal{id, role, status};
}

std::string array_literal(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + values[i];
  return out + "}";
}

std::string array_literal(const std::vector<int64_t>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
  return out + "}";
}

std::string keep_or_set(const std::string& column, int param, const std::string& cast) {
  auto p = "$" + std::to_string(param) + "::text";
  return column + " = CASE WHEN " + p + " IS NULL THEN " + column + " ELSE nullif(" + p +
         ", '')::" + cast + " END";
}

std::string keep_or_replace(const std::string& column, int param, const std::string& type) {
  auto p = "$" + std::to_string(param) + "::" + type;
  return column + " = CASE WHEN " + p + " IS NULL THEN " + column + " ELSE " + p + " END";
}

}  // namespace detail

std::optional<principal> find_principal(pqxx::connection_base& conn, const std::string& id) {
  pqxx::read_transaction tx{conn};
  return detail::read_principal(tx, id, false);
}

principal provision_user(pqxx::connection_base& conn, const std::string& id) {
  pqxx::work tx{conn};
  tx.exec_params("INSERT INTO users (id) VALUES ($1) ON CONFLICT (id) DO NOTHING", id);
  auto found = detail::read_principal(tx, id, false);
  tx.commit();
  if (!found) throw domain_error(errc::internal, "user could not be provisioned");
  return *found;
}

namespace {

// Role profile rows as JSON objects, without encrypted columns or internal search text.
constexpr const char* profile_sql = R"SQL(
SELECT jsonb_build_object(
         'id', u.id, 'email', u.email, 'name', nullif(u.full_name, ''),
         'first_name', u.first_name, 'last_name', u.last_name, 'phone', u.phone,
         'avatar_url', u.avatar_url, 'role', u.role, 'status', u.status,
         'verified', coalesce(pp.verified, false), 'insuranceData', u.insurance_data,
         'subscriptionPlanId',
           (SELECT pl.code FROM subscriptions s JOIN plans pl ON pl.id = s.plan_id
             WHERE s.user_id = u.id AND s.status IN ('trialing', 'active', 'past_due')
             ORDER BY s.created_at DESC LIMIT 1),
         'created_at', to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
       )::text,
       CASE WHEN pp.id IS NULL THEN NULL ELSE
         (SELECT jsonb_object_agg(key, value)
            FROM jsonb_each(to_jsonb(pp) || jsonb_build_object('specialty_name', sp.name))
           WHERE key !~ '(_ciphertext|_key_id)$'
             AND key NOT IN ('search_text', 'search_vector', 'city_key', 'service_modalities',
                             'earth_location'))::text END,
       CASE WHEN pa.id IS NULL THEN NULL ELSE
         (SELECT jsonb_object_agg(key, value) FROM jsonb_each(to_jsonb(pa))
           WHERE key !~ '(_ciphertext|_key_id)$')::text END
  FROM users u
  LEFT JOIN professional_profiles pp ON pp.user_id = u.id
  LEFT JOIN specialties sp ON sp.id = pp.specialty_id
  LEFT JOIN patient_profiles pa ON pa.user_id = u.id
 WHERE u.id = $1
)SQL";

void update_user_row(pqxx::transaction_base& tx, const std::string& id, const profile_update& u) {
  using detail::keep_or_set;
  auto sql = "UPDATE users SET " + keep_or_set("first_name", 2) + ", " +
             keep_or_set("last_name", 3) + ", " + keep_or_set("phone", 4) + ", " +
             keep_or_set("avatar_url", 5) +
             ", insurance_data = CASE WHEN $6::text IS NULL THEN insurance_data "
             "ELSE nullif($6::text, 'null')::jsonb END WHERE id = $1";
  auto r =
      tx.exec_params(sql, id, u.first_name, u.last_name, u.phone, u.avatar_url, u.insurance_json);
  if (r.affected_rows() == 0) throw domain_error(errc::not_found, "user not found");
}

void update_professional_row(pqxx::transaction_base& tx, const std::string& id,
                             const professional_update& p) {
  using detail::keep_or_replace;
  using detail::keep_or_set;
  std::optional<std::string> languages;
  if (p.languages) languages = detail::array_literal(*p.languages);
  auto sql = "UPDATE professional_profiles SET " + keep_or_set("bio", 2) + ", " +
             keep_or_set("specialty_id", 3, "uuid") + ", " + keep_or_set("college_number", 4) +
             ", " + keep_or_replace("experience_years", 5, "integer") + ", " +
             keep_or_replace("consultation_fee_cents", 6, "bigint") + ", " +
             keep_or_set("city", 7) + ", " + keep_or_set("address", 8) + ", " +
             keep_or_set("postal_code", 9) + ", " + keep_or_replace("languages", 10, "text[]") +
             ", " + keep_or_replace("education", 11, "jsonb") + ", " +
             keep_or_replace("certifications", 12, "jsonb") +
             ", office_hours = CASE WHEN $13::text IS NULL THEN office_hours "
             "ELSE nullif($13::text, 'null')::jsonb END, " +
             keep_or_replace("latitude", 14, "double precision") + ", " +
             keep_or_replace("longitude", 15, "double precision") + ", " +
             keep_or_replace("timezone", 16, "text") + " WHERE user_id = $1";
  tx.exec_params(sql, id, p.bio, p.specialty_id, p.college_number, p.experience_years,
                 p.consultation_fee_cents, p.city, p.address, p.postal_code, languages,
                 p.education_json, p.certifications_json, p.office_hours_json, p.latitude,
                 p.longitude, p.timezone);
}

void update_patient_row(pqxx::transaction_base& tx, const std::string& id,
                        const patient_update& p) {
  using detail::keep_or_set;
  auto sql = "UPDATE patient_profiles SET " + keep_or_set("date_of_birth", 2, "date") + ", " +
             keep_or_set("gender", 3) + ", " + keep_or_set("dni", 4) + ", " +
             keep_or_set("address", 5) + ", " + keep_or_set("city", 6) + ", " +
             keep_or_set("postal_code", 7) + ", " + detail::keep_or_replace("country", 8, "text") +
             " WHERE user_id = $1";
  tx.exec_params(sql, id, p.date_of_birth, p.gender, p.dni, p.address, p.city, p.postal_code,
                 p.country);
}

}  // namespace

std::optional<std::string> get_profile_json(pqxx::connection_base& conn, const std::string& id) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(profile_sql, id);
  if (rows.empty()) return std::nullopt;
  auto user = json::parse(rows[0][0].as<std::string>());
  auto data = user;
  data["user"] = user;
  if (!rows[0][1].is_null()) data["professional"] = json::parse(rows[0][1].as<std::string>());
  if (!rows[0][2].is_null()) data["patient"] = json::parse(rows[0][2].as<std::string>());
  return data.dump();
}

void update_profile(pqxx::connection_base& conn, const std::string& id,
                    const profile_update& update) {
  pqxx::work tx{conn};
  update_user_row(tx, id, update);
  if (!update.professional.empty()) update_professional_row(tx, id, update.professional);
  if (!update.patient.empty()) update_patient_row(tx, id, update.patient);
  tx.commit();
}

principal select_role(pqxx::connection_base& conn, const std::string& id, const std::string& role) {
  pqxx::work tx{conn};
  auto result = detail::apply_role(tx, id, role);
  tx.commit();
  return result;
}

}  // namespace mundoctor::persistence
