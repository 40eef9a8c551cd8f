#pragma once

// Framework-free HTTP request and response. The Beast server converts to and from these, so the
// router, middleware and handlers compile without Beast and are unit-tested without sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mundoctor::http {

enum class verb : uint8_t { get, head, post, put, patch, del, options, other };

verb parse_verb(std::string_view text) noexcept;
std::string_view to_string(verb v) noexcept;

/// Header list with case-insensitive lookup; names are stored lower-case.
class header_list {
 public:
  void set(std::string name, std::string value);  // replaces every value of that name
  void add(std::string name, std::string value);
  void erase(std::string_view name);
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

struct request {
  verb method = verb::get;
  std::string target;  // as received: path plus query
  std::string path;    // decoded path without query
  std::string query;   // raw query string without '?'
  header_list headers;
  std::string body;
  std::string remote_ip;
  bool keep_alive = true;

  /// The value of one query parameter, percent-decoded (first occurrence).
  std::optional<std::string> query_param(std::string_view name) const;
};

struct response {
  unsigned status = 200;
  header_list headers;
  std::string body;
};

/// Percent-decoding ('+' is a space only in queries). Returns nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

std::string to_lower(std::string_view s);

}  // namespace mundoctor::http
