#include "http/pipeline.hpp"

#include <chrono>
#include <cmath>

#include <spdlog/spdlog.h>

#include "config/config.hpp"
#include "config/logging.hpp"
#include "http/error_response.hpp"
#include "http/metrics.hpp"
#include "http/middleware/request_id.hpp"
#include "http/middleware/response_headers.hpp"

namespace mundoctor::http {

struct pipeline::call {
  request req;
  request_context ctx;
  std::function<void(response)> done;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

bool is_json_content_type(std::string_view value) {
  auto type = to_lower(value.substr(0, value.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type == "application/json") return true;
  return type.rfind("application/", 0) == 0 && type.size() > 5 &&
         type.compare(type.size() - 5, 5, "+json") == 0;
}

pipeline::pipeline(const services& svc, std::shared_ptr<const router> routes)
    : svc_(svc),
      routes_(std::move(routes)),
      cors_(config::effective_cors_origins(*svc.settings)),
      ip_limiter_(std::make_unique<rate_limiter>(svc.settings->rate_limit_rps,
                                                 svc.settings->rate_limit_burst)) {}

void pipeline::handle(request req, std::function<void(response)> done) const {
  auto c = std::make_shared<call>();
  c->req = std::move(req);
  c->done = std::move(done);
  c->ctx.req = &c->req;
  c->ctx.svc = &svc_;
  c->ctx.request_id = request_id_for(c->req);
  // The responder keeps the call alive until the answer, whichever thread gives it.
  responder res{[this, c](response r) { finish(*c, std::move(r)); }};
  try {
    dispatch(c, res);
  } catch (const std::exception& e) {
    spdlog::error("request {} failed in its handler: {}", c->ctx.request_id, e.what());
    res.fail(errc::internal);
  }
}

void pipeline::dispatch(const std::shared_ptr<call>& c, const responder& res) const {
  auto& req = c->req;
  auto& ctx = c->ctx;
  if (auto pre = cors_.preflight(req)) return res.send(std::move(*pre));
  if (auto d = ip_limiter_->take(req.remote_ip); !d.allowed) {
    auto r = error_response(errc::rate_limited);
    r.headers.set("retry-after", std::to_string(d.retry_after_s));
    return res.send(std::move(r));
  }
  auto m = routes_->match(req.method, req.path);
  if (m.result == route_match::outcome::not_found)
    return res.fail(errc::not_found, "No route for " + std::string(to_string(req.method)) + " " +
                                         req.path);
  if (m.result == route_match::outcome::method_not_allowed) {
    auto r = error_response(errc::method_not_allowed);
    std::string allow;
    for (auto v : m.allowed) allow += (allow.empty() ? "" : ", ") + std::string(to_string(v));
    r.headers.set("allow", allow);
    return res.send(std::move(r));
  }
  const auto& rt = *m.matched;
  ctx.route_pattern = rt.pattern;
  ctx.params = std::move(m.params);
  bool has_body_verb =
      req.method == verb::post || req.method == verb::put || req.method == verb::patch;
  if (has_body_verb && rt.options.body == body_kind::json && !req.body.empty()) {
    auto type = req.headers.get("content-type");
    if (!type || !is_json_content_type(*type)) return res.fail(errc::unsupported_media_type);
    ctx.json = nlohmann::json::parse(req.body, nullptr, false);
    if (ctx.json.is_discarded()) {
      ctx.json = nullptr;
      return res.fail(errc::bad_request, "Malformed JSON body", "INVALID_JSON");
    }
  }
  for (const auto& filter : rt.options.filters)
    if (!filter(ctx, res)) return;
  rt.handler(ctx, res);
}

void pipeline::finish(call& c, response res) const {
  const auto& settings = *svc_.settings;
  apply_security_headers(res, settings.hsts);
  cors_.apply(c.req, res);
  res.headers.set("x-request-id", c.ctx.request_id);
  maybe_gzip(c.req, res, settings.gzip_min_bytes);
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started);
  std::string route = c.ctx.route_pattern.empty() ? "(unmatched)" : c.ctx.route_pattern;
  std::string method{to_string(c.req.method)};
  if (svc_.metrics) svc_.metrics->record(method, route, res.status, elapsed.count());
  nlohmann::json line{{"method", method},
                      {"route", route},
                      {"status", res.status},
                      {"duration_ms", std::round(elapsed.count() * 1e6) / 1e3},
                      {"request_id", c.ctx.request_id}};
  if (c.ctx.user_id) line["user_id"] = *c.ctx.user_id;
  auto level = res.status >= 500 ? spdlog::level::err : spdlog::level::info;
  config::log_event(level, "http_request", line);
  c.done(std::move(res));
}

}  // namespace mundoctor::http
