#pragma once

// One actor per open WebSocket: it speaks the client protocol of API.md "WebSocket" and keeps
// the connection's subscriptions in the hub (names::ws_hub).
//
// Authentication: the token of the upgrade request (?token=), or else the first message
// {"type":"auth","token":...} within `auth_timeout`; otherwise the connection is closed with
// 4401 and a reason. Once authenticated the connection also receives the user's own channel
// "user:<id>" ({"type":"notification",...}).
// Client -> server:
//   {"type":"subscribe","topic":"calendar:<professionalId>"}  (user id or profile uuid; resolved
//       through names::professionals)  -> {"type":"subscribed","topic":<as given>}
//   {"type":"unsubscribe","topic":...}                       -> {"type":"unsubscribed","topic"}
//   {"type":"ping"}                                          -> {"type":"pong"}
// Anything else -> {"type":"error","message":...}; the connection stays open.
// Server -> client: the hub's events as published (calendar.slot_taken, ...).
// The connection is closed with 1001 when the hub stops with the server, and with 1012 when the
// hub restarts (its subscriptions are gone; clients reconnect and subscribe again).

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

namespace mundoctor::actors {

/// What the protocol needs from a WebSocket connection; both functions are thread-safe and
/// never block.
struct live_peer {
  uint64_t id = 0;
  /// Queues a text frame; false when the connection is gone or its queue is full.
  std::function<bool(std::string)> send;
  /// Starts the closing handshake with a close code and reason.
  std::function<void(uint16_t, std::string)> close;
};

/// The subject (user id) of a valid session token, or nullopt. Must not block.
using token_verifier = std::function<std::optional<std::string>(const std::string&)>;

struct live_options {
  std::chrono::milliseconds auth_timeout{10'000};
  std::chrono::milliseconds resolve_timeout{5'000};
  std::size_t max_topics = 64;  // calendar subscriptions per connection
};

namespace close_code {
constexpr uint16_t going_away = 1001;
constexpr uint16_t internal_error = 1011;
constexpr uint16_t service_restart = 1012;
constexpr uint16_t try_again_later = 1013;
constexpr uint16_t unauthorized = 4401;
}  // namespace close_code

/// `query_token` is the ?token= of the upgrade request (empty when absent).
caf::behavior live_connection(caf::event_based_actor* self, live_peer peer, token_verifier verify,
                              std::string query_token, live_options options);

}  // namespace mundoctor::actors
