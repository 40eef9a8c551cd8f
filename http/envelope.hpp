#pragma once

// The response envelope of API.md section 1, and list paging.

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "http/message.hpp"

namespace mundoctor::http {

/// Now as RFC 3339 UTC with milliseconds: "2026-11-27T08:30:00.123Z".
std::string rfc3339_now();

/// {"success":true,"timestamp":...,"data":...,"message"?:...,"metadata"?:...}
nlohmann::json success_body(nlohmann::json data, const std::string& message = {});
nlohmann::json success_body(nlohmann::json data, const std::string& message,
                            nlohmann::json metadata);

/// {"success":false,"timestamp":...,"message":...,"code":...,"metadata"?:...}
nlohmann::json error_body(const std::string& message, const std::string& code);
nlohmann::json error_body(const std::string& message, const std::string& code,
                          nlohmann::json metadata);

/// A JSON response with the envelope's content type.
response json_response(unsigned status, const nlohmann::json& body);

/// The success envelope around parts already serialized (valid JSON text, as dump() writes
/// it; `metadata_json` empty = no metadata), so an answer built once is never parsed again.
response json_text_response(unsigned status, const std::string& data_json,
                            const std::string& metadata_json);

struct page_request {
  int64_t page = 1;    // 1-based
  int64_t limit = 20;  // 1..100; larger values are clamped
  int64_t offset() const { return (page - 1) * limit; }
};

/// Reads `page` and `limit`; a value that is not a positive integer is a 400 (bad_request).
/// Returns false and fills `problem` on bad syntax.
bool parse_page(const request& req, page_request& out, std::string& problem);

/// metadata.pagination = {page, limit, total, totalPages, hasNext, hasPrev}
nlohmann::json pagination_metadata(const page_request& page, int64_t total);

}  // namespace mundoctor::http
