#pragma once

// The user service (published as names::users): the user-service protocol of
// actors/protocol/identity.hpp over the DB pool. It never blocks: every query goes to the pool
// (looked up by name on each use) and the reply is delivered when the pool answers.
//
// Resolved principals are cached per user id for settings->user_cache_ttl_s (0 disables the
// cache), at most max_cached_principals entries; every write the service performs, and
// (invalidate_atom, user_id), drops the user's entry. The cache is a principal_cache the HTTP
// layer reads directly (actors/identity/verified_cache.hpp); only this service writes it. A role
// selection is written back to Clerk through names::clerk when that actor exists.

#include <cstddef>
#include <memory>

#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

#include "actors/identity/verified_cache.hpp"
#include "config/settings.hpp"

namespace mundoctor::actors::identity {

constexpr size_t max_cached_principals = 100'000;

/// `settings` must outlive the actor. `cache` may be null: the service then keeps its own.
caf::behavior user_service(caf::event_based_actor* self, const config::settings* settings,
                           std::shared_ptr<principal_cache> cache);

}  // namespace mundoctor::actors::identity
