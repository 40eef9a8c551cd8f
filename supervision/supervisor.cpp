#include "supervision/supervisor.hpp"

#include <algorithm>
#include <deque>
#include <exception>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/introspection.hpp"

namespace mundoctor::supervision {
namespace {

using time_point = caf::actor_clock::time_point;

struct child_slot {
  child_spec spec;
  caf::actor handle;                // empty while the child is not running
  uint64_t restarts = 0;            // restarts performed
  std::string last_exit_reason;     // rendered reason of the last failure
  std::deque<time_point> failures;  // failures inside the current window
  uint32_t doublings = 0;           // backoff doublings since the last quiet window
  uint64_t generation = 0;          // bumped on every start; stale timers carry an old value
};

struct supervisor_state {
  std::string title;
  restart_policy policy;
  std::vector<child_slot> children;
  bool stopping = false;
  caf::error final_reason;  // the reason the supervisor quits with once all children stopped
  size_t stop_cursor = 0;   // children [0, stop_cursor) still have to be stopped, last first
};

using supervisor_actor = caf::stateful_actor<supervisor_state>;

std::chrono::milliseconds backoff_for(const restart_policy& policy, uint32_t doublings) {
  auto delay = policy.backoff;
  for (uint32_t i = 0; i < doublings && delay < policy.backoff_max; ++i) delay *= 2;
  return std::min(delay, policy.backoff_max);
}

caf::error cannot_start(const child_slot& child) {
  return make_error(errc::unavailable, "cannot start " + child.spec.name);
}

/// Spawns child `idx`, links it and publishes it under its registry name.
bool start_child(supervisor_actor* self, size_t idx) {
  auto& child = self->state.children[idx];
  caf::actor handle;
  try {
    handle = child.spec.start(self->system());
  } catch (const std::exception& ex) {
    spdlog::error("supervisor {}: starting {} threw: {}", self->state.title, child.spec.name,
                  ex.what());
  }
  if (!handle) return false;
  child.handle = handle;
  ++child.generation;
  self->system().registry().put(child.spec.registry_name, handle);
  self->link_to(handle);
  return true;
}

/// Stops the next running child in reverse start order and waits for its exit; quits once
/// every child has stopped.
void stop_next(supervisor_actor* self) {
  auto& st = self->state;
  while (st.stop_cursor > 0) {
    auto idx = st.stop_cursor - 1;
    auto& child = st.children[idx];
    if (!child.handle) {
      --st.stop_cursor;
      continue;
    }
    self->monitor(child.handle);
    self->send_exit(child.handle, caf::exit_reason::user_shutdown);
    self->delayed_send(self, st.policy.shutdown_timeout, tick_atom::value, uint64_t{idx},
                       child.generation);
    return;  // on_child_exit continues once children[idx] is gone
  }
  for (auto& child : st.children) {
    self->system().registry().erase(child.spec.registry_name);
    child.handle = nullptr;
  }
  self->quit(st.final_reason);
}

void begin_stop(supervisor_actor* self, caf::error reason) {
  auto& st = self->state;
  if (st.stopping) return;
  st.stopping = true;
  st.final_reason = std::move(reason);
  st.stop_cursor = st.children.size();
  stop_next(self);
}

/// Counts a failure of child `idx` and either schedules its restart or escalates.
void handle_failure(supervisor_actor* self, size_t idx, const caf::error& reason) {
  auto& st = self->state;
  auto& child = st.children[idx];
  child.last_exit_reason = self->system().render(reason);
  auto now = self->clock().now();
  while (!child.failures.empty() && now - child.failures.front() >= st.policy.window)
    child.failures.pop_front();
  if (child.failures.empty()) child.doublings = 0;  // a quiet window resets the backoff
  child.failures.push_back(now);
  if (child.failures.size() > st.policy.max_restarts) {
    spdlog::error("supervisor {}: {} failed {} times within {} ms ({}), escalating", st.title,
                  child.spec.name, child.failures.size(), st.policy.window.count(),
                  child.last_exit_reason);
    begin_stop(self, reason);
    return;
  }
  auto delay = backoff_for(st.policy, child.doublings);
  ++child.doublings;
  spdlog::warn("supervisor {}: {} exited ({}), restarting in {} ms", st.title, child.spec.name,
               child.last_exit_reason, delay.count());
  self->delayed_send(self, delay, restart_atom::value, uint64_t{idx}, child.generation);
}

void on_child_exit(supervisor_actor* self, size_t idx, const caf::error& reason) {
  auto& st = self->state;
  auto& child = st.children[idx];
  child.handle = nullptr;
  self->system().registry().erase(child.spec.registry_name);
  if (st.stopping) {
    if (idx == st.stop_cursor - 1) {
      --st.stop_cursor;
      stop_next(self);
    }
    return;
  }
  if (!reason) {
    spdlog::info("supervisor {}: {} exited normally, not restarted", st.title, child.spec.name);
    return;
  }
  handle_failure(self, idx, reason);
}

/// The index of the running child with address `addr`, or children.size().
size_t find_child(const supervisor_state& st, const caf::actor_addr& addr) {
  for (size_t idx = 0; idx < st.children.size(); ++idx)
    if (st.children[idx].handle && st.children[idx].handle.address() == addr) return idx;
  return st.children.size();
}

void on_exit_msg(supervisor_actor* self, caf::exit_msg& msg) {
  auto idx = find_child(self->state, msg.source);
  if (idx < self->state.children.size()) {
    on_child_exit(self, idx, msg.reason);
    return;
  }
  // Not from a running child: a shutdown request (or the exit of some other linked actor).
  if (msg.reason) begin_stop(self, std::move(msg.reason));
}

/// Children being stopped are monitored: an actor that receives an exit message drops its
/// link to the sender, so the link alone would not report their exit.
void on_down_msg(supervisor_actor* self, caf::down_msg& msg) {
  auto idx = find_child(self->state, msg.source);
  if (idx < self->state.children.size()) on_child_exit(self, idx, msg.reason);
}

void on_restart(supervisor_actor* self, size_t idx, uint64_t generation) {
  auto& st = self->state;
  if (st.stopping || idx >= st.children.size()) return;
  auto& child = st.children[idx];
  if (child.handle || child.generation != generation) return;
  if (!start_child(self, idx)) {
    handle_failure(self, idx, cannot_start(child));
    return;
  }
  ++child.restarts;
  spdlog::warn("supervisor {}: {} restarted ({} restarts so far)", st.title, child.spec.name,
               child.restarts);
}

void on_stop_deadline(supervisor_actor* self, size_t idx, uint64_t generation) {
  auto& st = self->state;
  if (!st.stopping || idx + 1 != st.stop_cursor) return;
  auto& child = st.children[idx];
  if (!child.handle || child.generation != generation) return;
  spdlog::warn("supervisor {}: {} did not stop within {} ms, killing it", st.title, child.spec.name,
               st.policy.shutdown_timeout.count());
  self->send_exit(child.handle, caf::exit_reason::kill);
}

supervisor_stats make_stats(const supervisor_state& st) {
  supervisor_stats stats;
  stats.name = st.title;
  for (const auto& child : st.children) {
    supervised_child_info info;
    info.name = child.spec.name;
    info.running = static_cast<bool>(child.handle);
    info.restarts = child.restarts;
    info.last_exit_reason = child.last_exit_reason;
    stats.children.push_back(std::move(info));
  }
  return stats;
}

caf::behavior supervisor(supervisor_actor* self, std::string name, restart_policy policy,
                         std::vector<child_spec> specs) {
  auto& st = self->state;
  st.title = std::move(name);
  st.policy = policy;
  for (auto& spec : specs) st.children.push_back(child_slot{std::move(spec), {}, 0, {}, {}, 0, 0});
  self->set_exit_handler([self](caf::exit_msg& msg) { on_exit_msg(self, msg); });
  self->set_down_handler([self](caf::down_msg& msg) { on_down_msg(self, msg); });
  for (size_t idx = 0; idx < st.children.size(); ++idx) {
    if (!start_child(self, idx)) {
      spdlog::error("supervisor {}: cannot start {}", st.title, st.children[idx].spec.name);
      begin_stop(self, cannot_start(st.children[idx]));
      break;
    }
  }
  return {
      [self](restart_atom, uint64_t idx, uint64_t generation) {
        on_restart(self, static_cast<size_t>(idx), generation);
      },
      [self](tick_atom, uint64_t idx, uint64_t generation) {
        on_stop_deadline(self, static_cast<size_t>(idx), generation);
      },
      [self](stats_atom) { return make_stats(self->state); },
  };
}

}  // namespace

caf::actor spawn_supervisor(caf::actor_system& sys, std::string name, restart_policy policy,
                            std::vector<child_spec> children) {
  return sys.spawn(supervisor, std::move(name), policy, std::move(children));
}

}  // namespace mundoctor::supervision
