#pragma once

// Thread-safe caches that let a request skip work already done for an earlier one, read from
// the HTTP threads without a message to any actor:
//
// - token_cache: session tokens whose RS256 signature and claims were verified. A hit is used
//   only while the token is still within its exp (plus leeway) and only if the key set it was
//   verified with is still the current one, so a key rotation re-verifies every token.
// - principal_cache: users resolved by the user service (id, role, status). Only the user
//   service writes it (remember after a lookup, forget on every change it makes or is told of),
//   so a reader sees exactly what the service would have answered from its own cache.
//
// Both are sharded_maps: bounded, a full shard drops its expired entries, then arbitrary ones.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "actors/identity/jwt.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/sharded_map.hpp"

namespace mundoctor::actors::identity {

class token_cache {
 public:
  explicit token_cache(size_t capacity = 16'384);

  /// The claims of `token` if it was stored with this `keys` (the key set current when it was
  /// verified; null for a single configured key) and `now_s` is not past its exp + `leeway_s`.
  std::optional<verified_token> find(const std::string& token, const key_set* keys, int64_t now_s,
                                     int64_t leeway_s) const;
  void put(const std::string& token, std::shared_ptr<const key_set> keys,
           const verified_token& claims);
  size_t size() const { return map_.size(); }

 private:
  struct entry {
    verified_token claims;
    std::shared_ptr<const key_set> keys;  // kept alive so its address identifies it
  };
  sharded_map<entry> map_;
};

class principal_cache {
 public:
  using clock_type = std::chrono::steady_clock;

  explicit principal_cache(size_t capacity = 100'000);

  std::optional<principal> find(const std::string& user_id) const;
  /// Keeps `who` until `expires`.
  void remember(const principal& who, clock_type::time_point expires);
  void forget(const std::string& user_id);
  void clear() { map_.clear(); }
  size_t size() const { return map_.size(); }

 private:
  struct entry {
    principal who;
    clock_type::time_point expires;
  };
  sharded_map<entry> map_;
};

}  // namespace mundoctor::actors::identity
