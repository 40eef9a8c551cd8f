// Reading validation requests (one, a filtered page, the stats) and administrators' decisions.

#include <pqxx/pqxx>

#include <nlohmann/json.hpp>

#include "persistence/calendar/calendar_sql.hpp"
#include "persistence/domain_error.hpp"
#include "persistence/professionals/validation_repository.hpp"
#include "persistence/professionals/validation_rules.hpp"
#include "persistence/professionals/validation_sql.hpp"

namespace mundoctor::persistence {

using namespace validation_detail;  // NOLINT(google-build-using-namespace): internal helpers
using nlohmann::json;

namespace {

[[noreturn]] void request_not_found() {
  throw domain_error(errc::not_found, "Validation request not found",
                     "VALIDATION_REQUEST_NOT_FOUND");
}

std::string history_sql() {
  return "coalesce((SELECT json_agg(json_build_object('from_status', h.from_status,"
         " 'to_status', h.to_status, 'changed_by', h.changed_by, 'notes', h.notes,"
         " 'created_at', " +
         rfc3339_sql("h.created_at") +
         ") ORDER BY h.created_at, h.id) FROM validation_history h WHERE h.request_id = r.id),"
         " '[]'::json)";
}

// $1 admin, $2 viewer, $3 statuses (text[] or NULL), $4 search, $5 from, $6 to.
constexpr const char* list_where = R"SQL(
 WHERE ($1 OR u.id = $2)
   AND ($3::text[] IS NULL OR r.status = ANY ($3::text[]))
   AND ($4::text IS NULL OR f_unaccent(lower(concat_ws(' ', u.full_name, u.email,
        r.college_number, r.dni))) LIKE '%' || f_unaccent(lower($4::text)) || '%')
   AND ($5::text IS NULL OR r.created_at >= $5::timestamptz)
   AND ($6::text IS NULL OR r.created_at < CASE WHEN length($6::text) = 10
        THEN ($6::date + 1)::timestamptz ELSE $6::timestamptz END)
)SQL";

std::optional<std::string> statuses_array(const std::vector<std::string>& statuses) {
  if (statuses.empty()) return std::nullopt;
  std::string out = "{";
  for (const auto& s : statuses) out += (out.size() > 1 ? "," : "") + s;
  return out + "}";
}

// The approved request's data fills the profile, which becomes verified; the user becomes
// active unless suspended or deleted.
void approve_professional(pqxx::transaction_base& tx, const std::string& request_id,
                          const std::string& user) {
  tx.exec_params(
      "UPDATE professional_profiles p SET verified = true, verified_at = now(),"
      " college_number = r.college_number, dni = r.dni,"
      " specialty_id = coalesce(r.specialty_id, p.specialty_id), bio = coalesce(r.bio, p.bio),"
      " experience_years = coalesce(r.experience_years, p.experience_years),"
      " education = CASE WHEN r.education = '[]'::jsonb THEN p.education ELSE r.education END,"
      " certifications = CASE WHEN r.certifications = '[]'::jsonb THEN p.certifications"
      " ELSE r.certifications END,"
      " consultation_fee_cents = coalesce(r.consultation_fee_cents, p.consultation_fee_cents)"
      " FROM validation_requests r WHERE r.id = $1::uuid AND p.id = r.professional_id",
      request_id);
  tx.exec_params(
      "UPDATE users SET status = 'active' WHERE id = $1"
      " AND status IN ('incomplete', 'pending_validation')",
      user);
}

}  // namespace

