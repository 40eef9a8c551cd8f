#include "persistence/redis_client.hpp"

#include <string_view>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>
#include <sys/time.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"

namespace mundoctor::persistence {

namespace {

constexpr auto connect_timeout = std::chrono::milliseconds{200};
constexpr auto command_timeout = std::chrono::milliseconds{1000};
constexpr auto reconnect_interval = std::chrono::seconds{1};

timeval to_timeval(std::chrono::milliseconds ms) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

std::string element_text(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      return std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    default:
      return {};  // nil and nested arrays
  }
}

redis_reply convert(const redisReply* r) {
  redis_reply out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = redis_reply_type::string;
      break;
    case REDIS_REPLY_STATUS:
      out.type = redis_reply_type::status;
      break;
    case REDIS_REPLY_ERROR:
      out.type = redis_reply_type::error;
      break;
    case REDIS_REPLY_INTEGER:
      out.type = redis_reply_type::integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = redis_reply_type::array;
      break;
    default:
      out.type = redis_reply_type::nil;
      break;
  }
  if (out.type == redis_reply_type::integer)
    out.integer = r->integer;
  else if (out.type == redis_reply_type::array)
    for (std::size_t i = 0; i < r->elements; ++i)
      out.elements.push_back(element_text(r->element[i]));
  else if (out.type != redis_reply_type::nil)
    out.str = element_text(r);
  return out;
}

}  // namespace

std::optional<redis_endpoint> parse_redis_url(const std::string& url) {
  constexpr std::string_view scheme = "redis://";
  if (url.compare(0, scheme.size(), scheme) != 0) return std::nullopt;
  auto rest = url.substr(scheme.size());
  redis_endpoint ep;
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  try {
    if (slash != std::string::npos && slash + 1 < rest.size()) {
      std::size_t used = 0;
      ep.db = std::stoi(rest.substr(slash + 1), &used);
      if (used != rest.size() - slash - 1 || ep.db < 0) return std::nullopt;
    }
    auto colon = authority.rfind(':');
    ep.host = authority.substr(0, colon);
    if (colon != std::string::npos) {
      std::size_t used = 0;
      auto port = std::stoi(authority.substr(colon + 1), &used);
      if (used != authority.size() - colon - 1 || port <= 0 || port > 65535) return std::nullopt;
      ep.port = static_cast<uint16_t>(port);
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (ep.host.empty() || ep.host.find('@') != std::string::npos) return std::nullopt;
  return ep;
}

// -- redis_connection -----------------------------------------------------------

redis_connection::redis_connection(redis_connection&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), last_error_(std::move(other.last_error_)) {}

redis_connection& redis_connection::operator=(redis_connection&& other) noexcept {
  if (this != &other) {
    close();
    ctx_ = std::exchange(other.ctx_, nullptr);
    last_error_ = std::move(other.last_error_);
  }
  return *this;
}

redis_connection::~redis_connection() { close(); }

void redis_connection::close() noexcept {
  if (ctx_ != nullptr) redisFree(ctx_);
  ctx_ = nullptr;
}

bool redis_connection::ok() const noexcept { return ctx_ != nullptr && ctx_->err == 0; }

bool redis_connection::connect(const redis_endpoint& endpoint, std::chrono::milliseconds timeout,
                               std::chrono::milliseconds cmd_timeout) {
  close();
  ctx_ = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(timeout));
  if (ctx_ == nullptr) {
    last_error_ = "cannot allocate a Redis context";
    return false;
  }
  if (ctx_->err != 0) {
    last_error_ = ctx_->errstr;
    close();
    return false;
  }
  redisSetTimeout(ctx_, to_timeval(cmd_timeout));
  if (endpoint.db != 0) {
    auto reply = command({"SELECT", std::to_string(endpoint.db)});
    if (!reply || reply->type == redis_reply_type::error) {
      last_error_ = reply ? reply->str : last_error_;
      close();
      return false;
    }
  }
  return true;
}

std::optional<redis_reply> redis_connection::command(const std::vector<std::string>& argv) {
  if (!ok() || argv.empty()) return std::nullopt;
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* raw = redisCommandArgv(ctx_, static_cast<int>(args.size()), args.data(), lengths.data());
  auto* reply = static_cast<redisReply*>(raw);
  if (reply == nullptr) {
    last_error_ = ctx_->errstr;
    close();  // the context is unusable after an I/O error
    return std::nullopt;
  }
  auto out = convert(reply);
  freeReplyObject(reply);
  return out;
}

std::optional<redis_reply> redis_connection::next_reply() {
  if (!ok()) return std::nullopt;
  void* raw = nullptr;
  if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) {
    last_error_ = ctx_->errstr;
    close();
    return std::nullopt;
  }
  auto* reply = static_cast<redisReply*>(raw);
  auto out = convert(reply);
  freeReplyObject(reply);
  return out;
}

// -- the actor --------------------------------------------------------------------

namespace {

struct redis_state {
  std::optional<redis_endpoint> endpoint;
  redis_connection conn;
  std::chrono::steady_clock::time_point last_attempt{};
  bool attempted = false;
  bool reported_down = false;
  static constexpr const char* name = "redis_client";
};

bool ensure_connected(redis_state& st) {
  if (st.conn.ok()) return true;
  if (!st.endpoint) return false;
  auto now = std::chrono::steady_clock::now();
  if (st.attempted && now - st.last_attempt < reconnect_interval) return false;
  st.attempted = true;
  st.last_attempt = now;
  if (st.conn.connect(*st.endpoint, connect_timeout, command_timeout)) {
    spdlog::info("connected to Redis at {}:{}", st.endpoint->host, st.endpoint->port);
    st.reported_down = false;
    return true;
  }
  if (!st.reported_down) spdlog::warn("Redis unavailable: {}", st.conn.last_error());
  st.reported_down = true;
  return false;
}

// A failed command is not retried: it may have reached Redis before the connection broke.
caf::expected<redis_reply> run_command(redis_state& st, const std::vector<std::string>& argv) {
  if (argv.empty()) return make_error(errc::bad_request, "empty Redis command");
  if (ensure_connected(st)) {
    if (auto reply = st.conn.command(argv)) return std::move(*reply);
    spdlog::warn("Redis connection lost: {}", st.conn.last_error());
  }
  return make_error(errc::unavailable, "the cache is unavailable");
}

caf::behavior redis_client(caf::stateful_actor<redis_state>* self, const std::string& url) {
  if (!url.empty()) {
    self->state.endpoint = parse_redis_url(url);
    if (!self->state.endpoint)
      spdlog::error("redis_url is not a valid redis://host:port[/db] URL; Redis is disabled");
  }
  return {
      [self](redis_atom, const std::vector<std::string>& argv) {
        return run_command(self->state, argv);
      },
      [self](ping_atom) {
        auto reply = run_command(self->state, {"PING"});
        return reply && reply->type == redis_reply_type::status && reply->str == "PONG";
      },
  };
}

}  // namespace

caf::actor spawn_redis_client(caf::actor_system& sys, const std::string& redis_url) {
  return sys.spawn<caf::detached>(redis_client, redis_url);
}

}  // namespace mundoctor::persistence
