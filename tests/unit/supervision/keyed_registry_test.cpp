#include "supervision/keyed_registry.hpp"

#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/local_actor.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/probe/probe_actor.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/introspection.hpp"
#include "tests/unit/supervision/deterministic_fixture.hpp"

namespace mundoctor::supervision {
namespace {

using namespace std::chrono_literals;
using actors::bump_atom;
using actors::crash_atom;
using actors::get_atom;

class keyed_registry_test : public testing::deterministic_fixture {
 protected:
  keyed_registry_test() {
    registry_options opts;
    opts.kind = "probe";
    opts.passivate_after = 1000ms;
    opts.sweep_interval = 500ms;
    opts.spawn_child = [](caf::local_actor* self, const std::string& key) {
      return self->spawn(actors::probe, key);
    };
    registry_ = spawn_keyed_registry(sys_, std::move(opts));
    run();
  }

  ~keyed_registry_test() override {
    stop(registry_);
    registry_ = nullptr;
  }

  caf::expected<int64_t> bump(const std::string& key) {
    return route<int64_t>(registry_, key, bump_atom::value);
  }

  caf::expected<int64_t> get(const std::string& key) {
    return route<int64_t>(registry_, key, get_atom::value);
  }

  registry_stats stats() {
    auto res = ask<registry_stats>(registry_, stats_atom::value);
    EXPECT_TRUE(res) << render(res.error());
    return res ? *res : registry_stats{};
  }

  caf::expected<std::string> inspect(const std::string& key) {
    return ask<std::string>(registry_, inspect_atom::value, key);
  }

