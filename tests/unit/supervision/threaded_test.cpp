// The registry and the supervisor on CAF's real scheduler (2 worker threads): concurrent
// routing, and a clean shutdown that lets the actor system be destroyed. A hang here is caught
// by the test timeout.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/exit_reason.hpp>
#include <caf/local_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <gtest/gtest.h>

#include "actors/probe/probe_actor.hpp"
#include "actors/protocol/atoms.hpp"
#include "actors/protocol/introspection.hpp"
#include "supervision/keyed_registry.hpp"
#include "supervision/supervisor.hpp"

namespace mundoctor::supervision {
namespace {

using namespace std::chrono_literals;
using actors::bump_atom;
using actors::get_atom;

constexpr auto reply_timeout = std::chrono::seconds(10);
const auto probes_name = caf::atom("probes");
const auto inner_name = caf::atom("inner");
const auto leaf_name = caf::atom("leaf");

caf::actor_system_config& threaded(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", 2);
  cfg.set("logger.file-verbosity", caf::atom("quiet"));
  return cfg;
}

registry_options probe_registry() {
  registry_options opts;
  opts.kind = "probe";
  opts.spawn_child = [](caf::local_actor* self, const std::string& key) {
    return self->spawn(actors::probe, key);
  };
  return opts;
}

/// root -> [probes registry, inner supervisor -> [leaf probe]]
std::vector<child_spec> tree() {
  auto inner = [](caf::actor_system& sys) {
    return spawn_supervisor(sys, "inner", {},
                            {child_spec{"leaf", leaf_name, [](caf::actor_system& s) {
                                          return s.spawn(actors::probe, std::string{"leaf"});
                                        }}});
  };
  return {
      child_spec{
          "probes", probes_name,
          [](caf::actor_system& sys) { return spawn_keyed_registry(sys, probe_registry()); }},
      child_spec{"inner", inner_name, inner},
  };
}

TEST(supervision_threaded, routes_concurrent_messages_to_one_child_per_key) {
  caf::actor_system_config cfg;
  caf::actor_system sys{threaded(cfg)};
  auto registry = spawn_keyed_registry(sys, probe_registry());
  caf::scoped_actor self{sys};
  constexpr int keys = 8;
  constexpr int bumps_per_key = 50;
  for (int round = 0; round < bumps_per_key; ++round)
    for (int k = 0; k < keys; ++k)
      self->send(registry, route_atom::value, "k" + std::to_string(k),
                 caf::make_message(bump_atom::value));
  for (int k = 0; k < keys; ++k) {
    int64_t value = -1;
    self->request(registry, reply_timeout, route_atom::value, "k" + std::to_string(k),
                  caf::make_message(get_atom::value))
        .receive([&](int64_t v) { value = v; },
                 [&](caf::error& err) { ADD_FAILURE() << sys.render(err); });
    EXPECT_EQ(value, bumps_per_key) << "k" << k;
  }
  self->request(registry, reply_timeout, stats_atom::value)
      .receive(
          [&](registry_stats& st) {
            EXPECT_EQ(st.active, static_cast<uint64_t>(keys));
            EXPECT_EQ(st.spawned, static_cast<uint64_t>(keys));
            EXPECT_EQ(st.busiest.size(), static_cast<size_t>(keys));
          },
          [&](caf::error& err) { ADD_FAILURE() << sys.render(err); });
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  registry = nullptr;
}

TEST(supervision_threaded, a_supervision_tree_shuts_down_and_the_system_can_be_destroyed) {
  caf::actor_system_config cfg;
  {
    caf::actor_system sys{threaded(cfg)};
    caf::error root_reason;
    {
      caf::scoped_actor self{sys};
      auto root = spawn_supervisor(sys, "root", {}, tree());
      self->monitor(root);
      // The tree starts asynchronously: ask the root for its stats until both children run.
      auto probes = caf::actor_cast<caf::actor>(sys.registry().get(probes_name));
      for (int attempt = 0; attempt < 100 && !probes; ++attempt) {
        self->request(root, reply_timeout, stats_atom::value)
            .receive([](supervisor_stats&) {}, [](caf::error&) {});
        probes = caf::actor_cast<caf::actor>(sys.registry().get(probes_name));
      }
      ASSERT_TRUE(probes);
      self->request(probes, reply_timeout, route_atom::value, std::string{"a"},
                    caf::make_message(bump_atom::value))
          .receive([](int64_t v) { EXPECT_EQ(v, 1); },
                   [&](caf::error& err) { ADD_FAILURE() << sys.render(err); });
      probes = nullptr;
      caf::anon_send_exit(root, caf::exit_reason::user_shutdown);
      root = nullptr;
      self->receive([&](caf::down_msg& msg) { root_reason = msg.reason; },
                    caf::after(reply_timeout) >> [] { ADD_FAILURE() << "root did not stop"; });
    }
    sys.await_all_actors_done();
    EXPECT_EQ(root_reason, caf::exit_reason::user_shutdown);
    EXPECT_FALSE(sys.registry().get(probes_name));
    EXPECT_FALSE(sys.registry().get(inner_name));
    EXPECT_FALSE(sys.registry().get(leaf_name));
  }
  SUCCEED() << "the actor system was destroyed";
}

}  // namespace
}  // namespace mundoctor::supervision
