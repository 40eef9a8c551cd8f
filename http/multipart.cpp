#include "http/multipart.hpp"

#include <algorithm>

#include "http/message.hpp"

namespace mundoctor::http {

namespace {

constexpr std::string_view crlf = "\r\n";

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// RFC 2046 bchars (a space is allowed, but not as the last character).
bool is_boundary_char(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view{"'()+_,-./:=? "}.find(c) != std::string_view::npos;
}

bool is_token_char(char c) {
  return c > 0x20 && c < 0x7f &&
         std::string_view{"()<>@,;:\\\"/[]?={}"}.find(c) == std::string_view::npos;
}

// Reads a quoted-string starting at in[pos] == '"'; `\"` and `\\` are escapes, any other
// backslash is kept (browsers send Windows paths unescaped). Advances pos past the quote.
std::optional<std::string> read_quoted(std::string_view in, std::size_t& pos) {
  std::string out;
  for (++pos; pos < in.size(); ++pos) {
    char c = in[pos];
    if (c == '"') {
      ++pos;
      return out;
    }
    if (c == '\r' || c == '\n' || c == '\0') return std::nullopt;
    if (c == '\\' && pos + 1 < in.size() && (in[pos + 1] == '"' || in[pos + 1] == '\\')) ++pos;
    out.push_back(in[pos]);
  }
  return std::nullopt;  // unterminated
}

// The media type of a header value, lower-case, without parameters.
std::string media_type(std::string_view value) {
  return to_lower(trim(value.substr(0, value.find(';'))));
}

}  // namespace

std::optional<std::string> header_parameter(std::string_view params, std::string_view name) {
  std::optional<std::string> found;
  std::size_t pos = 0;
  while (pos < params.size()) {
    while (pos < params.size() && (is_space(params[pos]) || params[pos] == ';')) ++pos;
    if (pos >= params.size()) break;
    auto start = pos;
    while (pos < params.size() && is_token_char(params[pos]) && params[pos] != '=') ++pos;
    auto key = to_lower(trim(params.substr(start, pos - start)));
    while (pos < params.size() && is_space(params[pos])) ++pos;
    if (key.empty() || pos >= params.size() || params[pos] != '=') return std::nullopt;
    ++pos;
    while (pos < params.size() && is_space(params[pos])) ++pos;
    std::string value;
    if (pos < params.size() && params[pos] == '"') {
      auto quoted = read_quoted(params, pos);
      if (!quoted) return std::nullopt;
      value = std::move(*quoted);
    } else {
      start = pos;
      while (pos < params.size() && params[pos] != ';' && !is_space(params[pos])) ++pos;
      value = std::string{params.substr(start, pos - start)};
    }
    while (pos < params.size() && is_space(params[pos])) ++pos;
    if (pos < params.size() && params[pos] != ';') return std::nullopt;
    if (key == to_lower(name)) {
      if (found) return std::nullopt;  // a repeated parameter is ambiguous
      found = std::move(value);
    }
  }
  return found;
}

bool is_multipart_form_data(std::string_view content_type) {
  return media_type(content_type) == "multipart/form-data";
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  if (!is_multipart_form_data(content_type)) return std::nullopt;
  auto semi = content_type.find(';');
  if (semi == std::string_view::npos) return std::nullopt;
  auto boundary = header_parameter(content_type.substr(semi + 1), "boundary");
  if (!boundary || boundary->empty() || boundary->size() > max_boundary_length ||
      boundary->back() == ' ')
    return std::nullopt;
  if (!std::all_of(boundary->begin(), boundary->end(), is_boundary_char)) return std::nullopt;
  return boundary;
}

namespace {

// Parses the header block of one part (the lines before the empty line) into `part`.
std::string parse_part_headers(std::string_view block, multipart_part& part) {
  bool disposition = false;
  while (!block.empty()) {
    auto end = block.find(crlf);
    auto line = block.substr(0, end);
    block = end == std::string_view::npos ? std::string_view{} : block.substr(end + 2);
    if (line.empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return "A part header is malformed";
    auto name = to_lower(trim(line.substr(0, colon)));
    auto value = trim(line.substr(colon + 1));
    if (name == "content-type") {
      part.content_type = media_type(value);
    } else if (name == "content-disposition") {
      if (disposition) return "A part has two Content-Disposition headers";
      disposition = true;
      auto semi = value.find(';');
      if (media_type(value) != "form-data" || semi == std::string_view::npos)
        return "A part's Content-Disposition is not form-data";
      auto params = value.substr(semi + 1);
      auto field = header_parameter(params, "name");
      if (!field || field->empty()) return "A part has no field name";
      part.name = std::move(*field);
      part.filename = header_parameter(params, "filename");
    }
  }
  if (!disposition) return "A part has no Content-Disposition";
  return {};
}

// After a delimiter: "--" closes the body; otherwise optional padding and CRLF open a part.
// Returns false on malformed input; sets `closed` for the closing delimiter.
bool after_delimiter(std::string_view body, std::size_t& pos, bool& closed) {
  if (body.substr(pos, 2) == "--") {
    closed = true;
    return true;
  }
  while (pos < body.size() && is_space(body[pos])) ++pos;
  if (body.substr(pos, 2) != crlf) return false;
  pos += 2;
  return true;
}

}  // namespace

multipart_result parse_multipart(std::string_view body, std::string_view boundary,
                                 const multipart_limits& limits) {
  multipart_result out;
  if (boundary.empty()) {
    out.error = "The multipart boundary is missing";
    return out;
  }
  const std::string delimiter = "--" + std::string{boundary};
  const std::string inner = "\r\n" + delimiter;
  std::size_t pos;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    auto first = body.find(inner);  // after a preamble
    if (first == std::string_view::npos) {
      out.error = "The body does not contain the multipart boundary";
      return out;
    }
    pos = first + inner.size();
  }
  for (;;) {
    bool closed = false;
    if (!after_delimiter(body, pos, closed)) {
      out.error = "A multipart delimiter is malformed";
      break;
    }
    if (closed) return out;
    if (out.parts.size() >= limits.max_parts) {
      out.error = "Too many parts in the multipart body";
      break;
    }
    auto head_end = body.find("\r\n\r\n", pos);
    // A part without headers starts with the empty line at once.
    bool no_headers = body.substr(pos, 2) == crlf;
    auto head_len = no_headers                           ? 0
                    : head_end == std::string_view::npos ? body.npos
                                                         : head_end - pos;
    if (head_len == body.npos || head_len > limits.max_part_header_bytes) {
      out.error = head_len == body.npos ? "A part's headers are not terminated"
                                        : "A part's headers are too large";
      break;
    }
    multipart_part part;
    if (auto problem = parse_part_headers(body.substr(pos, head_len), part); !problem.empty()) {
      out.error = std::move(problem);
      break;
    }
    pos += head_len + (no_headers ? 2 : 4);
    auto end = body.find(inner, pos);
    if (end == std::string_view::npos) {
      out.error = "The multipart body is not terminated by its closing boundary";
      break;
    }
    part.body = body.substr(pos, end - pos);
    out.parts.push_back(std::move(part));
    pos = end + inner.size();
  }
  out.parts.clear();
  return out;
}

namespace {

// The field name from the part headers at the start of `rest`; empty when they are not whole.
std::string part_name(std::string_view rest) {
  auto end = rest.find("\r\n\r\n");
  if (end == std::string_view::npos || end > multipart_limits{}.max_part_header_bytes) return {};
  multipart_part part;
  if (!parse_part_headers(rest.substr(0, end), part).empty()) return {};
  return part.name;
}

}  // namespace

multipart_size_guard::multipart_size_guard(std::string boundary, std::size_t max_part_bytes)
    : delimiter_("\r\n--" + boundary),
      limit_(max_part_bytes + multipart_limits{}.max_part_header_bytes),
      carry_("\r\n") {}  // the first delimiter has no CRLF before it: pretend one

bool multipart_size_guard::feed(std::string_view chunk) {
  if (over_) return false;
  // Search the carried tail plus the new bytes, so a delimiter split across chunks is found.
  std::string window = carry_;
  window.append(chunk.data(), chunk.size());
  std::size_t counted_from = carry_.size();  // bytes before this index were counted already
  for (std::size_t at = window.find(delimiter_); at != std::string::npos;
       at = window.find(delimiter_, at + delimiter_.size())) {
    if (at >= counted_from) since_delimiter_ += at - counted_from;
    counted_from = std::max(counted_from, at + delimiter_.size());
    if (since_delimiter_ > limit_) {
      over_ = true;
      return false;
    }
    since_delimiter_ = 0;
    field_ = part_name(std::string_view{window}.substr(counted_from));
  }
  since_delimiter_ += window.size() - std::min(window.size(), counted_from);
  if (since_delimiter_ > limit_) over_ = true;
  auto keep = std::min(window.size(), delimiter_.size() - 1);
  carry_ = window.substr(window.size() - keep);
  return !over_;
}

}  // namespace mundoctor::http