std::optional<std::string> validation_professional(pqxx::connection_base& conn,
                                                   const std::string& request_id) {
  if (!calendar_detail::is_uuid(request_id)) return std::nullopt;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(
      "SELECT professional_id::text FROM validation_requests WHERE id = $1::uuid", request_id);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

std::optional<std::string> find_validation(pqxx::connection_base& conn, const std::string& id,
                                           const std::string& viewer_id, bool admin) {
  if (!calendar_detail::is_uuid(id)) return std::nullopt;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params("SELECT " + item_json_sql() + ", " + history_sql() + item_from_sql() +
                                 "WHERE r.id = $1::uuid AND ($2 OR u.id = $3)",
                             id, admin, viewer_id);
  if (rows.empty()) return std::nullopt;
  auto item = json::parse(rows[0][0].as<std::string>());
  item["history"] = json::parse(rows[0][1].as<std::string>());
  return item.dump();
}

validation_page list_validations(pqxx::connection_base& conn, const validation_filter& f) {
  pqxx::read_transaction tx{conn};
  auto statuses = statuses_array(f.statuses);
  auto count = tx.exec_params("SELECT count(*)" + item_from_sql() + list_where, f.admin,
                              f.viewer_id, statuses, f.search, f.from, f.to);
  auto rows = tx.exec_params(
      "SELECT coalesce(json_agg(x.item ORDER BY x.created_at DESC, x.id), '[]'::json) FROM"
      " (SELECT " +
          item_json_sql() + " AS item, r.created_at, r.id" + item_from_sql() + list_where +
          " ORDER BY r.created_at DESC, r.id LIMIT $7 OFFSET $8) x",
      f.admin, f.viewer_id, statuses, f.search, f.from, f.to, f.limit, f.offset);
  return {rows[0][0].as<std::string>(), count[0][0].as<int64_t>()};
}

std::string decide_validation(pqxx::connection_base& conn, const std::string& request_id,
                              const std::string& admin_id, const std::string& to_status,
                              const std::string& notes) {
  if (!calendar_detail::is_uuid(request_id)) request_not_found();
  pqxx::work tx{conn};
  auto found = tx.exec_params(
      "SELECT r.status, r.professional_id::text, p.user_id FROM validation_requests r"
      " JOIN professional_profiles p ON p.id = r.professional_id WHERE r.id = $1::uuid"
      " FOR UPDATE OF r",
      request_id);
  if (found.empty()) request_not_found();
  auto from = found[0][0].as<std::string>();
  auto professional = found[0][1].as<std::string>();
  auto user = found[0][2].as<std::string>();
  if (!validation_transition_allowed(from, to_status))
    throw domain_error(errc::conflict,
                       "A validation request cannot go from " + from + " to " + to_status,
                       "INVALID_TRANSITION");
  std::optional<std::string> kept_notes;
  if (!notes.empty()) kept_notes = notes;
  tx.exec_params(
      "UPDATE validation_requests SET status = $2, notes = coalesce($3, notes),"
      " reviewed_by = $4, reviewed_at = now() WHERE id = $1::uuid",
      request_id, to_status, kept_notes, admin_id);
  tx.exec_params(
      "INSERT INTO validation_history (request_id, changed_by, from_status, to_status, notes)"
      " VALUES ($1::uuid, $2, $3, $4, $5)",
      request_id, admin_id, from, to_status, kept_notes);
  tx.exec_params("UPDATE professional_profiles SET verification_status = $2 WHERE id = $1::uuid",
                 professional, to_status);
  if (to_status == "approved") approve_professional(tx, request_id, user);
  if (auto action = admin_action_of(to_status); !action.empty())
    tx.exec_params(
        "INSERT INTO admin_actions (admin_id, action, target_type, target_id, target_user_id,"
        " reason, details) VALUES ($1, $2, 'validation_request', $3, $4, $5, $6::jsonb)",
        admin_id, action, request_id, user, kept_notes,
        json{{"from_status", from}, {"to_status", to_status}}.dump());
  auto item = tx.exec_params(
      "SELECT " + item_json_sql() + item_from_sql() + "WHERE r.id = $1::uuid", request_id);
  auto out = item[0][0].as<std::string>();
  tx.commit();
  return out;
}

std::string validation_stats(pqxx::connection_base& conn) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec(
      "SELECT json_build_object('total', count(*),"
      " 'pending', count(*) FILTER (WHERE status = 'pending'),"
      " 'under_review', count(*) FILTER (WHERE status = 'under_review'),"
      " 'approved', count(*) FILTER (WHERE status = 'approved'),"
      " 'rejected', count(*) FILTER (WHERE status = 'rejected'),"
      " 'requires_info', count(*) FILTER (WHERE status = 'requires_info'),"
      " 'decided', count(*) FILTER (WHERE status IN ('approved', 'rejected')),"
      " 'average_decision_seconds', round(avg(extract(epoch FROM reviewed_at - created_at))"
      " FILTER (WHERE status IN ('approved', 'rejected')))::bigint,"
      " 'average_decision_hours', round((avg(extract(epoch FROM reviewed_at - created_at))"
      " FILTER (WHERE status IN ('approved', 'rejected')) / 3600)::numeric, 2))"
      " FROM validation_requests");
  return rows[0][0].as<std::string>();
}

}  // namespace mundoctor::persistence
