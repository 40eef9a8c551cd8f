#pragma once

// multipart/form-data (RFC 7578 over RFC 2046), parsed from a body already in memory. Pure and
// framework-free: every malformed input is reported as an error text (the route answers 400),
// never an exception. Parts are views into the body, so the body must outlive them.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mundoctor::http {

/// Longest boundary RFC 2046 allows.
constexpr std::size_t max_boundary_length = 70;

struct multipart_part {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // Content-Disposition filename: set for file parts
  std::string content_type;             // as declared (informational only), lower-case
  std::string_view body;                // the part's bytes, a view into the request body
};

struct multipart_limits {
  std::size_t max_parts = 16;
  std::size_t max_part_header_bytes = 8 * 1024;  // all header lines of one part
};

struct multipart_result {
  std::vector<multipart_part> parts;
  std::string error;  // empty on success; a client-safe description otherwise
  bool ok() const { return error.empty(); }
};

/// Whether the media type of a Content-Type value is multipart/form-data (any case, any
/// parameters).
bool is_multipart_form_data(std::string_view content_type);

/// The boundary parameter of a multipart/form-data Content-Type (quoted or not); nullopt when
/// it is missing, empty, longer than max_boundary_length or holds characters RFC 2046 forbids.
std::optional<std::string> multipart_boundary(std::string_view content_type);

/// Splits `body` into its parts. A preamble before the first delimiter and an epilogue after
/// the closing one are ignored; every part needs a Content-Disposition of form-data with a name.
multipart_result parse_multipart(std::string_view body, std::string_view boundary,
                                 const multipart_limits& limits = {});

/// Watches a multipart body while it arrives, chunk by chunk, so that a part larger than its
/// limit is refused before the rest of the body is read. It measures the bytes between two
/// delimiters ("\r\n--" + boundary), which is a part's headers plus its content, and a delimiter
/// split across two chunks is still found. Exact per-field checks happen after parsing; this
/// guard only bounds what is read.
class multipart_size_guard {
 public:
  /// `max_part_bytes`: the largest part content accepted; part headers get
  /// multipart_limits::max_part_header_bytes on top.
  multipart_size_guard(std::string boundary, std::size_t max_part_bytes);

  /// Feeds the next bytes of the body; false once some part has grown past the limit.
  bool feed(std::string_view chunk);

  /// The field name of the part being read (of the oversized one after a refusal); empty when
  /// its headers were not seen whole in one chunk.
  const std::string& field() const { return field_; }

 private:
  std::string delimiter_;  // "\r\n--" + boundary ("--" + boundary before the first part)
  std::size_t limit_;
  std::size_t since_delimiter_ = 0;  // bytes after the last delimiter found
  std::string carry_;                // the last delimiter_.size() - 1 bytes seen
  std::string field_;
  bool over_ = false;
};

/// A header parameter value (`name` of `form-data; name="x"`) from the text after the first
/// ';', quoted strings unescaped; nullopt when absent or malformed. Exposed for tests.
std::optional<std::string> header_parameter(std::string_view params, std::string_view name);

}  // namespace mundoctor::http
