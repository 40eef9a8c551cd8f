#pragma once

// The HTTP listener and sessions (Boost.Beast, the only Beast translation unit of the server).
// Each connection runs on its own strand; the handler's answer may arrive on any thread and is
// posted back. Timeouts: the request head must arrive within header_timeout_ms (first request)
// or keepalive_timeout_ms (later requests), the body within body_timeout_ms; bodies larger than
// body_limit_bytes are answered 413 without being read.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "config/settings.hpp"
#include "http/message.hpp"

namespace mundoctor::http {

class http_metrics;

class server {
 public:
  using handler = std::function<void(request, std::function<void(response)>)>;

  server(const config::settings& settings, handler h, http_metrics* metrics);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds every listen address and starts the I/O threads; returns the bound ports in the
  /// order of settings.listen (port 0 binds an ephemeral port). Throws on bind failure.
  std::vector<uint16_t> start();

  /// Closes the listening sockets; connections waiting for their next request are closed, and
  /// the ones with a request in flight close after answering it.
  void stop_accepting();

  /// Waits until no request is in flight, or the deadline passes. True when drained.
  bool drain(std::chrono::milliseconds deadline);

  /// Closes every connection and joins the I/O threads.
  void stop();

  std::size_t in_flight() const;

  struct impl;  // defined in server.cpp, where the sessions use it too

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace mundoctor::http
