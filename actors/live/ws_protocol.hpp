#pragma once

// Messages of the live-update hub (published as names::ws_hub) and of the per-connection
// actors that speak the WebSocket protocol of API.md. Everything here is local to one process.
//
// Hub (dynamic caf::actor):
//   (subscribe_atom, conn_id, topic, ws_sink)  registers the sink of a connection for a topic
//   (unsubscribe_atom, conn_id, topic)         removes it
//   (drop_atom, conn_id)                       removes the connection from every topic
//   (publish_atom, topic, json)                hands the text to every sink of the topic
//   (notify_atom, user_id, json)               the same for the user's own topic "user:<id>"
//   (stats_atom)                               -> ws_hub_stats
// A sink returning false (connection gone or too slow) is dropped from every topic.
//
// Connection actor (see live_connection.hpp):
//   (ws_text_atom, text)  a text frame from the client
//   (drop_atom)           the WebSocket closed

#include <cstdint>
#include <functional>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "actors/protocol/atoms.hpp"              // stats_atom
#include "actors/protocol/calendar_messages.hpp"  // publish_atom

namespace mundoctor {

using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using unsubscribe_atom = caf::atom_constant<caf::atom("unsubscr")>;
using drop_atom = caf::atom_constant<caf::atom("drop")>;
using notify_atom = caf::atom_constant<caf::atom("notify")>;
using ws_text_atom = caf::atom_constant<caf::atom("ws_text")>;
using auth_timeout_atom = caf::atom_constant<caf::atom("auth_tmo")>;

namespace actors {

/// Delivers one text frame to a subscriber without blocking; false when the subscriber is gone
/// or its outgoing queue is full.
using ws_sink = std::function<bool(std::string)>;

/// The topic of a user's own channel.
inline std::string user_topic(const std::string& user_id) { return "user:" + user_id; }

struct ws_hub_stats {
  uint64_t connections = 0;    // connections with at least one subscription
  uint64_t subscriptions = 0;  // (connection, topic) pairs
  uint64_t topics = 0;         // topics with at least one subscriber
  uint64_t published = 0;      // publications received
  uint64_t delivered = 0;      // frames handed to sinks
  uint64_t dropped = 0;        // connections dropped because their sink refused a frame
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ws_hub_stats& x) {
  return f(caf::meta::type_name("ws_hub_stats"), x.connections, x.subscriptions, x.topics,
           x.published, x.delivered, x.dropped);
}

}  // namespace actors
}  // namespace mundoctor

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mundoctor::actors::ws_sink)
