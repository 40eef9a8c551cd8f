#pragma once

// The only table from mundoctor error codes to HTTP statuses, machine codes and client messages.

#include <string>

#include "actors/protocol/errors.hpp"
#include "http/message.hpp"

namespace mundoctor::http {

struct http_error {
  unsigned status = 500;
  const char* code = "INTERNAL_ERROR";
  const char* message = "Internal server error";
};

http_error describe(errc code) noexcept;

/// The error envelope for `info`: its message and machine code when given, the defaults of its
/// code otherwise; `details` (JSON text) becomes the envelope's metadata. 429 and 503 carry
/// Retry-After. 500s never show the internal message.
response error_response(const error_info& info);

/// Shorthand for a plain code with an optional message.
response error_response(errc code, const std::string& message = {},
                        const std::string& machine_code = {});

}  // namespace mundoctor::http
