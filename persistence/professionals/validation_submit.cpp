// Opening (or completing) a validation request, with the uploads it names.

#include <pqxx/pqxx>
#include <set>

#include <nlohmann/json.hpp>

#include "persistence/domain_error.hpp"
#include "persistence/professionals/validation_repository.hpp"
#include "persistence/professionals/validation_rules.hpp"
#include "persistence/professionals/validation_sql.hpp"

namespace mundoctor::persistence {

using namespace validation_detail;  // NOLINT(google-build-using-namespace): internal helpers
using nlohmann::json;

namespace {

struct stored_document {
  std::string upload_id;
  std::string kind;
  std::string filename;
  std::string original_name;
  std::string mimetype;
  int64_t size = 0;
  std::string sha256;
};

json field_problem(const document_ref& d, const std::string& message, const std::string& code) {
  return {{"field", d.field}, {"message", message}, {"code", code}, {"received", d.url}};
}

// The caller's live uploads for every reference; a 422 naming each bad field otherwise.
std::vector<stored_document> resolve_documents(pqxx::transaction_base& tx, const std::string& owner,
                                               const std::vector<document_ref>& refs) {
  std::vector<stored_document> out;
  auto problems = json::array();
  std::set<std::string> seen;
  for (const auto& ref : refs) {
    auto rows = tx.exec_params(
        "SELECT id::text, purpose, stored_filename, original_name, mimetype, size_bytes, sha256"
        " FROM uploads WHERE stored_filename = $1 AND owner_id = $2 AND deleted_at IS NULL",
        ref.filename, owner);
    if (rows.empty()) {
      problems.push_back(
          field_problem(ref, "no upload of yours has that name", "UPLOAD_NOT_FOUND"));
      continue;
    }
    const auto& r = rows[0];
    auto purpose = r[1].as<std::string>();
    if (purpose == "avatar") {
      problems.push_back(field_problem(ref, "an avatar is not a document", "INVALID_DOCUMENT"));
      continue;
    }
    if (!seen.insert(ref.filename).second) continue;
    out.push_back({r[0].as<std::string>(), ref.kind.empty() ? purpose : ref.kind,
                   r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<std::string>(),
                   r[5].as<int64_t>(), r[6].as<std::string>()});
  }
  if (!problems.empty())
    throw domain_error(errc::invalid_argument, "The request is not valid", "VALIDATION_ERROR",
                       json{{"validationErrors", problems}}.dump());
  return out;
}

void insert_documents(pqxx::transaction_base& tx, const std::string& request_id,
                      const std::vector<stored_document>& docs) {
  for (const auto& d : docs)
    tx.exec_params(
        "INSERT INTO validation_documents (request_id, upload_id, kind, stored_filename,"
        " original_name, mimetype, size_bytes, sha256)"
        " VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6, $7, $8)",
        request_id, d.upload_id, d.kind, d.filename, d.original_name, d.mimetype, d.size, d.sha256);
}

// The URL the body gave for a named kind, or NULL.
std::optional<std::string> url_of(const validation_submission& s, const std::string& kind) {
  for (const auto& d : s.documents)
    if (d.kind == kind && !d.url.empty()) return d.url;
  return std::nullopt;
}

// (specialty_id, specialty_text): a known id, name or slug, or the text as submitted.
std::pair<std::optional<std::string>, std::optional<std::string>> specialty_of(
    pqxx::transaction_base& tx, const std::optional<std::string>& given) {
  if (!given || given->empty()) return {};
  auto rows = tx.exec_params(
      "SELECT id::text FROM specialties WHERE id::text = lower($1)"
      " OR f_unaccent(lower(name)) = f_unaccent(lower($1)) OR slug = lower($1) LIMIT 1",
      *given);
  if (rows.empty()) return {std::nullopt, given};
  return {rows[0][0].as<std::string>(), std::nullopt};
}

// Inserts a request for the profile `id_or_profile`, or updates the request `id_or_profile`;
// returns the request id.
std::string write_request(pqxx::transaction_base& tx, const std::string& id_or_profile, bool insert,
                          const validation_submission& s) {
  auto [specialty_id, specialty_text] = specialty_of(tx, s.specialty);
  const char* insert_sql =
      "INSERT INTO validation_requests (professional_id, college_number, dni, specialty_id,"
      " specialty_text, bio, experience_years, education, certifications,"
      " consultation_fee_cents, dni_document_url, degree_document_url,"
      " certification_document_url) VALUES ($1::uuid, $2, $3, $4::uuid, $5, $6, $7, $8::jsonb,"
      " $9::jsonb, $10, $11, $12, $13) RETURNING id::text";
  const char* update_sql =
      "UPDATE validation_requests SET status = 'pending', college_number = $2, dni = $3,"
      " specialty_id = $4::uuid, specialty_text = $5, bio = $6, experience_years = $7,"
      " education = $8::jsonb, certifications = $9::jsonb, consultation_fee_cents = $10,"
      " dni_document_url = coalesce($11, dni_document_url),"
      " degree_document_url = coalesce($12, degree_document_url),"
      " certification_document_url = coalesce($13, certification_document_url)"
      " WHERE id = $1::uuid RETURNING id::text";
  auto rows = tx.exec_params(insert ? insert_sql : update_sql, id_or_profile, s.college_number,
                             s.dni, specialty_id, specialty_text, s.bio, s.experience_years,
                             s.education_json, s.certifications_json, s.consultation_fee_cents,
                             url_of(s, "dni"), url_of(s, "degree"), url_of(s, "certification"));
  return rows[0][0].as<std::string>();
}

std::string item_of(pqxx::transaction_base& tx, const std::string& id) {
  auto rows =
      tx.exec_params("SELECT " + item_json_sql() + item_from_sql() + "WHERE r.id = $1::uuid", id);
  return rows[0][0].as<std::string>();
}

}  // namespace

submission_result submit_validation(pqxx::connection_base& conn, const validation_submission& s) {
  pqxx::work tx{conn};
  auto profile = tx.exec_params(
      "SELECT id::text, verified FROM professional_profiles WHERE user_id = $1 FOR UPDATE",
      s.user_id);
  if (profile.empty())
    throw domain_error(errc::conflict, "Choose the professional role first",
                       "PROFESSIONAL_ROLE_REQUIRED");
  auto professional = profile[0][0].as<std::string>();
  if (profile[0][1].as<bool>())
    throw domain_error(errc::conflict, "The professional is already verified", "ALREADY_VERIFIED");
  auto open = tx.exec_params(
      "SELECT id::text, status FROM validation_requests WHERE professional_id = $1::uuid"
      " AND status IN ('pending', 'under_review', 'requires_info') FOR UPDATE",
      professional);
  bool completing = !open.empty() && open[0][1].as<std::string>() == "requires_info";
  if (!open.empty() && !completing)
    throw domain_error(errc::already_exists, "A validation request is already open");
  auto docs = resolve_documents(tx, s.user_id, s.documents);
  auto id = completing ? write_request(tx, open[0][0].as<std::string>(), false, s)
                       : write_request(tx, professional, true, s);
  insert_documents(tx, id, docs);
  tx.exec_params(
      "INSERT INTO validation_history (request_id, changed_by, from_status, to_status)"
      " VALUES ($1::uuid, $2, $3, 'pending')",
      id, s.user_id, completing ? std::optional<std::string>{"requires_info"} : std::nullopt);
  tx.exec_params(
      "UPDATE professional_profiles SET verification_status = 'pending' WHERE id = $1::uuid",
      professional);
  auto item = item_of(tx, id);
  tx.commit();
  return {!completing, item};
}

}  // namespace mundoctor::persistence
