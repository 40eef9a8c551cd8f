#include "http/pipeline.hpp"

#include <chrono>
#include <cmath>

#include <caf/actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "actors/protocol/names.hpp"
#include "config/config.hpp"
#include "config/logging.hpp"
#include "http/admission.hpp"
#include "http/auth/authenticator.hpp"
#include "http/error_response.hpp"
#include "http/metrics.hpp"
#include "http/middleware/request_id.hpp"
#include "http/middleware/response_headers.hpp"
#include "http/multipart.hpp"
#include "http/routes/search_cache.hpp"

namespace mundoctor::http {

struct pipeline::call {
  request req;
  request_context ctx;
  bool changes_directory = false;  // the matched route's option
  bool admitted = false;           // holds a place of the admission gate until finish
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

const route* pipeline::route_for(verb method, std::string_view target) const {
  auto path = percent_decode(target.substr(0, target.find('?')), false);
  if (!path) return nullptr;
  auto m = routes_->match(method, *path);
  return m.result == route_match::outcome::found ? m.matched : nullptr;
}

std::size_t pipeline::body_limit(verb method, std::string_view target) const {
  auto* r = route_for(method, target);
  if (!r || r->options.max_body_bytes == 0) return svc_.settings->body_limit_bytes;
  return r->options.max_body_bytes;
}

std::function<std::string(std::string_view)> pipeline::body_watch(
    verb method, std::string_view target, std::string_view content_type) const {
  auto* r = route_for(method, target);
  if (!r || r->options.max_part_bytes == 0 || !is_multipart_form_data(content_type)) return {};
  auto boundary = multipart_boundary(content_type);
  if (!boundary) return {};  // the handler answers the malformed Content-Type
  auto limit = r->options.max_part_bytes;
  auto guard = std::make_shared<multipart_size_guard>(*boundary, limit);
  return [guard, limit](std::string_view chunk) -> std::string {
    if (guard->feed(chunk)) return {};
    auto what = guard->field().empty() ? std::string{"A file"} : "The file " + guard->field();
    return what + " is larger than " + std::to_string(limit / (1024 * 1024)) + " MB";
  };
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
    return res.fail(errc::not_found,
                    "No route for " + std::string(to_string(req.method)) + " " + req.path);
  if (m.result == route_match::outcome::method_not_allowed) {
    auto r = error_response(errc::method_not_allowed);
    std::string allow;
    for (auto v : m.allowed) allow += (allow.empty() ? "" : ", ") + std::string(to_string(v));
    r.headers.set("allow", allow);
    return res.send(std::move(r));
  }
  const auto& rt = *m.matched;
  ctx.route_pattern = rt.pattern;
  c->changes_directory = rt.options.changes_directory;
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
  auto run = [this, c, res, &rt] { admit_and_run(c, res, rt); };
  if (!rt.options.auth) return run();
  if (!svc_.auth) return res.fail(errc::unavailable, "Authentication is not available");
  svc_.auth->authenticate(ctx, *rt.options.auth, res, std::move(run));
}

void pipeline::admit_and_run(const std::shared_ptr<call>& c, const responder& res,
                             const route& rt) const {
  auto run = [c, res, &rt] {
    try {
      for (const auto& filter : rt.options.filters)
        if (!filter(c->ctx, res)) return;
      rt.handler(c->ctx, res);
    } catch (const std::exception& e) {
      spdlog::error("request {} failed in its handler: {}", c->ctx.request_id, e.what());
      res.fail(errc::internal);
    }
  };
  auto* gate = rt.options.admission ? svc_.admission.get() : nullptr;
  if (!gate) return run();
  gate->enter(
      [c, run] {
        c->admitted = true;
        run();
      },
      [res] {
        res.fail(errc::unavailable, "The server is busy; try again shortly", "OVERLOADED");
      });
}

namespace {

bool changes_state(verb v) {
  return v == verb::post || v == verb::put || v == verb::patch || v == verb::del;
}

// "/api/users/:id/role" -> "users"; "/ops/probe/:key" -> "ops".
std::string resource_of(const std::string& pattern) {
  auto parts = split_path(pattern);
  if (parts.size() > 1 && parts[0] == "api") return parts[1];
  return parts.empty() ? std::string{} : parts[0];
}

std::string outcome_of(unsigned status) {
  if (status < 400) return "success";
  if (status == 401 || status == 403) return "denied";
  return "error " + std::to_string(status);
}

}  // namespace

void pipeline::audit(const call& c, unsigned status) const {
  const auto& ctx = c.ctx;
  bool write = changes_state(c.req.method) && !ctx.route_pattern.empty();
  if (!write && ctx.audited_reads.empty()) return;
  auto writer = svc_.lookup(names::audit);
  if (!writer) return;
  audit_record base;
  if (ctx.user) base.actor_user_id = ctx.user->user_id;
  base.outcome = outcome_of(status);
  base.ip = c.req.remote_ip;
  base.user_agent = std::string{c.req.headers.get("user-agent").value_or("")}.substr(0, 512);
  base.request_id = ctx.request_id;
  base.at_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  if (write) {
    auto rec = base;
    rec.action = std::string{to_string(c.req.method)} + " " + ctx.route_pattern;
    rec.resource_type = resource_of(ctx.route_pattern);
    rec.resource_id = ctx.params.empty() ? base.actor_user_id : ctx.params.front().second;
    caf::anon_send(writer, audit_atom::value, std::move(rec));
  }
  for (const auto& [type, id] : ctx.audited_reads) {
    auto rec = base;
    rec.action = "read " + type;
    rec.resource_type = type;
    rec.resource_id = id;
    caf::anon_send(writer, audit_atom::value, std::move(rec));
  }
}

void pipeline::finish(call& c, response res) const {
  // The place goes back however this ends, after the answer is handed on.
  struct give_back {
    admission_gate* gate;
    ~give_back() {
      if (gate) gate->leave();
    }
  } place{c.admitted ? svc_.admission.get() : nullptr};
  const auto& settings = *svc_.settings;
  apply_security_headers(res, settings.hsts);
  cors_.apply(c.req, res);
  res.headers.set("x-request-id", c.ctx.request_id);
  maybe_gzip(c.req, res, settings.gzip_min_bytes);
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - c.started);
  std::string route = c.ctx.route_pattern.empty() ? "(unmatched)" : c.ctx.route_pattern;
  std::string method{to_string(c.req.method)};
  if (svc_.metrics) svc_.metrics->record(method, route, res.status, elapsed.count());
  audit(c, res.status);
  if (c.changes_directory && res.status >= 200 && res.status < 300) invalidate_directory(svc_);
  auto level = res.status >= 500 ? spdlog::level::err : spdlog::level::info;
  if (spdlog::default_logger_raw()->should_log(level)) {  // the line is built only when logged
    nlohmann::json line{{"method", method},
                        {"route", route},
                        {"status", res.status},
                        {"duration_ms", std::round(elapsed.count() * 1e6) / 1e3},
                        {"request_id", c.ctx.request_id}};
    if (c.ctx.user) line["user_id"] = c.ctx.user->user_id;
    config::log_event(level, "http_request", line);
  }
  c.done(std::move(res));
}

}  // namespace mundoctor::http
