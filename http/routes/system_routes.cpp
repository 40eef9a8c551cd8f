#include <chrono>

#include <caf/all.hpp>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/names.hpp"
#include "http/admission.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/error_response.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/stats_gather.hpp"

namespace mundoctor::http {

namespace {

const auto started_at = std::chrono::steady_clock::now();

void get_health(request_context&, responder res) {
  auto up = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                             started_at);
  res.ok({{"status", "ok"}, {"uptime_s", up.count()}});
}

void get_ready(request_context& ctx, responder res) {
  auto not_ready = [res](const std::string& why) {
    auto r = json_response(503, error_body(why, "NOT_READY"));
    r.headers.set("retry-after", "2");
    res.send(std::move(r));
  };
  if (!ctx.svc->migrations_applied || !ctx.svc->migrations_applied())
    return not_ready("Database migrations are not applied yet");
  auto pool = ctx.svc->lookup(names::db_pool);
  if (!pool) return not_ready("The database pool is not running");
  ctx.system().spawn([pool, res, not_ready](caf::event_based_actor* self) {
    self->request(pool, std::chrono::seconds{2}, ping_atom::value)
        .then(
            [res, not_ready](bool up) {
              if (up)
                res.ok({{"status", "ready"}, {"database", "up"}, {"migrations", "applied"}});
              else
                not_ready("The database does not answer");
            },
            [not_ready](caf::error&) { not_ready("The database does not answer"); });
  });
}

void get_metrics(request_context& ctx, responder res) {
  const auto* svc = ctx.svc;
  gather_stats(*svc, [svc, res](stats_snapshot snap) {
    response r;
    r.headers.set("content-type", "text/plain; version=0.0.4; charset=utf-8");
    r.body = svc->metrics->render();
    if (snap.pool) r.body += render_db_pool(*snap.pool);
    if (snap.read_pool) r.body += render_db_read_pool(*snap.read_pool);
    if (snap.log_pool) r.body += render_db_log_pool(*snap.log_pool);
    if (svc->admission) r.body += render_admission(svc->admission->stats());
    r.body += render_registries(snap.registries);
    r.body += render_supervisors(snap.supervisors);
    res.send(std::move(r));
  });
}

}  // namespace

void register_system_routes(router& r) {
  r.add(verb::get, "/health", get_health);
  r.add(verb::get, "/ready", get_ready);
  r.add(verb::get, "/metrics", get_metrics);
}

}  // namespace mundoctor::http
