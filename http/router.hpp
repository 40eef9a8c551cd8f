#pragma once

// Routes by method and path pattern ("/api/appointments/:id"). Static segments win over
// parameters; an unknown path is a 404 and a known path with another method a 405 (with Allow).

#include <string>
#include <utility>
#include <vector>

#include "http/handler.hpp"

namespace mundoctor::http {

struct route {
  verb method = verb::get;
  std::string pattern;
  std::vector<std::string> segments;  // "appointments", ":id", ...
  handler_fn handler;
  route_options options;
};

struct route_match {
  enum class outcome : uint8_t { found, not_found, method_not_allowed };
  outcome result = outcome::not_found;
  const route* matched = nullptr;
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<verb> allowed;  // for 405: the methods the path does accept
};

class router {
 public:
  /// Registers a route; a second route with the same method and pattern throws.
  void add(verb method, std::string pattern, handler_fn handler, route_options options = {});

  /// HEAD is served by the GET route of the path.
  route_match match(verb method, const std::string& path) const;

  const std::vector<route>& routes() const { return routes_; }

 private:
  std::vector<route> routes_;
};

/// Splits "/a/b/" into {"a","b"}; empty segments are dropped.
std::vector<std::string> split_path(const std::string& path);

}  // namespace mundoctor::http
