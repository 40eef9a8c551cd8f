#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace mundoctor::http {

/// CORS for the configured origins: credentials allowed, the API's request headers allowed,
/// X-Request-Id exposed. Origins not in the list get no CORS headers (the browser blocks them).
class cors_policy {
 public:
  explicit cors_policy(std::vector<std::string> origins);

  bool allowed(std::string_view origin) const;

  /// The answer to a preflight (OPTIONS with Access-Control-Request-Method), or nullopt when
  /// `req` is not a preflight. A preflight from an unknown origin is a 403.
  std::optional<response> preflight(const request& req) const;

  /// Adds the CORS headers of an actual request.
  void apply(const request& req, response& res) const;

 private:
  std::vector<std::string> origins_;
};

}  // namespace mundoctor::http
