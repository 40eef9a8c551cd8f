#pragma once

#include <cstddef>

#include "http/message.hpp"

namespace mundoctor::http {

/// X-Content-Type-Options, X-Frame-Options, Referrer-Policy, a strict CSP for JSON (a page's CSP
/// is left to its handler), Cache-Control: no-store on API answers, HSTS when enabled.
void apply_security_headers(response& res, bool hsts);

/// Compresses a JSON or text body of at least `min_bytes` when the client accepts gzip.
/// Returns true when it did.
bool maybe_gzip(const request& req, response& res, std::size_t min_bytes);

/// Whether an Accept-Encoding value accepts gzip (q=0 refuses).
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace mundoctor::http
