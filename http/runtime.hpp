#pragma once

// The assembled server: actor system, root supervisor (DB pool, Redis, keyed registries),
// migrations, and the HTTP listener, started in that order and stopped in reverse.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <caf/fwd.hpp>

#include "config/settings.hpp"

namespace mundoctor::http {

class router;

class runtime {
 public:
  /// `extra_routes` lets tests add routes next to the real ones.
  explicit runtime(config::settings settings, std::function<void(router&)> extra_routes = {});
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// Starts everything; returns the bound HTTP ports. Throws on a failure that must stop the
  /// start (a port that cannot be bound, a changed migration).
  std::vector<uint16_t> start();

  /// Graceful stop: stop accepting, let in-flight requests finish within shutdown_grace_ms,
  /// stop the actors, join the threads. Returns true when every request finished in time.
  bool stop();

  bool migrations_applied() const;

  /// The actor system, between start() and stop(); tests reach published actors through it
  /// (for example the live-update hub, names::ws_hub).
  caf::actor_system& system();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace mundoctor::http
