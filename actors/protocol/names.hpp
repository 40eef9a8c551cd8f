#pragma once

// Names under which supervisors publish long-lived actors in the actor system's registry.
// Callers look actors up by name on every use, so a restarted actor is found again.

#include <caf/atom.hpp>

namespace mundoctor::names {

constexpr caf::atom_value db_pool = caf::atom("db_pool");
constexpr caf::atom_value db_read_pool = caf::atom("db_read");
constexpr caf::atom_value db_log_pool = caf::atom("db_log");
constexpr caf::atom_value redis = caf::atom("redis");
constexpr caf::atom_value probe_registry = caf::atom("reg_probe");
constexpr caf::atom_value users = caf::atom("users");
constexpr caf::atom_value audit = caf::atom("audit");
constexpr caf::atom_value clerk = caf::atom("clerk");
constexpr caf::atom_value jwks = caf::atom("jwks");
constexpr caf::atom_value calendars = caf::atom("calendars");
constexpr caf::atom_value professionals = caf::atom("pros");
constexpr caf::atom_value appointments = caf::atom("appts");
constexpr caf::atom_value ws_hub = caf::atom("ws_hub");
constexpr caf::atom_value root_supervisor = caf::atom("sup_root");

}  // namespace mundoctor::names
