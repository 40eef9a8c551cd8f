#pragma once

// Svix webhook signatures (Clerk webhooks): HMAC-SHA256 over "id.timestamp.body" with the key
// that follows "whsec_" in the secret, base64-encoded, sent as "v1,<base64>" entries.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace mundoctor::actors::identity {

enum class svix_failure : uint8_t {
  none,
  missing_headers,
  bad_secret,
  stale_timestamp,
  bad_signature
};

/// Human-readable name of a failure, for logs.
const char* to_string(svix_failure failure);

/// Checks a webhook delivery. `signature_header` is a space-separated list of "v1,<base64>"
/// entries (other versions are ignored); any matching v1 entry passes. The timestamp is integer
/// Unix seconds and must lie within `tolerance` of `now` either way.
svix_failure verify_svix(const std::string& secret, std::string_view msg_id,
                         std::string_view timestamp, std::string_view signature_header,
                         std::string_view body, std::chrono::system_clock::time_point now,
                         std::chrono::seconds tolerance = std::chrono::minutes{5});

/// The "v1,<base64>" signature of a delivery. Throws std::invalid_argument on a malformed secret.
std::string sign_svix(const std::string& secret, std::string_view msg_id,
                      std::string_view timestamp, std::string_view body);

}  // namespace mundoctor::actors::identity
