#include "actors/live/ws_hub.hpp"

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <caf/event_based_actor.hpp>

#include "actors/live/ws_protocol.hpp"

namespace mundoctor::actors {

namespace {

struct hub_state {
  std::unordered_map<std::string, std::unordered_map<uint64_t, ws_sink>> topics;
  std::unordered_map<uint64_t, std::unordered_set<std::string>> connections;
  uint64_t published = 0;
  uint64_t delivered = 0;
  uint64_t dropped = 0;

  void subscribe(uint64_t conn, const std::string& topic, ws_sink sink) {
    if (!sink) return;
    topics[topic][conn] = std::move(sink);
    connections[conn].insert(topic);
  }

  void unsubscribe(uint64_t conn, const std::string& topic) {
    if (auto it = topics.find(topic); it != topics.end()) {
      it->second.erase(conn);
      if (it->second.empty()) topics.erase(it);
    }
    if (auto it = connections.find(conn); it != connections.end()) {
      it->second.erase(topic);
      if (it->second.empty()) connections.erase(it);
    }
  }

  void drop(uint64_t conn) {
    auto it = connections.find(conn);
    if (it == connections.end()) return;
    for (const auto& topic : it->second) {
      auto t = topics.find(topic);
      if (t == topics.end()) continue;
      t->second.erase(conn);
      if (t->second.empty()) topics.erase(t);
    }
    connections.erase(it);
  }

  void publish(const std::string& topic, const std::string& json) {
    ++published;
    auto it = topics.find(topic);
    if (it == topics.end()) return;
    std::vector<uint64_t> refused;
    for (auto& [conn, sink] : it->second) {
      if (sink(json))
        ++delivered;
      else
        refused.push_back(conn);
    }
    for (auto conn : refused) drop(conn);
    dropped += refused.size();
  }

  ws_hub_stats stats() const {
    ws_hub_stats out;
    out.connections = connections.size();
    for (const auto& [topic, subscribers] : topics) out.subscriptions += subscribers.size();
    out.topics = topics.size();
    out.published = published;
    out.delivered = delivered;
    out.dropped = dropped;
    return out;
  }
};

}  // namespace

caf::behavior ws_hub(caf::event_based_actor* self) {
  auto st = std::make_shared<hub_state>();
  self->set_default_handler(caf::drop);
  return {
      [st](subscribe_atom, uint64_t conn, const std::string& topic, ws_sink& sink) {
        st->subscribe(conn, topic, std::move(sink));
      },
      [st](unsubscribe_atom, uint64_t conn, const std::string& topic) {
        st->unsubscribe(conn, topic);
      },
      [st](drop_atom, uint64_t conn) { st->drop(conn); },
      [st](publish_atom, const std::string& topic, const std::string& json) {
        st->publish(topic, json);
      },
      [st](notify_atom, const std::string& user_id, const std::string& json) {
        st->publish(user_topic(user_id), json);
      },
      [st](stats_atom) { return st->stats(); },
  };
}

}  // namespace mundoctor::actors
