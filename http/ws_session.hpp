#pragma once

// WebSocket sessions of the HTTP server; internal to server.cpp and ws_session.cpp (the two
// Beast translation units). A session answers the upgrade handshake, then reads frames into the
// application's websocket_events and writes the frames it is given, one write in flight, with
// a bounded outgoing queue (256 messages or 1 MiB; a slow consumer is closed with 1008), a read
// limit of 64 KiB per message, and Beast's suggested server timeouts (idle connections are
// pinged and closed when they stop answering).

#include <cstdint>
#include <functional>
#include <memory>

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/server.hpp"

namespace mundoctor::http {

class http_metrics;

namespace detail {

class ws_session;

struct ws_hooks {
  const websocket_handler* handler = nullptr;  // owned by the server
  http_metrics* metrics = nullptr;
  std::function<void(uint64_t id)> closed;  // once, when the session has ended
};

/// Takes over the connection of an upgrade request (on the connection's strand).
std::shared_ptr<ws_session> start_ws_session(
    boost::beast::tcp_stream&& stream,
    boost::beast::http::request<boost::beast::http::string_body>&& upgrade, request req,
    uint64_t id, ws_hooks hooks);

/// Closes the session with 1001 (going away); from any thread.
void close_going_away(const std::shared_ptr<ws_session>& session);

}  // namespace detail
}  // namespace mundoctor::http
