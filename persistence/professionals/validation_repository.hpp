#pragma once

// The professional validation workflow (validation_requests, validation_documents,
// validation_history; admin decisions also in admin_actions). Every function opens and commits
// one transaction and throws libpqxx exceptions or domain_error. Items are rendered by SQL as
// the JSON object of API.md "Professional validation" (id, user_id, professional_name,
// professional_email, college_number, dni, validation_status, validation_notes, created_at,
// reviewed_at, reviewed_by, *_document_url, documents[]) plus professional_id, specialty,
// bio, experience_years, education, certifications, consultation_fee_cents, updated_at.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace mundoctor::persistence {

/// A document the request names: the upload's stored file name, the body field that named it
/// (for 422 details) and the document kind (dni | degree | certification; empty = the upload's
/// purpose).
struct document_ref {
  std::string field;
  std::string filename;
  std::string kind;
  std::string url;  // as sent, kept in the *_document_url column for the named kinds
};

struct validation_submission {
  std::string user_id;
  std::string college_number;            // 1..50
  std::string dni;                       // 1..20
  std::optional<std::string> specialty;  // a specialty id, name or slug; else kept as text
  std::optional<std::string> bio;
  std::optional<int64_t> experience_years;
  std::string education_json = "[]";
  std::string certifications_json = "[]";
  std::optional<int64_t> consultation_fee_cents;
  std::vector<document_ref> documents;  // at least one
};

struct submission_result {
  bool created = true;  // false: a requires_info request was completed and is pending again
  std::string item_json;
};

/// Opens a request for the caller's professional profile (none: conflict
/// PROFESSIONAL_ROLE_REQUIRED). Each document must be a live upload
/// of the caller (else domain_error invalid_argument with validationErrors); its SHA-256 is
/// copied into validation_documents. An already verified professional is conflict
/// ALREADY_VERIFIED; an open pending or under_review request is already_exists; an open
/// requires_info request is updated in place with the new data and documents and goes back
/// to pending. Every status change is written to validation_history.
submission_result submit_validation(pqxx::connection_base& conn, const validation_submission& s);

/// The professional profile uuid of a request; nullopt when unknown or malformed.
std::optional<std::string> validation_professional(pqxx::connection_base& conn,
                                                   const std::string& request_id);

/// The item plus "history": [{from_status, to_status, changed_by, notes, created_at}], oldest
/// first. A professional viewer (admin = false) sees only their own requests; anything else
/// is nullopt.
std::optional<std::string> find_validation(pqxx::connection_base& conn, const std::string& id,
                                           const std::string& viewer_id, bool admin);

struct validation_filter {
  std::string viewer_id;
  bool admin = false;                 // false: only the viewer's own requests
  std::vector<std::string> statuses;  // empty = any
  std::optional<std::string> search;  // name, email, college number, dni (accent-insensitive)
  std::optional<std::string> from;    // YYYY-MM-DD or RFC 3339: created_at >= from
  std::optional<std::string> to;      // YYYY-MM-DD (inclusive day) or RFC 3339 (exclusive)
  int64_t offset = 0;
  int64_t limit = 20;
};

struct validation_page {
  std::string items_json;  // JSON array, newest first
  int64_t total = 0;
};

validation_page list_validations(pqxx::connection_base& conn, const validation_filter& f);

/// An administrator's decision: moves the request to `to_status` when
/// validation_transition_allowed (else conflict INVALID_TRANSITION; unknown request not_found),
/// stamps reviewed_by/at, keeps `notes` (empty = keep the old ones), writes the history row and
/// the admin_actions row, and mirrors the status on the profile. Approval also makes the
/// profile verified and the user active (unless suspended or deleted). Returns the item.
std::string decide_validation(pqxx::connection_base& conn, const std::string& request_id,
                              const std::string& admin_id, const std::string& to_status,
                              const std::string& notes);

/// {total, pending, under_review, approved, rejected, requires_info, decided,
///  average_decision_seconds, average_decision_hours} (averages null before any decision).
std::string validation_stats(pqxx::connection_base& conn);

}  // namespace mundoctor::persistence
