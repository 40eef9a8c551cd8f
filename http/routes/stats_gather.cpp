#include "http/routes/stats_gather.hpp"

#include <memory>

#include <caf/all.hpp>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/names.hpp"

namespace mundoctor::http {

namespace {

constexpr auto stats_timeout = std::chrono::seconds{1};

struct gathering {
  stats_snapshot snapshot;
  std::size_t pending = 0;
  std::function<void(stats_snapshot)> done;

  void one_done() {
    if (--pending == 0) done(std::move(snapshot));
  }
};

}  // namespace

void gather_stats(const services& svc, std::function<void(stats_snapshot)> done) {
  std::vector<caf::actor> registries;
  for (const auto& entry : svc.registries)
    if (auto h = svc.lookup(entry.second)) registries.push_back(h);
  std::vector<caf::actor> supervisors;
  for (auto name : svc.supervisors)
    if (auto h = svc.lookup(name)) supervisors.push_back(h);
  auto pool = svc.lookup(names::db_pool);
  auto read_pool = svc.lookup(names::db_read_pool);
  auto log_pool = svc.lookup(names::db_log_pool);
  svc.system->spawn([registries, supervisors, pool, read_pool, log_pool,
                     done = std::move(done)](caf::event_based_actor* self) mutable {
    // Everything below runs in this one actor, so the counter needs no synchronization.
    auto g = std::make_shared<gathering>();
    g->done = std::move(done);
    g->pending = registries.size() + supervisors.size() + (pool ? 1 : 0) + (read_pool ? 1 : 0) +
                 (log_pool ? 1 : 0) + 1;
    for (auto& r : registries)
      self->request(r, stats_timeout, stats_atom::value)
          .then(
              [g](registry_stats& s) {
                g->snapshot.registries.push_back(std::move(s));
                g->one_done();
              },
              [g](caf::error&) { g->one_done(); });
    for (auto& s : supervisors)
      self->request(s, stats_timeout, stats_atom::value)
          .then(
              [g](supervisor_stats& x) {
                g->snapshot.supervisors.push_back(std::move(x));
                g->one_done();
              },
              [g](caf::error&) { g->one_done(); });
    auto ask_pool = [self, g](const caf::actor& p,
                              std::optional<db_pool_stats> stats_snapshot::*slot) {
      if (!p) return;
      self->request(p, stats_timeout, stats_atom::value)
          .then(
              [g, slot](db_pool_stats& x) {
                g->snapshot.*slot = x;
                g->one_done();
              },
              [g](caf::error&) { g->one_done(); });
    };
    ask_pool(pool, &stats_snapshot::pool);
    ask_pool(read_pool, &stats_snapshot::read_pool);
    ask_pool(log_pool, &stats_snapshot::log_pool);
    g->one_done();  // the initial count's own share: answers even when nothing is running
  });
}

}  // namespace mundoctor::http
