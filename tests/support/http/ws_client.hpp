#pragma once

// A small synchronous WebSocket client for loopback tests. Every call has a deadline. Reading
// starts with the first read call and then stays armed: a read that reaches its deadline leaves
// the connection intact, so "nothing arrived within N ms" can be checked and reading goes on.
// A client that is never asked to read never reads (the server sees a slow consumer).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/http/test_client.hpp"

namespace mundoctor::testing {

class ws_client {
 public:
  /// Connects to 127.0.0.1:port and upgrades `target`. `receive_buffer` > 0 sets SO_RCVBUF
  /// before connecting. Throws std::runtime_error when the connection or handshake fails.
  explicit ws_client(uint16_t port, const std::string& target = "/ws", int receive_buffer = 0,
                     std::chrono::milliseconds deadline = default_deadline);
  ~ws_client();
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  /// Sends a text frame; throws std::runtime_error when that fails or misses the deadline.
  void send(const std::string& text, std::chrono::milliseconds deadline = default_deadline);
  void send_json(const nlohmann::json& msg) { send(msg.dump()); }

  /// The next text message; nullopt when the connection ended or the deadline passed.
  std::optional<std::string> read(std::chrono::milliseconds deadline = default_deadline);
  /// The next message parsed as JSON (null when it is not JSON); nullopt as for read.
  std::optional<nlohmann::json> read_json(std::chrono::milliseconds deadline = default_deadline);
  /// Skips messages until one with this "type".
  std::optional<nlohmann::json> read_type(const std::string& type,
                                          std::chrono::milliseconds deadline = default_deadline);

  /// Reads and discards until the connection ends; true when it ended before the deadline.
  bool wait_for_close(std::chrono::milliseconds deadline = default_deadline);

  /// Whether the connection has ended (close frame, end of stream or reset).
  bool closed() const;
  /// The code of the server's close frame; 0 when none arrived.
  uint16_t close_code() const;
  std::string close_reason() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mundoctor::testing
