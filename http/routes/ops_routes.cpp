#include <caf/all.hpp>
#include <openssl/crypto.h>

#include "actors/probe/probe_actor.hpp"
#include "actors/protocol/atoms.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/router.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/stats_gather.hpp"

namespace mundoctor::http {

namespace {

// Operators authenticate with `Authorization: Bearer <MUNDOCTOR_OPS_TOKEN>`. Without a
// configured token the operations endpoints are closed.
bool require_ops_token(request_context& ctx, const responder& res) {
  const auto& token = ctx.settings().ops_token;
  if (token.empty()) {
    res.fail(errc::forbidden, "Operations endpoints are disabled: no ops token is configured");
    return false;
  }
  auto header = ctx.req->headers.get("authorization");
  constexpr std::string_view prefix = "Bearer ";
  if (!header || header->substr(0, prefix.size()) != prefix) {
    res.fail(errc::unauthenticated, "Missing bearer token", "TOKEN_MISSING");
    return false;
  }
  auto given = header->substr(prefix.size());
  if (given.size() != token.size() ||
      CRYPTO_memcmp(given.data(), token.data(), token.size()) != 0) {
    res.fail(errc::unauthenticated, "Invalid token", "TOKEN_INVALID");
    return false;
  }
  return true;
}

nlohmann::json to_json(const registry_stats& r) {
  auto busiest = nlohmann::json::array();
  for (const auto& c : r.busiest)
    busiest.push_back(
        {{"key", c.key}, {"mailbox", c.mailbox}, {"idle_ms", c.idle_ms}, {"routed", c.routed}});
  return {{"kind", r.kind},
          {"count", r.active},
          {"spawned", r.spawned},
          {"passivated", r.passivated},
          {"crashes", r.crashes},
          {"mailbox_total", r.mailbox_total},
          {"busiest", std::move(busiest)},
          {"recent_crashes", r.recent_crashes}};
}

nlohmann::json to_json(const supervisor_stats& s) {
  auto children = nlohmann::json::array();
  for (const auto& c : s.children)
    children.push_back({{"name", c.name},
                        {"running", c.running},
                        {"restarts", c.restarts},
                        {"last_exit_reason", c.last_exit_reason}});
  return {{"name", s.name}, {"children", std::move(children)}};
}

nlohmann::json to_json(const db_pool_stats& p) {
  return {{"size", p.size},
          {"in_use", p.in_use},
          {"idle", p.idle},
          {"queued", p.queued},
          {"jobs", p.jobs},
          {"failures", p.failures},
          {"reconnects", p.reconnects},
          {"connected", p.connected}};
}

void get_actors(request_context& ctx, responder res) {
  gather_stats(*ctx.svc, [res](stats_snapshot snap) {
    auto kinds = nlohmann::json::array();
    for (const auto& r : snap.registries) kinds.push_back(to_json(r));
    auto supervisors = nlohmann::json::array();
    for (const auto& s : snap.supervisors) supervisors.push_back(to_json(s));
    nlohmann::json pool = snap.pool ? to_json(*snap.pool) : nlohmann::json();
    nlohmann::json read_pool = snap.read_pool ? to_json(*snap.read_pool) : nlohmann::json();
    nlohmann::json log_pool = snap.log_pool ? to_json(*snap.log_pool) : nlohmann::json();
    res.ok({{"kinds", std::move(kinds)},
            {"supervisors", std::move(supervisors)},
            {"db_pool", pool},
            {"db_read_pool", read_pool},
            {"db_log_pool", log_pool}});
  });
}

caf::actor registry_of(const request_context& ctx, const std::string& kind) {
  for (const auto& [name, atom] : ctx.svc->registries)
    if (name == kind) return ctx.svc->lookup(atom);
  return {};
}

void get_actor(request_context& ctx, responder res) {
  auto kind = ctx.param("kind");
  auto registry = registry_of(ctx, kind);
  if (!registry) return res.fail(errc::not_found, "No actor kind named " + kind);
  ask(ctx, registry, caf::make_message(inspect_atom::value, ctx.param("key")), res,
      [res](std::string& summary) {
        auto data = nlohmann::json::parse(summary, nullptr, false);
        if (data.is_discarded()) data = summary;
        res.ok(std::move(data));
      });
}

// A canary through the whole actor path: registry lookup, lazy spawn, a message, the answer.
void post_probe(request_context& ctx, responder res) {
  auto key = ctx.param("key");
  ask(ctx, ctx.svc->lookup(names::probe_registry),
      caf::make_message(route_atom::value, key, caf::make_message(actors::bump_atom::value)), res,
      [res, key](int64_t value) {
        res.ok({{"key", key}, {"value", value}});
      });
}

}  // namespace

void register_ops_routes(router& r) {
  route_options ops;
  ops.filters = {require_ops_token};
  ops.body = body_kind::none;
  r.add(verb::get, "/ops/actors", get_actors, ops);
  r.add(verb::get, "/ops/actors/:kind/:key", get_actor, ops);
  r.add(verb::post, "/ops/probe/:key", post_probe, ops);
}

}  // namespace mundoctor::http
