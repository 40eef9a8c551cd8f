#pragma once

// Optional Redis: cache, shared counters and cross-node pub/sub. Everything works without it, so
// every caller must treat errc::unavailable as "use the in-process fallback".
//
// Protocol of the client actor (a dynamic caf::actor, detached, one hiredis context):
//   (redis_atom, std::vector<std::string> argv) -> redis_reply, or errc::unavailable
//   (ping_atom)                                 -> bool (PING answered with PONG)
// While Redis is down, commands fail at once; a reconnect is attempted at most once per second
// with a short connect timeout.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>

struct redisContext;

namespace mundoctor::persistence {

enum class redis_reply_type : uint8_t { nil, string, integer, array, status, error };

struct redis_reply {
  redis_reply_type type = redis_reply_type::nil;
  std::string str;                    // string, status and error replies
  int64_t integer = 0;                // integer replies
  std::vector<std::string> elements;  // array replies (nested values rendered as text)
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, redis_reply& x) {
  return f(caf::meta::type_name("redis_reply"), x.type, x.str, x.integer, x.elements);
}

/// redis://host:port[/db]; port defaults to 6379 and db to 0.
struct redis_endpoint {
  std::string host;
  uint16_t port = 6379;
  int db = 0;
};

/// Parses a redis:// URL; nullopt when it is not one.
std::optional<redis_endpoint> parse_redis_url(const std::string& url);

/// A synchronous hiredis connection (not thread-safe; one per actor).
class redis_connection {
 public:
  redis_connection() = default;
  redis_connection(const redis_connection&) = delete;
  redis_connection& operator=(const redis_connection&) = delete;
  redis_connection(redis_connection&& other) noexcept;
  redis_connection& operator=(redis_connection&& other) noexcept;
  ~redis_connection();

  /// Connects (and SELECTs the database when it is not 0). Commands time out after
  /// `command_timeout`. Returns ok().
  bool connect(const redis_endpoint& endpoint, std::chrono::milliseconds connect_timeout,
               std::chrono::milliseconds command_timeout);

  /// Runs one command. nullopt when the connection failed (it is then closed); a Redis error
  /// reply is a redis_reply of type error.
  std::optional<redis_reply> command(const std::vector<std::string>& argv);

  /// Reads the next reply without sending anything (a SUBSCRIBEd connection's messages). Waits
  /// at most the command timeout; nullopt on timeout or failure (the connection is then closed).
  std::optional<redis_reply> next_reply();

  /// True while connected and no I/O error happened.
  bool ok() const noexcept;

  /// The last connection or I/O error, for logs.
  const std::string& last_error() const noexcept { return last_error_; }

  void close() noexcept;

 private:
  redisContext* ctx_ = nullptr;
  std::string last_error_;
};

/// Spawns the Redis client actor. An empty or invalid URL gives a client that always answers
/// errc::unavailable, so callers need no special case.
caf::actor spawn_redis_client(caf::actor_system& sys, const std::string& redis_url);

}  // namespace mundoctor::persistence
