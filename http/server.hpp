#pragma once

// The HTTP listener and sessions (Boost.Beast, the only Beast translation unit of the server).
// Each connection runs on its own strand; the handler's answer may arrive on any thread and is
// posted back. Timeouts: the request head must arrive within header_timeout_ms (first request)
// or keepalive_timeout_ms (later requests), the body within body_timeout_ms; bodies larger than
// the request's body limit (set_body_limit, else body_limit_bytes) are answered 413: a declared
// Content-Length at once, without reading the body; a chunked body as soon as it exceeds it.
// GET /ws with a WebSocket upgrade goes to the websocket handler when one is set (the sessions
// live in ws_session.cpp, the second Beast translation unit); the server knows frames, queues,
// limits and close codes, the handler knows the protocol spoken over them.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "http/message.hpp"

namespace mundoctor::http {

class http_metrics;

/// An open WebSocket as the application sees it. Every member is thread-safe and never blocks.
class websocket_connection {
 public:
  virtual ~websocket_connection() = default;
  virtual uint64_t id() const = 0;
  /// Queues a text frame. False when the connection is closing or gone, or when its outgoing
  /// queue already holds 256 messages or 1 MiB: such a slow consumer is closed with 1008.
  virtual bool send(std::string text) = 0;
  /// Starts the closing handshake (code and reason as in RFC 6455); queued frames are dropped.
  virtual void close(uint16_t code, std::string reason) = 0;
};

/// What the application does with one connection's traffic.
struct websocket_events {
  std::function<void(std::string)> on_message;  // each text frame, in order, one at a time
  std::function<void()> on_close;               // once, after the last on_message
};

/// Called once per accepted upgrade (after the handshake) with the upgrade request. The
/// connection must not be kept alive by what the handler returns: hold the weak pointer.
using websocket_handler =
    std::function<websocket_events(const request&, std::weak_ptr<websocket_connection>)>;

class server {
 public:
  using handler = std::function<void(request, std::function<void(response)>)>;

  server(const config::settings& settings, handler h, http_metrics* metrics);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Enables GET /ws; call before start(). Without a handler /ws is an ordinary route.
  void set_websocket_handler(websocket_handler h);

  /// The body limit of one request from its method and target (path plus query, as received);
  /// call before start(). Without one every request gets settings.body_limit_bytes.
  using body_limit_fn = std::function<std::size_t(verb, std::string_view)>;
  void set_body_limit(body_limit_fn limit);

  /// For one request head (method, target, Content-Type): a watch the body's chunks are fed to
  /// as they arrive, or an empty function. A watch that returns a message has the request
  /// refused with 413 and that message at once, without reading the rest. Call before start().
  using body_watch = std::function<std::string(std::string_view)>;
  using body_watch_fn = std::function<body_watch(verb, std::string_view, std::string_view)>;
  void set_body_watch(body_watch_fn watch);

  /// Binds every listen address and starts the I/O threads; returns the bound ports in the
  /// order of settings.listen (port 0 binds an ephemeral port). Throws on bind failure.
  std::vector<uint16_t> start();

  /// Closes the listening sockets; connections waiting for their next request are closed, and
  /// the ones with a request in flight close after answering it. Open WebSockets are closed
  /// with 1001 (going away).
  void stop_accepting();

  /// Waits until no request is in flight and every WebSocket has closed, or the deadline
  /// passes. True when drained.
  bool drain(std::chrono::milliseconds deadline);

  /// Closes every connection and joins the I/O threads.
  void stop();

  std::size_t in_flight() const;
  std::size_t open_websockets() const;

  struct impl;  // defined in server.cpp, where the sessions use it too

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace mundoctor::http
