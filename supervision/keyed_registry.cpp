#include "supervision/keyed_registry.hpp"

#include <exception>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <spdlog/spdlog.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"
#include "supervision/keyed_registry_state.hpp"

namespace mundoctor::supervision {
namespace {

/// Spawns and links the child for `key`; returns an empty handle when that fails.
caf::actor spawn_child_for(registry_actor* self, const std::string& key) {
  auto& st = self->state;
  caf::actor handle;
  try {
    bool after_crash = st.crashed_keys.erase(key) > 0;
    if (after_crash && st.options.respawn_child)
      handle = st.options.respawn_child(self, key);
    else if (st.options.spawn_child)
      handle = st.options.spawn_child(self, key);
  } catch (const std::exception& ex) {
    spdlog::error("registry {}: spawning {} threw: {}", st.options.kind, key, ex.what());
  }
  if (!handle) {
    spdlog::error("registry {}: cannot spawn a child for {}", st.options.kind, key);
    return handle;
  }
  self->link_to(handle);
  st.keys[handle.address()] = key;
  auto& child = st.children[key];
  child = keyed_child{};
  child.handle = handle;
  child.last_activity = self->clock().now();
  ++st.spawned;
  return handle;
}

caf::error cannot_spawn(const registry_actor* self, const std::string& key) {
  return make_error(errc::unavailable, self->state.options.kind + " " + key + " is unavailable");
}

/// Hands messages that waited during a passivation to a fresh child, in arrival order.
void replay_buffered(registry_actor* self, const std::string& key,
                     std::vector<buffered_message> buffered) {
  auto handle = spawn_child_for(self, key);
  if (!handle) {
    for (auto& msg : buffered) msg.promise.deliver(cannot_spawn(self, key));
    return;
  }
  auto& child = self->state.children[key];
  for (auto& msg : buffered) {
    ++child.routed;
    msg.promise.delegate(handle, std::move(msg.payload));
  }
}

caf::result<caf::message> route(registry_actor* self, const std::string& key,
                                caf::message payload) {
  auto& st = self->state;
  auto i = st.children.find(key);
  if (i == st.children.end()) {
    if (!spawn_child_for(self, key)) return cannot_spawn(self, key);
    i = st.children.find(key);
  }
  auto& child = i->second;
  if (child.passivating) {
    auto promise = self->make_response_promise();
    child.buffered.push_back(buffered_message{promise, std::move(payload)});
    return promise;
  }
  child.last_activity = self->clock().now();
  ++child.routed;
  return self->delegate(child.handle, std::move(payload));
}

caf::result<caf::message> inspect_child(registry_actor* self, const std::string& key) {
  auto& st = self->state;
  auto i = st.children.find(key);
  if (i == st.children.end() || i->second.passivating)
    return make_error(errc::not_found, st.options.kind + " " + key + " is not running");
  return self->delegate(i->second.handle, inspect_atom::value);
}

/// The child refused to passivate (it does not handle passivate_atom): keep it and give it the
/// messages that waited meanwhile.
void on_passivate_refused(registry_actor* self, const std::string& key, const caf::actor_addr& addr,
                          const caf::error& err) {
  auto& st = self->state;
  auto i = st.children.find(key);
  if (i == st.children.end() || i->second.handle.address() != addr)
    return;  // it exited meanwhile; the exit handler took care of it
  if (err == caf::sec::request_receiver_down) return;  // its exit message is on the way
  spdlog::warn("registry {}: {} did not passivate: {}", st.options.kind, key,
               self->system().render(err));
  auto& child = i->second;
  child.passivating = false;
  child.last_activity = self->clock().now();
  auto buffered = std::move(child.buffered);
  child.buffered.clear();
  for (auto& msg : buffered) {
    ++child.routed;
    msg.promise.delegate(child.handle, std::move(msg.payload));
  }
}

/// Asks every child idle for longer than `passivate_after` to stop.
void sweep(registry_actor* self) {
  auto& st = self->state;
  auto now = self->clock().now();
  for (auto& [key, child] : st.children) {
    if (child.passivating || now - child.last_activity < st.options.passivate_after) continue;
    child.passivating = true;
    auto addr = child.handle.address();
    self->request(child.handle, caf::infinite, passivate_atom::value)
        .then([]() { /* the child quits right after; its exit message follows */ },
              [self, key = key, addr](caf::error& err) {
                on_passivate_refused(self, key, addr, err);
              });
  }
}

void record_crash(registry_actor* self, const std::string& key, const caf::error& reason) {
  auto& st = self->state;
  ++st.crashes;
  st.crashed_keys.insert(key);
  auto text = key + ": " + self->system().render(reason);
  spdlog::warn("registry {}: child crashed: {}", st.options.kind, text);
  st.recent_crashes.push_back(std::move(text));
  while (st.recent_crashes.size() > max_recent_crashes) st.recent_crashes.pop_front();
}

/// Stops every child and the registry itself.
void shut_down(registry_actor* self, const caf::error& reason) {
  auto& st = self->state;
  for (auto& [key, child] : st.children) {
    for (auto& msg : child.buffered)
      msg.promise.deliver(make_error(errc::unavailable, st.options.kind + " is shutting down"));
    self->send_exit(child.handle, reason);
  }
  st.children.clear();
  st.keys.clear();
  self->quit(reason);
}

void on_exit_msg(registry_actor* self, caf::exit_msg& msg) {
  auto& st = self->state;
  auto k = st.keys.find(msg.source);
  if (k == st.keys.end()) {
    if (msg.reason)  // a shutdown request; normal exits of unrelated actors are ignored
      shut_down(self, msg.reason);
    return;
  }
  auto key = std::move(k->second);
  st.keys.erase(k);
  auto i = st.children.find(key);
  if (i == st.children.end() || i->second.handle.address() != msg.source) return;
  auto buffered = std::move(i->second.buffered);
  bool passivating = i->second.passivating;
  st.children.erase(i);
  if (msg.reason)
    record_crash(self, key, msg.reason);
  else if (passivating)
    ++st.passivated;
  if (!buffered.empty()) replay_buffered(self, key, std::move(buffered));
}

caf::behavior keyed_registry(registry_actor* self, registry_options options) {
  self->state.options = std::move(options);
  self->set_exit_handler([self](caf::exit_msg& msg) { on_exit_msg(self, msg); });
  auto interval = self->state.options.sweep_interval;
  if (interval.count() > 0) self->delayed_send(self, interval, tick_atom::value);
  return {
      [self](route_atom, const std::string& key, caf::message& payload) {
        return route(self, key, std::move(payload));
      },
      [self, interval](tick_atom) {
        sweep(self);
        self->delayed_send(self, interval, tick_atom::value);
      },
      [self](stats_atom) { return collect_registry_stats(self); },
      [self](inspect_atom, const std::string& key) { return inspect_child(self, key); },
  };
}

}  // namespace

caf::actor spawn_keyed_registry(caf::actor_system& sys, registry_options options) {
  return sys.spawn(keyed_registry, std::move(options));
}

}  // namespace mundoctor::supervision
