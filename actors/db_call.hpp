#pragma once

// Running repository work on the PostgreSQL pool from inside an actor, without blocking it:
// the job runs on a pool connection and its single result of type T comes back as a response.

#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/make_message.hpp>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/names.hpp"
#include "persistence/db_pool.hpp"
#include "persistence/domain_error.hpp"

namespace mundoctor::actors {

/// A pool job whose repository rule violations (persistence::domain_error) become error replies;
/// every other exception is mapped by the pool (SQLSTATE table).
template <class F>
persistence::db_job make_job(std::string name, F body) {
  return {std::move(name), [body = std::move(body)](pqxx::connection_base& conn) mutable {
            try {
              return body(conn);
            } catch (const persistence::domain_error& e) {
              return caf::make_message(e.to_error());
            }
          }};
}

/// Sends `job` to the pool; `on_ok(T&)` or `on_error(caf::error&)` runs in `self` afterwards.
template <class T, class OnOk, class OnError>
void run_job(caf::event_based_actor* self, std::chrono::milliseconds timeout,
             persistence::db_job job, OnOk on_ok, OnError on_error) {
  auto pool = caf::actor_cast<caf::actor>(self->system().registry().get(names::db_pool));
  if (!pool) {
    auto err = make_error(errc::storage_unavailable, "the database is unavailable");
    on_error(err);
    return;
  }
  self->request(pool, timeout, db_run_atom::value, std::move(job))
      .then([on_ok = std::move(on_ok)](T& value) mutable { on_ok(value); },
            [on_error = std::move(on_error)](caf::error& err) mutable { on_error(err); });
}

}  // namespace mundoctor::actors
