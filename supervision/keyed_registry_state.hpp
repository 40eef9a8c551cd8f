#pragma once

// Internal state of a keyed registry, shared by its behavior and its stats collection.

#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_clock.hpp>
#include <caf/message.hpp>
#include <caf/response_promise.hpp>
#include <caf/result.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/protocol/introspection.hpp"
#include "supervision/keyed_registry.hpp"

namespace mundoctor::supervision {

/// A message that arrived while its key's child was passivating; answered by the next one.
struct buffered_message {
  caf::response_promise promise;
  caf::message payload;
};

/// One running incarnation of a key's child.
struct keyed_child {
  caf::actor handle;
  bool passivating = false;
  std::vector<buffered_message> buffered;
  caf::actor_clock::time_point last_activity;
  uint64_t routed = 0;
};

struct keyed_registry_state {
  registry_options options;
  std::unordered_map<std::string, keyed_child> children;
  std::unordered_map<caf::actor_addr, std::string> keys;  // child address -> key
  uint64_t spawned = 0;
  uint64_t passivated = 0;
  uint64_t crashes = 0;
  std::deque<std::string> recent_crashes;        // "key: reason", newest last
  std::unordered_set<std::string> crashed_keys;  // not respawned since their child crashed
};

using registry_actor = caf::stateful_actor<keyed_registry_state>;

/// At most this many children are asked for their mailbox size per stats request.
constexpr size_t max_stats_fanout = 1000;
/// How long a child may take to report its mailbox size before it counts as 0.
constexpr std::chrono::milliseconds stats_child_timeout{250};
/// Entries in registry_stats::busiest and registry_stats::recent_crashes.
constexpr size_t max_busiest = 10;
constexpr size_t max_recent_crashes = 20;

/// Answers (stats_atom): counters now, mailbox sizes once every asked child answered or timed
/// out. Never blocks.
caf::result<registry_stats> collect_registry_stats(registry_actor* self);

}  // namespace mundoctor::supervision
