#pragma once

// Checking an upload request (pure; unit-tested): the multipart body, the file fields a route
// accepts, each part's size and its type by content. Outcomes, most severe first:
//   415 UNSUPPORTED_MEDIA_TYPE  the request is not multipart/form-data
//   400 INVALID_MULTIPART       malformed multipart (boundary, delimiters, part headers)
//   413 PAYLOAD_TOO_LARGE       a file part over the route's per-file limit (metadata.field)
//   415 UNSUPPORTED_MEDIA_TYPE  a file whose content is not an allowed type (metadata.field)
//   422 VALIDATION_ERROR        no file, an empty file, a repeated or unknown file field
// Text fields are ignored, and so is a part with an empty file name and no bytes (a browser's
// unselected file input).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/protocol/errors.hpp"
#include "http/message.hpp"
#include "http/sniff.hpp"

namespace mundoctor::http {

constexpr std::size_t document_file_limit = 5 * 1024 * 1024;  // 5 MB, as uploads_size_check
constexpr std::size_t avatar_file_limit = 2 * 1024 * 1024;
/// Whole request bodies: the files plus room for the multipart framing.
constexpr std::size_t documents_body_limit = 3 * document_file_limit + 64 * 1024;
constexpr std::size_t avatar_body_limit = avatar_file_limit + 16 * 1024;

struct upload_spec {
  std::vector<std::pair<std::string, std::string>> fields;  // form field -> uploads.purpose
  std::vector<file_type> allowed;
  std::size_t file_limit = 0;
};

/// dniImage -> dni, universityDegree -> degree, collegiationCertificate -> certification;
/// JPEG, PNG or PDF; 5 MB each; any non-empty subset of the three fields.
const upload_spec& documents_spec();
/// avatar -> avatar; JPEG or PNG; 2 MB.
const upload_spec& avatar_spec();

struct accepted_file {
  std::string field;
  std::string purpose;
  std::string original_name;  // display_name() of the client's file name
  file_type type = file_type::unknown;
  std::string_view bytes;  // a view into the request body
};

struct upload_check {
  std::vector<accepted_file> files;
  errc code = errc::none;
  std::string message;
  std::string machine_code;
  nlohmann::json metadata;  // {field, ...} for 413/415; validationErrors for 422
  bool ok() const { return code == errc::none; }
};

upload_check check_upload(const request& req, const upload_spec& spec);

/// The client's file name made safe for display: the last path component only, control
/// characters removed, invalid UTF-8 replaced by '_', trimmed, at most 255 code points; when
/// nothing is left, `<fallback>.<extension>`.
std::string display_name(const std::optional<std::string>& client_name, const std::string& fallback,
                         std::string_view extension);

/// `inline` or `attachment` with an ASCII filename and the UTF-8 filename* of RFC 6266.
std::string content_disposition(const std::string& name, bool inline_disposition);

}  // namespace mundoctor::http
