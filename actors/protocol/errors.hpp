#pragma once

// Protocol-neutral error codes shared by every layer. Actors and repositories return them as
// caf::error values; http/error_response.cpp is the one place that maps them to HTTP statuses
// and client messages.

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

namespace mundoctor {

enum class errc : uint8_t {
  none = 0,
  bad_request,             // 400 malformed JSON or query syntax
  unauthenticated,         // 401 TOKEN_MISSING / TOKEN_INVALID / TOKEN_EXPIRED via detail code
  forbidden,               // 403
  not_found,               // 404
  method_not_allowed,      // 405
  conflict,                // 409 CONFLICT (or a domain code: SLOT_TAKEN, INVALID_TRANSITION...)
  already_exists,          // 409 ALREADY_EXISTS
  slot_taken,              // 409 SLOT_TAKEN
  payload_too_large,       // 413
  unsupported_media_type,  // 415
  invalid_argument,        // 422 VALIDATION_ERROR (or a domain code)
  rate_limited,            // 429
  storage_busy,            // 503 serialization failures that outlived their retries
  storage_unavailable,     // 503 the database is unreachable
  actor_timeout,           // 503 an actor did not answer in time
  unavailable,             // 503 any other dependency down
  internal,                // 500
};

/// The category atom of every mundoctor error.
constexpr caf::atom_value error_category = caf::atom("mundoctor");

/// Stable text of a code, for logs and tests ("not_found").
const char* to_string(errc code) noexcept;

/// An error with a human message (safe to show to clients) and an optional machine code that
/// overrides the default one of `code` (for example "SLOT_TAKEN", "OUTSIDE_WORKING_HOURS").
/// `details` is an optional JSON text placed in the envelope's metadata (validation errors).
inline caf::error make_error(errc code, std::string message = {}, std::string machine_code = {},
                             std::string details = {}) {
  return caf::error{
      static_cast<uint8_t>(code), error_category,
      caf::make_message(std::move(message), std::move(machine_code), std::move(details))};
}

/// The pieces of a mundoctor error; errors of other categories become errc::internal, except
/// CAF's request timeouts and dead receivers, which are errc::actor_timeout.
struct error_info {
  errc code = errc::internal;
  std::string message;
  std::string machine_code;
  std::string details;
};

error_info inspect_error(const caf::error& err);

}  // namespace mundoctor
