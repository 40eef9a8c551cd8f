#pragma once

// The lifecycle protocol every keyed child actor speaks to its registry
// (supervision/keyed_registry.hpp): passivate when idle, report its mailbox size, summarize its
// state for /ops.

#include <cstdint>
#include <functional>
#include <string>

#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/protocol/atoms.hpp"

namespace mundoctor::actors {

/// Adds the passivate / stats / inspect handlers to a child's behavior. `summary` renders the
/// child's state as a JSON object text; when empty, inspect answers "{}".
inline caf::behavior with_lifecycle(caf::event_based_actor* self, caf::behavior domain,
                                    std::function<std::string()> summary) {
  caf::behavior lifecycle{
      [self](passivate_atom) { self->quit(); },
      [self](stats_atom) { return static_cast<uint64_t>(self->mailbox().size()); },
      [summary](inspect_atom) { return summary ? summary() : std::string{"{}"}; },
  };
  if (!domain) return lifecycle;
  return caf::behavior{domain.as_behavior_impl()->or_else(lifecycle.as_behavior_impl())};
}

}  // namespace mundoctor::actors
