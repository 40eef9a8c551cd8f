#include "supervision/supervisor.hpp"

#include <memory>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_registry.hpp>
#include <caf/event_based_actor.hpp>
#include <gtest/gtest.h>

#include "actors/probe/probe_actor.hpp"
#include "actors/protocol/introspection.hpp"
#include "tests/unit/supervision/deterministic_fixture.hpp"

namespace mundoctor::supervision {
namespace {

using namespace std::chrono_literals;
using actors::bump_atom;
using actors::crash_atom;
using actors::get_atom;
using event_log = std::shared_ptr<std::vector<std::string>>;
using finish_atom = caf::atom_constant<caf::atom("finish")>;

/// A probe that also writes "start <name>" and "stop <name>" to `log`.
caf::behavior logged_probe(caf::event_based_actor* self, std::string name, event_log log) {
  log->push_back("start " + name);
  self->attach_functor([log, name] { log->push_back("stop " + name); });
  return actors::probe(self, name);
}

/// Takes `linger` (simulated time) to stop after it is asked to; with `linger` zero it ignores
/// the request altogether.
caf::behavior slow_stopper(caf::event_based_actor* self, std::string name, event_log log,
                           std::chrono::milliseconds linger) {
  self->attach_functor([log, name] { log->push_back("stop " + name); });
  self->set_exit_handler([self, linger](caf::exit_msg& msg) {
    if (linger.count() > 0)
      self->delayed_send(self, linger, finish_atom::value, std::move(msg.reason));
  });
  return {[self](finish_atom, caf::error& reason) { self->quit(std::move(reason)); }};
}

child_spec probe_spec(const std::string& name, caf::atom_value registry_name, event_log log) {
  return child_spec{name, registry_name, [name, log](caf::actor_system& sys) {
                      return sys.spawn(logged_probe, name, log);
                    }};
}

class supervisor_test : public testing::deterministic_fixture {
 protected:
  ~supervisor_test() override {
    if (sup_) stop(sup_);
    sup_ = nullptr;
  }

  void start(restart_policy policy, std::vector<child_spec> children) {
    sup_ = spawn_supervisor(sys_, "root", policy, std::move(children));
    self_->monitor(sup_);
    run();
  }

  caf::actor published(caf::atom_value name) {
    return caf::actor_cast<caf::actor>(sys_.registry().get(name));
  }

  supervisor_stats stats() {
    auto res = ask<supervisor_stats>(sup_, stats_atom::value);
    EXPECT_TRUE(res) << render(res.error());
    return res ? *res : supervisor_stats{};
  }

  void crash(caf::atom_value name) {
    auto child = published(name);
    ASSERT_TRUE(child);
    caf::anon_send(child, crash_atom::value);
    run();
  }

  /// The reason the supervisor exited with, if it exited.
  caf::optional<caf::error> supervisor_down() {
    caf::optional<caf::error> reason;
    self_->receive([&](caf::down_msg& msg) { reason = msg.reason; },
                   caf::after(std::chrono::seconds(0)) >> [] {});
    if (reason) sup_ = nullptr;
    return reason;
  }

