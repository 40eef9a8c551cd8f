#pragma once

// The cache of public directory reads (search, featured, specialties). Keys carry a
// generation; invalidate_directory() bumps it, so every earlier entry is unreachable at once.
// With Redis configured the generation is the Redis counter "mundoctor:dir:<database hash>:gen"
// (INCR) and the entries live in Redis next to it (shared by every node); without Redis, or
// while it is down, an in-process map and an atomic counter stand in. Entries also expire after
// directory_cache_ttl as a second safety net.
//
// Who calls invalidate_directory: the pipeline, after a 2xx answer of any route registered
// with route_options::changes_directory (service changes, profile and role changes, avatars,
// validation decisions, the Clerk webhook). A new route that changes what the directory shows
// (reviews, subscriptions, suspensions) sets that option.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <caf/fwd.hpp>

#include "http/handler.hpp"

namespace mundoctor::http {

constexpr std::chrono::seconds directory_cache_ttl{30};

/// Drops every cached directory read (fire and forget; never blocks).
void invalidate_directory(const services& svc);

/// Drops the in-process entries only; the route registration calls it so a new runtime in the
/// same process never sees another runtime's entries.
void reset_local_directory_cache();

/// Looks `key` up from inside `self`; `next(hit, versioned_key)` runs in `self` with the cached
/// text (nullopt on a miss or when the cache is unreachable) and the key to store under.
void directory_cache_get(caf::event_based_actor* self, const services& svc, const std::string& key,
                         std::function<void(std::optional<std::string>, std::string)> next);

/// Stores `value` under a key returned by directory_cache_get (fire and forget).
void directory_cache_put(const services& svc, const std::string& versioned_key,
                         const std::string& value);

}  // namespace mundoctor::http
