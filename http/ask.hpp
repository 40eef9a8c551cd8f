#pragma once

// Asking an actor from a request handler without blocking the I/O thread: a short-lived actor
// sends the request and hands the answer (or the error) to the handler's callbacks. An actor
// that does not answer within the request timeout yields 503 ACTOR_TIMEOUT.

#include <chrono>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/make_message.hpp>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/names.hpp"
#include "http/handler.hpp"
#include "persistence/db_pool.hpp"

namespace mundoctor::http {

/// Sends `msg` to `dest`; `on_ok` receives the reply (its parameter types select the reply
/// shape, as in CAF's then()) and must answer `res`. Errors answer `res` through the error
/// table. If `on_ok` throws, the short-lived actor dies and the responder answers 500.
template <class OnOk>
void ask(const request_context& ctx, const caf::actor& dest, caf::message msg, const responder& res,
         OnOk on_ok) {
  if (!dest) {
    res.fail(errc::unavailable, "A required service is not running");
    return;
  }
  auto timeout = ctx.svc->request_timeout();
  ctx.system().spawn([dest, timeout, msg = std::move(msg), res,
                      on_ok = std::move(on_ok)](caf::event_based_actor* self) mutable {
    self->request(dest, timeout, std::move(msg)).then(std::move(on_ok), [res](caf::error& err) {
      res.fail(err);
    });
  });
}

/// Runs `job` on the DB pool (as ask does for any actor); `on_ok` receives the job's reply.
template <class OnOk>
void ask_pool(const request_context& ctx, const responder& res, persistence::db_job job,
              OnOk on_ok) {
  ask(ctx, ctx.svc->lookup(names::db_pool), caf::make_message(db_run_atom::value, std::move(job)),
      res, std::move(on_ok));
}

}  // namespace mundoctor::http