  event_log log_ = std::make_shared<std::vector<std::string>>();
  caf::actor sup_;
};

const auto first = caf::atom("first");
const auto second = caf::atom("second");
const auto third = caf::atom("third");

TEST_F(supervisor_test, starts_children_in_order_and_publishes_them) {
  start({}, {probe_spec("first", first, log_), probe_spec("second", second, log_)});
  EXPECT_EQ(*log_, (std::vector<std::string>{"start first", "start second"}));
  ASSERT_TRUE(published(first));
  ASSERT_TRUE(published(second));
  EXPECT_EQ(ask<int64_t>(published(second), bump_atom::value), 1);
  auto st = stats();
  EXPECT_EQ(st.name, "root");
  ASSERT_EQ(st.children.size(), 2u);
  EXPECT_EQ(st.children[0].name, "first");
  EXPECT_TRUE(st.children[0].running);
  EXPECT_EQ(st.children[0].restarts, 0u);
  EXPECT_TRUE(st.children[0].last_exit_reason.empty());
}

TEST_F(supervisor_test, restarts_a_crashed_child_after_a_doubling_backoff_and_republishes_it) {
  restart_policy policy;
  policy.max_restarts = 10;
  policy.window = 10'000ms;
  policy.backoff = 100ms;
  policy.backoff_max = 300ms;
  start(policy, {probe_spec("first", first, log_)});
  auto before = published(first);
  EXPECT_EQ(ask<int64_t>(before, bump_atom::value), 1);
  crash(first);
  auto st = stats();
  EXPECT_FALSE(st.children[0].running);
  EXPECT_FALSE(st.children[0].last_exit_reason.empty());
  EXPECT_FALSE(published(first));  // not published while waiting for the restart
  advance(99ms);
  EXPECT_FALSE(stats().children[0].running);
  advance(1ms);
  auto after = published(first);
  ASSERT_TRUE(after);
  EXPECT_NE(after, before);
  EXPECT_EQ(ask<int64_t>(after, get_atom::value), 0);  // fresh state
  EXPECT_EQ(stats().children[0].restarts, 1u);
  for (auto delay : {200ms, 300ms, 300ms}) {  // doubled, then capped at backoff_max
    crash(first);
    advance(delay - 1ms);
    EXPECT_FALSE(published(first)) << delay.count();
    advance(1ms);
    EXPECT_TRUE(published(first)) << delay.count();
  }
  EXPECT_EQ(stats().children[0].restarts, 4u);
}

TEST_F(supervisor_test, a_quiet_window_resets_the_backoff) {
  restart_policy policy;
  policy.window = 1'000ms;
  policy.backoff = 100ms;
  start(policy, {probe_spec("first", first, log_)});
  crash(first);
  advance(100ms);
  crash(first);
  advance(200ms);
  ASSERT_TRUE(published(first));
  advance(1'000ms);  // no failure for a whole window
  crash(first);
  advance(100ms);
  EXPECT_TRUE(published(first));
}

TEST_F(supervisor_test, escalates_after_more_than_max_restarts_within_the_window) {
  restart_policy policy;
  policy.max_restarts = 2;
  policy.window = 10'000ms;
  policy.backoff = 10ms;
  start(policy, {probe_spec("first", first, log_), probe_spec("second", second, log_)});
  crash(second);
  advance(10ms);
  crash(second);
  advance(20ms);
  EXPECT_EQ(stats().children[1].restarts, 2u);
  EXPECT_FALSE(supervisor_down());
  crash(second);
  auto reason = supervisor_down();
  ASSERT_TRUE(reason);
  EXPECT_TRUE(*reason);
  EXPECT_NE(render(*reason).find("runtime_error"), std::string::npos) << render(*reason);
  EXPECT_EQ(log_->back(), "stop first");
  EXPECT_FALSE(published(first));
  EXPECT_FALSE(published(second));
}

TEST_F(supervisor_test, failures_outside_the_window_do_not_escalate) {
  restart_policy policy;
  policy.max_restarts = 1;
  policy.window = 1'000ms;
  policy.backoff = 10ms;
  start(policy, {probe_spec("first", first, log_)});
  for (int i = 0; i < 4; ++i) {
    crash(first);
    advance(1'000ms);
  }
  EXPECT_FALSE(supervisor_down());
  EXPECT_EQ(stats().children[0].restarts, 4u);
}

TEST_F(supervisor_test, a_child_that_exits_normally_is_not_restarted) {
  start({}, {probe_spec("first", first, log_)});
  caf::anon_send(published(first), passivate_atom::value);
  run();
  advance(60'000ms);
  auto st = stats();
  EXPECT_FALSE(st.children[0].running);
  EXPECT_EQ(st.children[0].restarts, 0u);
  EXPECT_TRUE(st.children[0].last_exit_reason.empty());
  EXPECT_FALSE(supervisor_down());
}

TEST_F(supervisor_test, shutdown_stops_children_one_at_a_time_in_reverse_order) {
  auto log = log_;
  start({}, {probe_spec("first", first, log_),
             child_spec{"second", second,
                        [log](caf::actor_system& sys) {
                          return sys.spawn(slow_stopper, "second", log, 500ms);
                        }},
             probe_spec("third", third, log_)});
  log_->clear();
  caf::anon_send_exit(sup_, caf::exit_reason::user_shutdown);
  run();
  // "second" takes its time; "first" must not be stopped before it is gone.
  EXPECT_EQ(*log_, (std::vector<std::string>{"stop third"}));
  EXPECT_FALSE(supervisor_down());
  advance(500ms);
  EXPECT_EQ(*log_, (std::vector<std::string>{"stop third", "stop second", "stop first"}));
  auto reason = supervisor_down();
  ASSERT_TRUE(reason);
  EXPECT_EQ(*reason, caf::exit_reason::user_shutdown);
  EXPECT_FALSE(published(first));
  EXPECT_FALSE(published(third));
}

TEST_F(supervisor_test, a_child_that_ignores_shutdown_is_killed_after_the_timeout) {
  restart_policy policy;
  policy.shutdown_timeout = 2'000ms;
  auto log = log_;
  start(policy, {probe_spec("first", first, log_),
                 child_spec{"stubborn", second, [log](caf::actor_system& sys) {
                              return sys.spawn(slow_stopper, "stubborn", log, 0ms);
                            }}});
  log_->clear();
  caf::anon_send_exit(sup_, caf::exit_reason::user_shutdown);
  run();
  EXPECT_TRUE(log_->empty());
  advance(2'000ms);
  EXPECT_EQ(*log_, (std::vector<std::string>{"stop stubborn", "stop first"}));
  EXPECT_TRUE(supervisor_down());
}

TEST_F(supervisor_test, a_normal_exit_message_from_outside_is_ignored) {
  start({}, {probe_spec("first", first, log_)});
  caf::anon_send_exit(sup_, caf::exit_reason::normal);
  run();
  EXPECT_FALSE(supervisor_down());
  EXPECT_TRUE(stats().children[0].running);
}

TEST_F(supervisor_test, a_child_that_cannot_start_stops_the_ones_already_started) {
  start({}, {probe_spec("first", first, log_),
             child_spec{"broken", second, [](caf::actor_system&) { return caf::actor{}; }},
             probe_spec("third", third, log_)});
  EXPECT_EQ(*log_, (std::vector<std::string>{"start first", "stop first"}));
  auto reason = supervisor_down();
  ASSERT_TRUE(reason);
  EXPECT_NE(render(*reason).find("cannot start broken"), std::string::npos) << render(*reason);
  EXPECT_FALSE(published(first));
}

}  // namespace
}  // namespace mundoctor::supervision
