#pragma once

// A keyed registry spawns one child actor per key on first use (a professional's calendar, a
// ticket queue, a user's notification channel), routes messages to it, passivates it after an
// idle period, and notices crashes: a crashed child is dropped and the next message for its key
// spawns a fresh one, which loads its state from the database.
//
// Protocol (dynamic caf::actor):
//   (route_atom, std::string key, caf::message payload) -> the child's reply to `payload`
//   (stats_atom)                                        -> registry_stats
//   (inspect_atom, std::string key)                     -> std::string (child's JSON summary),
//                                                          errc::not_found when not running
//
// Children must handle (as ordinary messages, so everything routed earlier is served first):
//   (passivate_atom) -> quit normally
//   (stats_atom)     -> uint64_t: own mailbox size
//   (inspect_atom)   -> std::string: a JSON summary of its state for /ops
// actors::with_lifecycle (actors/lifecycle.hpp) adds those three handlers to a child's behavior.
// While a child passivates, messages for its key wait in the registry and go to the next
// incarnation, so one key never has two live children.
//
// Idle children are looked for every `sweep_interval`; a child is idle when nothing was routed
// to it for `passivate_after`. A child that exits with an error is counted as a crash and
// dropped; messages already in its mailbox get CAF's request_receiver_down error. An exit
// message with a non-normal reason from outside stops every child and the registry; buffered
// messages are answered with errc::unavailable.

#include <chrono>
#include <functional>
#include <string>

#include <caf/actor.hpp>
#include <caf/behavior.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/fwd.hpp>

#include "actors/protocol/atoms.hpp"

namespace mundoctor::supervision {

struct registry_options {
  std::string kind;  // "calendar", "ticket_queue", ...
  std::chrono::milliseconds passivate_after{300'000};
  std::chrono::milliseconds sweep_interval{10'000};  // how often idle children are looked for
  /// Spawns the child for `key` (not linked); the registry links what it returns and learns of
  /// its exit through the link. An empty handle (or an exception) answers the message with
  /// errc::unavailable.
  std::function<caf::actor(caf::local_actor* registry, const std::string& key)> spawn_child;
  /// Spawns the child for a key whose previous child crashed (its unfinished work may still
  /// complete after the new child loaded its state); empty: spawn_child serves every key.
  std::function<caf::actor(caf::local_actor* registry, const std::string& key)> respawn_child;
};

caf::actor spawn_keyed_registry(caf::actor_system& sys, registry_options options);

}  // namespace mundoctor::supervision
