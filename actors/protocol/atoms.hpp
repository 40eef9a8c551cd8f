#pragma once

// Atoms shared across subsystems. CAF 0.17 atoms hold at most 10 characters.

#include <caf/atom.hpp>

namespace mundoctor {

using route_atom = caf::atom_constant<caf::atom("route")>;          // registry: forward to key
using stats_atom = caf::atom_constant<caf::atom("stats")>;          // introspection figures
using inspect_atom = caf::atom_constant<caf::atom("inspect")>;      // one actor's state summary
using passivate_atom = caf::atom_constant<caf::atom("passivate")>;  // keyed child: stop if idle
using tick_atom = caf::atom_constant<caf::atom("tick")>;            // timers
using db_run_atom = caf::atom_constant<caf::atom("db_run")>;        // DB pool: run a job
using ping_atom = caf::atom_constant<caf::atom("ping")>;            // liveness probe
using restart_atom = caf::atom_constant<caf::atom("restart")>;      // supervisor: backoff done
using get_atom = caf::atom_constant<caf::atom("get")>;              // read something
using put_atom = caf::atom_constant<caf::atom("put")>;              // replace something
using redis_atom = caf::atom_constant<caf::atom("redis")>;          // Redis client: a command

}  // namespace mundoctor
