#pragma once

// Figures that supervised subsystems report for /metrics and /ops/actors.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

namespace mundoctor {

/// One keyed actor as its registry sees it.
struct keyed_child_info {
  std::string key;
  uint64_t mailbox = 0;  // messages waiting, as reported by the child itself
  int64_t idle_ms = 0;   // since the registry last routed a message to it
  uint64_t routed = 0;   // messages routed to this incarnation
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, keyed_child_info& x) {
  return f(caf::meta::type_name("keyed_child_info"), x.key, x.mailbox, x.idle_ms, x.routed);
}

/// One kind of keyed actor (calendar, ticket queue, notification channel...).
struct registry_stats {
  std::string kind;
  uint64_t active = 0;      // children alive now
  uint64_t spawned = 0;     // total spawns (first use, respawn after passivation or crash)
  uint64_t passivated = 0;  // stopped after being idle
  uint64_t crashes = 0;     // children that exited with an error
  uint64_t mailbox_total = 0;
  std::vector<keyed_child_info> busiest;    // at most 10, largest mailbox first
  std::vector<std::string> recent_crashes;  // "key: reason", newest last, at most 20
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registry_stats& x) {
  return f(caf::meta::type_name("registry_stats"), x.kind, x.active, x.spawned, x.passivated,
           x.crashes, x.mailbox_total, x.busiest, x.recent_crashes);
}

/// One child of a one-for-one supervisor.
struct supervised_child_info {
  std::string name;
  bool running = false;
  uint64_t restarts = 0;
  std::string last_exit_reason;  // empty while it never failed
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervised_child_info& x) {
  return f(caf::meta::type_name("supervised_child_info"), x.name, x.running, x.restarts,
           x.last_exit_reason);
}

struct supervisor_stats {
  std::string name;
  std::vector<supervised_child_info> children;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, supervisor_stats& x) {
  return f(caf::meta::type_name("supervisor_stats"), x.name, x.children);
}

/// The PostgreSQL pool.
struct db_pool_stats {
  uint64_t size = 0;
  uint64_t in_use = 0;
  uint64_t idle = 0;
  uint64_t queued = 0;
  uint64_t jobs = 0;          // total jobs run
  uint64_t failures = 0;      // jobs that ended in an error
  uint64_t reconnects = 0;    // successful reconnects after a broken connection
  bool connected = false;     // at least one connection is open
  uint64_t batches = 0;       // runs of several queued jobs together (group commit)
  uint64_t batched_jobs = 0;  // jobs run in those
  double wait_seconds = 0;    // summed over jobs: time waiting in the queue
  double run_seconds = 0;     // summed over jobs: time from a worker taking it to its answer
  double exec_seconds = 0;    // summed over jobs: the worker thread's own time on them
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, db_pool_stats& x) {
  return f(caf::meta::type_name("db_pool_stats"), x.size, x.in_use, x.idle, x.queued, x.jobs,
           x.failures, x.reconnects, x.connected, x.batches, x.batched_jobs, x.wait_seconds,
           x.run_seconds, x.exec_seconds);
}

}  // namespace mundoctor
