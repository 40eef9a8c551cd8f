#pragma once

// Parsing and validation of the "Professional validation" bodies and list queries of API.md
// (pure; unit-tested). Errors are validationErrors entries {field, message, code, received?}.

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "persistence/professionals/validation_repository.hpp"

namespace mundoctor::http {

struct parsed_submission {
  persistence::validation_submission value;
  nlohmann::json errors = nlohmann::json::array();
};

/// POST /api/validation/request and POST /api/users/professional-validation: collegeNumber
/// (1..50) and dni (1..20) required; specialty (id or name), bio (<= 5000), experienceYears
/// (0..80), education and certifications (arrays; a string is one entry), consultationFee
/// (euros) or consultation_fee_cents; documents named by dniDocumentUrl, degreeDocumentUrl,
/// certificationDocumentUrl (URLs or file names of uploads) and/or documents[] (file names,
/// URLs or {filename|url, kind}); at least one document. snake_case spellings are accepted.
parsed_submission parse_submission(const nlohmann::json& body, const std::string& user_id);

/// The review notes of a decision (reviewNotes, review_notes, notes or validation_notes):
/// required with 10..2000 characters when rejecting, optional (<= 2000) otherwise. Returns the
/// notes ("" when absent) or fills `errors`.
std::string parse_review_notes(const nlohmann::json& body, const std::string& to_status,
                               nlohmann::json& errors);

using query_lookup_fn = std::function<std::optional<std::string>(const std::string&)>;

/// The list filters: status (comma list of statuses), search or q, from / to (YYYY-MM-DD or
/// RFC 3339; also dateFrom / dateTo). Paging is read separately.
persistence::validation_filter parse_validation_query(const query_lookup_fn& query,
                                                      nlohmann::json& errors);

/// YYYY-MM-DD (a real date) or RFC 3339 with offset.
bool is_date_or_instant(const std::string& text);

}  // namespace mundoctor::http
