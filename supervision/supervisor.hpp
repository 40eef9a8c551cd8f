#pragma once

// A one-for-one supervisor: starts its children in order, restarts a child that exits with an
// error after a backoff (initial, doubled up to a maximum), and gives up (quits with the child's
// reason, escalating to its own parent) when one child needs more than `max_restarts` restarts
// within `window`. A child that exits normally is not restarted. The backoff doubles with every
// restart and starts again at `backoff` after a window without failures.
//
// Shutdown: an exit message from outside with a non-normal reason (for example
// anon_send_exit(sup, caf::exit_reason::user_shutdown)) stops the children one at a time in
// reverse start order (each is sent user_shutdown and awaited, and killed after
// `shutdown_timeout`), then the supervisor quits with that reason. Escalation stops the
// children the same way. An exit message with the normal reason from outside is ignored, as
// CAF's default exit handling does. Children are linked to the supervisor.
//
// Each child is published in the actor system's registry under its name atom, and re-published
// after every restart, so callers look it up by name (sys.registry().get(name)) instead of
// keeping a handle that a restart would leave dead.
//
// Protocol (dynamic caf::actor):
//   (stats_atom) -> supervisor_stats

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

namespace mundoctor::supervision {

struct child_spec {
  std::string name;                                     // for stats and logs
  caf::atom_value registry_name;                        // where the running child is published
  std::function<caf::actor(caf::actor_system&)> start;  // spawns the child (not linked)
};

struct restart_policy {
  uint32_t max_restarts = 5;
  std::chrono::milliseconds window{10'000};
  std::chrono::milliseconds backoff{100};
  std::chrono::milliseconds backoff_max{5'000};
  /// On shutdown each child gets this long to exit after its exit message before it is killed.
  std::chrono::milliseconds shutdown_timeout{5'000};
};

caf::actor spawn_supervisor(caf::actor_system& sys, std::string name, restart_policy policy,
                            std::vector<child_spec> children);

}  // namespace mundoctor::supervision
