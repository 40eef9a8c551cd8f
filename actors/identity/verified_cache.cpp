#include "actors/identity/verified_cache.hpp"

namespace mundoctor::actors::identity {

token_cache::token_cache(size_t capacity) : map_(capacity) {}

std::optional<verified_token> token_cache::find(const std::string& token, const key_set* keys,
                                                int64_t now_s, int64_t leeway_s) const {
  auto hit = map_.find(token, [&](const entry& e) {
    return e.keys.get() != keys || now_s > e.claims.exp + leeway_s;
  });
  if (!hit) return std::nullopt;
  return std::move(hit->claims);
}

void token_cache::put(const std::string& token, std::shared_ptr<const key_set> keys,
                      const verified_token& claims) {
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  map_.put(token, entry{claims, std::move(keys)},
           [now_s](const entry& e) { return e.claims.exp < now_s; });
}

principal_cache::principal_cache(size_t capacity) : map_(capacity) {}

std::optional<principal> principal_cache::find(const std::string& user_id) const {
  auto now = clock_type::now();
  auto hit = map_.find(user_id, [now](const entry& e) { return e.expires <= now; });
  if (!hit) return std::nullopt;
  return std::move(hit->who);
}

void principal_cache::remember(const principal& who, clock_type::time_point expires) {
  auto now = clock_type::now();
  map_.put(who.user_id, entry{who, expires}, [now](const entry& e) { return e.expires <= now; });
}

void principal_cache::forget(const std::string& user_id) { map_.erase(user_id); }

}  // namespace mundoctor::actors::identity
