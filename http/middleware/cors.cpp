#include "http/middleware/cors.hpp"

#include <algorithm>

#include "http/error_response.hpp"

namespace mundoctor::http {

namespace {

constexpr auto allowed_methods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
constexpr auto allowed_headers =
    "Authorization, Content-Type, Idempotency-Key, clerk-db-jwt, X-Request-Id";

}  // namespace

cors_policy::cors_policy(std::vector<std::string> origins) : origins_(std::move(origins)) {}

bool cors_policy::allowed(std::string_view origin) const {
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end() ||
         std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

std::optional<response> cors_policy::preflight(const request& req) const {
  auto origin = req.headers.get("origin");
  if (req.method != verb::options || !origin || !req.headers.has("access-control-request-method"))
    return std::nullopt;
  if (!allowed(*origin))
    return error_response(errc::forbidden, "Origin not allowed", "CORS_ORIGIN_DENIED");
  response res;
  res.status = 204;
  res.headers.set("access-control-allow-origin", std::string{*origin});
  res.headers.set("access-control-allow-credentials", "true");
  res.headers.set("access-control-allow-methods", allowed_methods);
  res.headers.set("access-control-allow-headers", allowed_headers);
  res.headers.set("access-control-max-age", "600");
  res.headers.set("vary", "Origin");
  return res;
}

void cors_policy::apply(const request& req, response& res) const {
  auto origin = req.headers.get("origin");
  if (!origin || !allowed(*origin) || res.headers.has("access-control-allow-origin")) return;
  res.headers.set("access-control-allow-origin", std::string{*origin});
  res.headers.set("access-control-allow-credentials", "true");
  res.headers.set("access-control-expose-headers", "X-Request-Id, Retry-After");
  res.headers.add("vary", "Origin");
}

}  // namespace mundoctor::http
