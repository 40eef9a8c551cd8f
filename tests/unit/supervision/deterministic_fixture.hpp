#pragma once

// A GoogleTest fixture around CAF's deterministic test_coordinator: actors only run when the
// test calls run(), and time only moves when the test calls advance().

#include <chrono>
#include <string>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actors/protocol/atoms.hpp"

namespace mundoctor::supervision::testing {

class deterministic_fixture : public ::testing::Test {
 protected:
  deterministic_fixture()
      : sys_{configure(cfg_)},
        self_{sys_, true},
        sched_{dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler())} {
    sched_.clock().current_time += std::chrono::hours(1);  // keep time points away from 0
  }

  ~deterministic_fixture() override { sched_.run(); }

  /// Runs every actor until no job is left (timers do not fire).
  void run() { sched_.run(); }

  /// Moves simulated time forward, fires the timers that became due and runs the actors.
  void advance(std::chrono::milliseconds delta) {
    sched_.advance_time(delta);
    sched_.run();
  }

  /// Sends a request, runs the actors and returns the reply (or the error). An unanswered
  /// request yields sec::request_timeout instead of blocking.
  template <class T, class... Ts>
  caf::expected<T> ask(const caf::actor& dest, Ts&&... xs) {
    auto handle = self_->request(dest, caf::infinite, std::forward<Ts>(xs)...);
    sched_.run();
    return take_reply<T>(handle);
  }

  /// Collects the reply to a request sent earlier (after run()).
  template <class T, class Handle>
  caf::expected<T> take_reply(Handle& handle) {
    if (self_->mailbox().empty()) return caf::make_error(caf::sec::request_timeout);
    caf::expected<T> result{caf::make_error(caf::sec::unexpected_response)};
    handle.receive([&](T& x) { result = std::move(x); },
                   [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  /// Routes `xs` through a keyed registry to the child for `key`.
  template <class T, class... Ts>
  caf::expected<T> route(const caf::actor& registry, const std::string& key, Ts... xs) {
    return ask<T>(registry, route_atom::value, key, caf::make_message(xs...));
  }

  /// Stops an actor from outside and lets it finish.
  void stop(const caf::actor& whom) {
    caf::anon_send_exit(whom, caf::exit_reason::user_shutdown);
    sched_.run();
  }

  std::string render(const caf::error& err) { return sys_.render(err); }

  caf::actor_system_config cfg_;
  caf::actor_system sys_;
  caf::scoped_actor self_;
  caf::scheduler::test_coordinator& sched_;

 private:
  static caf::actor_system_config& configure(caf::actor_system_config& cfg) {
    cfg.set("scheduler.policy", caf::atom("testing"));
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    return cfg;
  }
};

}  // namespace mundoctor::supervision::testing
