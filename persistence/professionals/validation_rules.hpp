#pragma once

// Pure rules of the professional validation workflow (no I/O; unit-tested).
//
//   pending       -> under_review | approved | rejected | requires_info
//   under_review  -> approved | rejected | requires_info
//   requires_info -> under_review | approved | rejected, and back to pending when the
//                    professional sends new documents (submit_validation)
//   approved, rejected: final (a rejected professional opens a new request)

#include <string>

namespace mundoctor::persistence {

constexpr std::size_t min_review_notes = 10;
constexpr std::size_t max_review_notes = 2000;

bool is_validation_status(const std::string& status);

/// pending, under_review and requires_info: at most one open request per professional.
bool is_open_validation_status(const std::string& status);

/// An administrator's move from `from` to `to` (see above).
bool validation_transition_allowed(const std::string& from, const std::string& to);

/// The admin_actions action of an admin's move ("validation.review", "validation.approve",
/// "validation.reject", "validation.request_info"); empty for any other status.
std::string admin_action_of(const std::string& to_status);

/// Whether a decision to `to_status` must carry review notes (rejection).
bool notes_required(const std::string& to_status);

/// The stored file name of an upload reference: a bare name, or the last path segment of a
/// URL or path ("/api/uploads/<name>", "https://host/api/uploads/<name>?x"); empty when the
/// result is not a safe stored name ([A-Za-z0-9._-], 1..200, not "." or "..").
std::string upload_filename(const std::string& reference);

}  // namespace mundoctor::persistence
