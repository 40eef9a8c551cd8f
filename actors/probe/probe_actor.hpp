#pragma once

// A tiny keyed actor: one counter per key. It exists to exercise the keyed registry and
// supervisors (tests, and /ops liveness checks); it holds no domain data.
//
// Protocol (dynamic caf::actor), plus the lifecycle handlers of with_lifecycle
// (actors/lifecycle.hpp):
//   (bump_atom)          -> int64_t: the counter after adding 1
//   (bump_atom, int64_t) -> int64_t: the counter after adding the amount
//   (get_atom)           -> int64_t: the counter
//   (crash_atom)         -> throws, so the actor fails (simulates a bug)
//   (inspect_atom)       -> std::string: {"key":...,"value":...}

#include <string>

#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

namespace mundoctor::actors {

using bump_atom = caf::atom_constant<caf::atom("bump")>;
using get_atom = caf::atom_constant<caf::atom("get")>;
using crash_atom = caf::atom_constant<caf::atom("crash")>;

caf::behavior probe(caf::event_based_actor* self, std::string key);

}  // namespace mundoctor::actors
