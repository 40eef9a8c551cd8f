#pragma once

// The Clerk Backend API write-back client (published as names::clerk), a detached actor: its
// blocking libcurl calls run on its own thread only.
//
//   (clerk_metadata_atom, user_id, public_metadata_json, unsafe_metadata_json) -> nothing
//       PATCH {clerk_api_url}/v1/users/{user_id}/metadata with the bearer secret key and the
//       body {"public_metadata": ..., "unsafe_metadata": ...}. 2xx is done; 429, 5xx and
//       network errors are retried after 1 s, 2 s, 4 s... (backoff base doubled) up to
//       clerk_max_attempts attempts; any other status gives up at once.
//   (stats_atom) -> clerk_client_stats
//
// Outcomes are logged with the user id and HTTP status, never the secret key.

#include <chrono>
#include <cstdint>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>

#include "config/settings.hpp"

namespace mundoctor::actors::identity {

struct clerk_client_stats {
  uint64_t sent = 0;      // updates Clerk accepted
  uint64_t failed = 0;    // updates given up
  uint64_t requests = 0;  // HTTP attempts made
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, clerk_client_stats& x) {
  return f(caf::meta::type_name("clerk_client_stats"), x.sent, x.failed, x.requests);
}

/// The settings are copied. `backoff` is the first retry delay (1 s in production).
caf::actor spawn_clerk_client(caf::actor_system& sys, const config::settings& settings,
                              std::chrono::milliseconds backoff = std::chrono::seconds{1});

}  // namespace mundoctor::actors::identity
