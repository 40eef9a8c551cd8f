#pragma once

// SQL text shared by the validation repository's translation units (not part of its
// interface).

#include <string>

namespace mundoctor::persistence::validation_detail {

/// `column` as RFC 3339 UTC text ("2026-03-29T08:30:00Z"), NULL stays NULL.
inline std::string rfc3339_sql(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

/// The item JSON of a request row `r` joined to its profile `p`, user `u` and specialty `s`
/// (LEFT JOIN): see validation_repository.hpp.
inline std::string item_json_sql() {
  return "json_build_object('id', r.id, 'user_id', u.id, 'professional_id', p.id,"
         " 'professional_name', u.full_name, 'professional_email', u.email,"
         " 'college_number', r.college_number, 'dni', r.dni,"
         " 'specialty_id', r.specialty_id, 'specialty', coalesce(s.name, r.specialty_text),"
         " 'bio', r.bio, 'experience_years', r.experience_years, 'education', r.education,"
         " 'certifications', r.certifications,"
         " 'consultation_fee_cents', r.consultation_fee_cents,"
         " 'validation_status', r.status, 'validation_notes', r.notes,"
         " 'created_at', " +
         rfc3339_sql("r.created_at") + ", 'updated_at', " + rfc3339_sql("r.updated_at") +
         ", 'reviewed_at', " + rfc3339_sql("r.reviewed_at") +
         ", 'reviewed_by', r.reviewed_by,"
         " 'dni_document_url', r.dni_document_url,"
         " 'degree_document_url', r.degree_document_url,"
         " 'certification_document_url', r.certification_document_url,"
         " 'documents', coalesce((SELECT json_agg(json_build_object('id', d.id, 'kind', d.kind,"
         " 'filename', d.stored_filename, 'original_name', d.original_name,"
         " 'mimetype', d.mimetype, 'size', d.size_bytes, 'sha256', d.sha256,"
         " 'url', '/api/uploads/' || d.stored_filename, 'created_at', " +
         rfc3339_sql("d.created_at") +
         ") ORDER BY d.created_at, d.kind) FROM validation_documents d"
         " WHERE d.request_id = r.id), '[]'::json))";
}

/// FROM clause matching item_json_sql.
inline std::string item_from_sql() {
  return " FROM validation_requests r JOIN professional_profiles p ON p.id = r.professional_id"
         " JOIN users u ON u.id = p.user_id LEFT JOIN specialties s ON s.id = r.specialty_id ";
}

}  // namespace mundoctor::persistence::validation_detail
