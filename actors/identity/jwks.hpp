#pragma once

// The JWKS the server verifies session tokens against: a thread-safe store that request
// handlers read, the fetch of the document (https:// or file://), and the detached actor that
// refreshes the store (published by the supervisor as names::jwks).

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include "actors/identity/jwt.hpp"

namespace mundoctor::actors::identity {

/// (refresh_atom) -> bool: see spawn_jwks_fetcher.
using refresh_atom = caf::atom_constant<caf::atom("refresh")>;

/// The current key set, shared between the fetcher (writer) and token verification (readers).
class key_store {
 public:
  key_store();

  /// Never null; empty until the first successful fetch.
  std::shared_ptr<const key_set> current() const;

  /// Installs a new key set and records the time.
  void replace(key_set keys);

  /// When replace() last ran; the epoch when it never did.
  std::chrono::system_clock::time_point last_refresh() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const key_set> keys_;
  std::chrono::system_clock::time_point last_refresh_{};
};

/// The body of an https:// or file:// URL (no other scheme, also not through redirects). Fails
/// on HTTP status >= 400, on timeout, and on bodies above 1 MiB. Throws std::runtime_error.
/// Blocking: call it only from a detached actor or a plain thread.
std::string fetch_url(const std::string& url, std::chrono::milliseconds timeout);

/// Spawns the detached fetcher. It fetches once at start (a failure is logged, not fatal); then
/// (refresh_atom) -> bool fetches again unless the previous attempt was less than `min_interval`
/// ago, and answers true when a freshly fetched key set was installed, false otherwise. The rate
/// limit keeps tokens with made-up kids from making the server hammer the identity provider.
caf::actor spawn_jwks_fetcher(caf::actor_system& sys, std::string url,
                              std::shared_ptr<key_store> store, std::chrono::seconds min_interval);

}  // namespace mundoctor::actors::identity
