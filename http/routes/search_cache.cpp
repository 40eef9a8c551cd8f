#include "http/routes/search_cache.hpp"

#include <atomic>
#include <vector>

#include <caf/all.hpp>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/names.hpp"
#include "actors/protocol/sharded_map.hpp"
#include "persistence/redis_client.hpp"

namespace mundoctor::http {

namespace {

using clock_type = std::chrono::steady_clock;

constexpr auto redis_prefix = "r:";  // versioned keys stored in Redis
constexpr auto local_prefix = "l:";  // versioned keys stored in process
constexpr std::size_t max_local_entries = 4096;
constexpr std::chrono::milliseconds redis_timeout{250};

class local_cache {
 public:
  std::optional<std::string> get(const std::string& key) const {
    auto now = clock_type::now();
    auto hit = entries_.find(key, [now](const entry& e) { return e.expires <= now; });
    if (!hit) return std::nullopt;
    return std::move(hit->value);
  }

  void put(const std::string& key, const std::string& value) {
    auto now = clock_type::now();
    entries_.put(key, {value, now + directory_cache_ttl},
                 [now](const entry& e) { return e.expires <= now; });
  }

  void clear() { entries_.clear(); }

 private:
  struct entry {
    std::string value;
    clock_type::time_point expires;
  };
  sharded_map<entry> entries_{max_local_entries};
};

local_cache& local() {
  static local_cache cache;
  return cache;
}

std::atomic<uint64_t>& local_generation() {
  static std::atomic<uint64_t> generation{1};
  return generation;
}

// Redis keys name the database by a hash of its URL (never the URL: it may hold a password),
// so deployments sharing one Redis never see each other's entries: "mundoctor:dir:<hash>:".
std::string redis_namespace(const services& svc) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a 64
  for (unsigned char c : svc.settings->database_url) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "mundoctor:dir:";
  for (int shift = 60; shift >= 0; shift -= 4) out.push_back(hex[(h >> shift) & 0xf]);
  return out + ":";
}

std::string local_key(const services& svc, const std::string& key) {
  return local_prefix + std::to_string(local_generation().load()) + "|" +
         svc.settings->database_url + "|" + key;
}

}  // namespace

void reset_local_directory_cache() {
  local_generation().fetch_add(1);
  local().clear();
}

void invalidate_directory(const services& svc) {
  local_generation().fetch_add(1);
  if (auto redis = svc.lookup(names::redis))
    caf::anon_send(redis, redis_atom::value,
                   std::vector<std::string>{"INCR", redis_namespace(svc) + "gen"});
}

void directory_cache_get(caf::event_based_actor* self, const services& svc, const std::string& key,
                         std::function<void(std::optional<std::string>, std::string)> next) {
  auto redis = svc.lookup(names::redis);
  if (!redis) {
    auto versioned = local_key(svc, key);
    return next(local().get(versioned), versioned);
  }
  auto fallback = [&svc, key, next]() {
    auto versioned = local_key(svc, key);
    next(local().get(versioned), versioned);
  };
  auto space = redis_namespace(svc);
  self->request(redis, redis_timeout, redis_atom::value,
                std::vector<std::string>{"GET", space + "gen"})
      .then(
          [self, redis, key, next, space](persistence::redis_reply& gen) {
            auto generation = gen.type == persistence::redis_reply_type::string ? gen.str : "0";
            auto stored = space + generation + ":" + key;
            self->request(redis, redis_timeout, redis_atom::value,
                          std::vector<std::string>{"GET", stored})
                .then(
                    [next, stored](persistence::redis_reply& hit) {
                      std::optional<std::string> value;
                      if (hit.type == persistence::redis_reply_type::string) value = hit.str;
                      next(std::move(value), redis_prefix + stored);
                    },
                    [next](caf::error&) { next(std::nullopt, {}); });
          },
          [fallback](caf::error&) { fallback(); });
}

void directory_cache_put(const services& svc, const std::string& versioned_key,
                         const std::string& value) {
  if (versioned_key.rfind(local_prefix, 0) == 0) return local().put(versioned_key, value);
  if (versioned_key.rfind(redis_prefix, 0) != 0) return;
  auto redis = svc.lookup(names::redis);
  if (!redis) return;
  caf::anon_send(redis, redis_atom::value,
                 std::vector<std::string>{"SET", versioned_key.substr(2), value, "EX",
                                          std::to_string(directory_cache_ttl.count())});
}

}  // namespace mundoctor::http
