#pragma once

// The request pipeline every request goes through, independent of the socket layer:
// request id -> CORS preflight -> per-IP rate limit -> route match (404/405) -> content type and
// JSON body (415/400) -> authentication -> admission (calendar routes, http/admission.hpp) ->
// route filters -> handler; and on the way out: security headers, CORS,
// X-Request-Id, gzip, metrics and one JSON access-log line.

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

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

  /// The largest body accepted for `method` on `target` (path plus query, as received): the
  /// matched route's max_body_bytes, or settings.body_limit_bytes. The server asks this after
  /// reading the request head, before it reads the body.
  std::size_t body_limit(verb method, std::string_view target) const;

  /// For a route with max_part_bytes and a multipart body: a function the server feeds every
  /// chunk of the body as it arrives; it returns the 413 message as soon as a part is over the
  /// limit, "" until then. Empty for every other request.
  std::function<std::string(std::string_view)> body_watch(verb method, std::string_view target,
                                                          std::string_view content_type) const;

 private:
  struct call;
  void dispatch(const std::shared_ptr<call>& c, const responder& res) const;
  void admit_and_run(const std::shared_ptr<call>& c, const responder& res, const route& rt) const;
  void finish(call& c, response res) const;
  void audit(const call& c, unsigned status) const;
  const route* route_for(verb method, std::string_view target) const;

  const services& svc_;
  std::shared_ptr<const router> routes_;
  cors_policy cors_;
  std::unique_ptr<rate_limiter> ip_limiter_;
};

/// Whether a Content-Type value is JSON (application/json, application/*+json, any params).
bool is_json_content_type(std::string_view value);

}  // namespace mundoctor::http
