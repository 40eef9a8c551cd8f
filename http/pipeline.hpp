#pragma once

// The request pipeline every request goes through, independent of the socket layer:
// request id -> CORS preflight -> per-IP rate limit -> route match (404/405) -> content type and
// JSON body (415/400) -> route filters -> handler; and on the way out: security headers, CORS,
// X-Request-Id, gzip, metrics and one JSON access-log line.

#include <functional>
#include <memory>

#include "http/handler.hpp"
#include "http/middleware/cors.hpp"
#include "http/middleware/rate_limiter.hpp"
#include "http/router.hpp"

namespace mundoctor::http {

class pipeline {
 public:
  pipeline(const services& svc, std::shared_ptr<const router> routes);

  /// Serves `req`; `done` receives the final response exactly once, on any thread.
  void handle(request req, std::function<void(response)> done) const;

 private:
  struct call;
  void dispatch(const std::shared_ptr<call>& c, const responder& res) const;
  void finish(call& c, response res) const;
  void audit(const call& c, unsigned status) const;

  const services& svc_;
  std::shared_ptr<const router> routes_;
  cors_policy cors_;
  std::unique_ptr<rate_limiter> ip_limiter_;
};

/// Whether a Content-Type value is JSON (application/json, application/*+json, any params).
bool is_json_content_type(std::string_view value);

}  // namespace mundoctor::http
