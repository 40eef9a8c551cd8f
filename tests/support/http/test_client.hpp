#pragma once

// A small synchronous HTTP/1.1 client for loopback tests (the only Beast translation unit of the
// tests): one-shot requests, a keep-alive connection, and a raw socket that sends arbitrary bytes
// (half a header, oversized chunked bodies) and reads whatever comes back. Every operation has a
// deadline, so a misbehaving server fails a test instead of hanging it.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace mundoctor::testing {

using namespace std::chrono_literals;

struct http_result {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined with ", "
  std::string body;
  nlohmann::json json;  // the parsed body, or null when it is not JSON

  /// The header's value, or "" when absent.
  std::string header(const std::string& lower_case_name) const;
  bool has_header(const std::string& lower_case_name) const;
};

using header_fields = std::vector<std::pair<std::string, std::string>>;

/// The default deadline of one request (connect, write and read together).
constexpr auto default_deadline = std::chrono::milliseconds{10'000};

/// One request on a new connection (Connection: close). Throws std::runtime_error when the
/// connection fails or no complete answer arrives before the deadline.
http_result request(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body = "", const header_fields& headers = {},
                    std::chrono::milliseconds deadline = default_deadline);

/// A persistent (keep-alive) connection for several requests in a row.
class http_connection {
 public:
  explicit http_connection(uint16_t port);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  /// Throws std::runtime_error when the exchange fails (for example, the server closed).
  http_result request(const std::string& method, const std::string& target,
                      const std::string& body = "", const header_fields& headers = {},
                      std::chrono::milliseconds deadline = default_deadline);

  /// Whether the server closed the connection within `wait` (reads nothing else).
  bool closed_by_peer(std::chrono::milliseconds wait);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// A plain TCP connection that sends arbitrary bytes.
class raw_connection {
 public:
  explicit raw_connection(uint16_t port);
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;

  /// Writes all bytes; false when the peer has closed or reset the connection.
  bool send(const std::string& bytes, std::chrono::milliseconds deadline = default_deadline);

  /// Reads one HTTP response; nullopt when the connection ends first or the deadline passes.
  std::optional<http_result> read_response(std::chrono::milliseconds deadline = default_deadline);

  struct close_wait {
    bool closed = false;   // the peer closed or reset the connection before the deadline
    std::string received;  // bytes received meanwhile
  };
  /// Reads until the peer closes the connection or the deadline passes.
  close_wait wait_for_close(std::chrono::milliseconds deadline);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Whether a TCP connection to 127.0.0.1:port is accepted.
bool can_connect(uint16_t port);

/// Inflates a gzip stream (zlib); nullopt when `data` is not valid gzip.
std::optional<std::string> gunzip(const std::string& data);

}  // namespace mundoctor::testing