  caf::actor registry_;
};

uint64_t routed_to(const registry_stats& stats, const std::string& key) {
  for (const auto& info : stats.busiest)
    if (info.key == key) return info.routed;
  return 0;
}

TEST_F(keyed_registry_test, spawns_a_child_lazily_on_the_first_message_and_reuses_it) {
  EXPECT_EQ(stats().active, 0u);
  EXPECT_EQ(stats().spawned, 0u);
  EXPECT_EQ(bump("a"), 1);
  EXPECT_EQ(bump("a"), 2);
  auto st = stats();
  EXPECT_EQ(st.kind, "probe");
  EXPECT_EQ(st.active, 1u);
  EXPECT_EQ(st.spawned, 1u);
  EXPECT_EQ(routed_to(st, "a"), 2u);
}

TEST_F(keyed_registry_test, keeps_state_per_key_in_separate_children) {
  EXPECT_EQ(bump("a"), 1);
  EXPECT_EQ(bump("a"), 2);
  EXPECT_EQ(bump("a"), 3);
  EXPECT_EQ(bump("b"), 1);
  EXPECT_EQ(get("a"), 3);
  EXPECT_EQ(get("b"), 1);
  auto st = stats();
  EXPECT_EQ(st.active, 2u);
  EXPECT_EQ(st.spawned, 2u);
  EXPECT_EQ(routed_to(st, "a"), 4u);
  EXPECT_EQ(routed_to(st, "b"), 2u);
}

TEST_F(keyed_registry_test, inspect_forwards_to_the_child_or_reports_not_found) {
  EXPECT_EQ(route<int64_t>(registry_, "a", bump_atom::value, int64_t{41}), 41);
  auto summary = inspect("a");
  ASSERT_TRUE(summary) << render(summary.error());
  auto json = nlohmann::json::parse(*summary);
  EXPECT_EQ(json.at("key"), "a");
  EXPECT_EQ(json.at("value"), 41);
  auto missing = inspect("nobody");
  ASSERT_FALSE(missing);
  EXPECT_EQ(inspect_error(missing.error()).code, errc::not_found);
  EXPECT_EQ(stats().active, 1u);  // inspecting does not spawn
}

TEST_F(keyed_registry_test, passivates_an_idle_child_and_respawns_it_with_fresh_state) {
  EXPECT_EQ(bump("idle"), 1);
  advance(800ms);  // first sweep: nothing idle long enough
  EXPECT_EQ(stats().passivated, 0u);
  EXPECT_EQ(bump("busy"), 1);
  advance(700ms);  // "idle" unused for 1500 ms, "busy" for 700 ms
  auto st = stats();
  EXPECT_EQ(st.passivated, 1u);
  EXPECT_EQ(st.active, 1u);
  EXPECT_FALSE(inspect("idle"));
  EXPECT_EQ(get("busy"), 1);  // same incarnation
  EXPECT_EQ(get("idle"), 0);  // a new incarnation starts from scratch
  st = stats();
  EXPECT_EQ(st.spawned, 3u);
  EXPECT_EQ(st.active, 2u);
}

TEST_F(keyed_registry_test, counts_a_crash_and_respawns_on_the_next_message) {
  EXPECT_EQ(bump("a"), 1);
  auto crashed = route<int64_t>(registry_, "a", crash_atom::value);
  EXPECT_FALSE(crashed);
  auto st = stats();
  EXPECT_EQ(st.crashes, 1u);
  EXPECT_EQ(st.active, 0u);
  ASSERT_EQ(st.recent_crashes.size(), 1u);
  EXPECT_EQ(st.recent_crashes[0].rfind("a: ", 0), 0u) << st.recent_crashes[0];
  EXPECT_EQ(get("a"), 0);
  st = stats();
  EXPECT_EQ(st.spawned, 2u);
  EXPECT_EQ(st.active, 1u);
  EXPECT_EQ(st.passivated, 0u);
}

TEST_F(keyed_registry_test, keeps_at_most_twenty_recent_crashes_newest_last) {
  for (int i = 0; i < 25; ++i)
    EXPECT_FALSE(route<int64_t>(registry_, "k" + std::to_string(i), crash_atom::value));
  auto st = stats();
  EXPECT_EQ(st.crashes, 25u);
  ASSERT_EQ(st.recent_crashes.size(), 20u);
  EXPECT_EQ(st.recent_crashes.front().rfind("k5: ", 0), 0u);
  EXPECT_EQ(st.recent_crashes.back().rfind("k24: ", 0), 0u);
}

TEST_F(keyed_registry_test, messages_routed_while_passivating_reach_the_next_incarnation) {
  EXPECT_EQ(bump("a"), 1);
  EXPECT_EQ(bump("a"), 2);
  // Let the sweep timer fire but queue the requests before anything runs: the registry asks
  // the child to passivate first, then has to hold these until the child is gone.
  sched_.advance_time(1500ms);
  auto first = self_->request(registry_, caf::infinite, route_atom::value, std::string{"a"},
                              caf::make_message(bump_atom::value));
  auto second = self_->request(registry_, caf::infinite, route_atom::value, std::string{"a"},
                               caf::make_message(bump_atom::value));
  auto third = self_->request(registry_, caf::infinite, route_atom::value, std::string{"a"},
                              caf::make_message(get_atom::value));
  run();
  EXPECT_EQ(take_reply<int64_t>(first), 1);
  EXPECT_EQ(take_reply<int64_t>(second), 2);
  EXPECT_EQ(take_reply<int64_t>(third), 2);
  auto st = stats();
  EXPECT_EQ(st.passivated, 1u);
  EXPECT_EQ(st.spawned, 2u);
  EXPECT_EQ(st.active, 1u);
  EXPECT_EQ(routed_to(st, "a"), 3u);
}

TEST_F(keyed_registry_test, stats_report_the_mailboxes_of_busy_children) {
  EXPECT_EQ(bump("quiet"), 1);
  // The stats request reaches the registry before three more bumps for "busy", so when
  // "busy" answers its stats question the three bumps are still waiting behind it.
  EXPECT_EQ(bump("busy"), 1);
  auto pending = self_->request(registry_, caf::infinite, stats_atom::value);
  for (int i = 0; i < 3; ++i)
    self_->send(registry_, route_atom::value, std::string{"busy"},
                caf::make_message(bump_atom::value));
  run();
  auto st = take_reply<registry_stats>(pending);
  ASSERT_TRUE(st) << render(st.error());
  EXPECT_EQ(st->mailbox_total, 3u);
  ASSERT_EQ(st->busiest.size(), 2u);
  EXPECT_EQ(st->busiest[0].key, "busy");
  EXPECT_EQ(st->busiest[0].mailbox, 3u);
  EXPECT_EQ(st->busiest[1].key, "quiet");
  EXPECT_EQ(st->busiest[1].mailbox, 0u);
  EXPECT_EQ(get("busy"), 4);
}

TEST_F(keyed_registry_test, busiest_lists_at_most_ten_children) {
  for (int i = 0; i < 15; ++i) EXPECT_EQ(bump("k" + std::to_string(i)), 1);
  auto st = stats();
  EXPECT_EQ(st.active, 15u);
  EXPECT_EQ(st.busiest.size(), 10u);
}

TEST_F(keyed_registry_test, stopping_the_registry_stops_its_children) {
  // A second registry whose spawn function lets the test see (and monitor) the children.
  std::vector<caf::actor> children;
  registry_options opts;
  opts.kind = "watched";
  opts.spawn_child = [&children](caf::local_actor* self, const std::string& key) {
    auto child = self->spawn(actors::probe, key);
    children.push_back(child);
    return child;
  };
  auto watched = spawn_keyed_registry(sys_, std::move(opts));
  run();
  EXPECT_EQ(route<int64_t>(watched, "x", bump_atom::value), 1);
  EXPECT_EQ(route<int64_t>(watched, "y", bump_atom::value), 1);
  ASSERT_EQ(children.size(), 2u);
  for (auto& child : children) self_->monitor(child);
  self_->monitor(watched);
  stop(watched);
  size_t downs = 0;
  for (int i = 0; i < 3; ++i)
    self_->receive(
        [&](caf::down_msg& msg) {
          EXPECT_TRUE(msg.reason);
          ++downs;
        },
        caf::after(std::chrono::seconds(0)) >> [] {});
  EXPECT_EQ(downs, 3u);
  children.clear();
  watched = nullptr;
}

TEST_F(keyed_registry_test, a_key_whose_child_crashed_is_respawned_by_respawn_child) {
  std::vector<std::string> spawned;  // "fresh:<key>" or "after_crash:<key>"
  registry_options opts;
  opts.kind = "respawning";
  opts.spawn_child = [&spawned](caf::local_actor* self, const std::string& key) {
    spawned.push_back("fresh:" + key);
    return self->spawn(actors::probe, key);
  };
  opts.respawn_child = [&spawned](caf::local_actor* self, const std::string& key) {
    spawned.push_back("after_crash:" + key);
    return self->spawn(actors::probe, key);
  };
  auto reg = spawn_keyed_registry(sys_, std::move(opts));
  run();
  EXPECT_EQ(route<int64_t>(reg, "a", bump_atom::value), 1);
  EXPECT_FALSE(route<int64_t>(reg, "a", crash_atom::value));
  EXPECT_EQ(route<int64_t>(reg, "a", bump_atom::value), 1);
  EXPECT_EQ(route<int64_t>(reg, "b", bump_atom::value), 1);
  EXPECT_EQ(spawned, (std::vector<std::string>{"fresh:a", "after_crash:a", "fresh:b"}));
  stop(reg);
  reg = nullptr;
}

}  // namespace
}  // namespace mundoctor::supervision
