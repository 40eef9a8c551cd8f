#include "actors/live/live_connection.hpp"

#include <memory>
#include <unordered_set>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/live/ws_protocol.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/names.hpp"

namespace mundoctor::actors {

namespace {

constexpr std::size_t max_professional_ref = 128;
constexpr const char* calendar_prefix = "calendar:";

struct connection_state {
  live_peer peer;
  token_verifier verify;
  live_options options;
  caf::actor hub;
  std::optional<std::string> user;
  std::unordered_set<std::string> topics;  // hub topics ("calendar:<profile uuid>")
  bool closed = false;
};

using state_ptr = std::shared_ptr<connection_state>;

void reply(const connection_state& st, const nlohmann::json& msg) { st.peer.send(msg.dump()); }

void send_error(const connection_state& st, const std::string& message,
                const std::string& topic = {}) {
  nlohmann::json msg{{"type", "error"}, {"message", message}};
  if (!topic.empty()) msg["topic"] = topic;
  reply(st, msg);
}

std::string string_field(const nlohmann::json& msg, const char* name) {
  if (!msg.is_object()) return {};
  auto it = msg.find(name);
  return it != msg.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

/// The professional named by "calendar:<id>"; nullopt for any other topic.
std::optional<std::string> calendar_ref(const std::string& topic) {
  std::string prefix{calendar_prefix};
  if (topic.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  auto id = topic.substr(prefix.size());
  if (id.empty() || id.size() > max_professional_ref) return std::nullopt;
  return id;
}

// The connection is over: the hub forgets it and the actor stops.
void leave(caf::event_based_actor* self, const state_ptr& st) {
  if (st->hub) self->send(st->hub, drop_atom::value, st->peer.id);
  st->closed = true;
  self->quit();
}

void reject(caf::event_based_actor* self, const state_ptr& st, const std::string& reason) {
  st->peer.close(close_code::unauthorized, reason);
  leave(self, st);
}

void accept(caf::event_based_actor* self, const state_ptr& st, const std::string& user,
            bool announce) {
  st->user = user;
  self->send(st->hub, subscribe_atom::value, st->peer.id, user_topic(user), ws_sink{st->peer.send});
  if (announce) reply(*st, {{"type", "authenticated"}, {"userId", user}});
}

// A valid token is not enough: a suspended or deleted account is refused here as on HTTP.
// `await` holds the client's next messages until the account is known.
void authenticate(caf::event_based_actor* self, const state_ptr& st, const std::string& token,
                  bool announce) {
  auto subject = token.empty() || !st->verify ? std::nullopt : st->verify(token);
  if (!subject) return reject(self, st, "Invalid or expired token");
  auto users = caf::actor_cast<caf::actor>(self->system().registry().get(names::users));
  if (!users) return accept(self, st, *subject, announce);  // no account service: token only
  self->request(users, st->options.resolve_timeout, resolve_atom::value, *subject)
      .await(
          [self, st, user = *subject, announce](const principal& p) {
            if (p.status == "suspended" || p.status == "deleted")
              return reject(self, st,
                            p.status == "deleted" ? "This account has been deleted"
                                                  : "This account is suspended");
            accept(self, st, user, announce);
          },
          [self, st](const caf::error&) {
            st->peer.close(close_code::try_again_later, "The account could not be checked now");
            leave(self, st);
          });
}

void apply_topic(caf::event_based_actor* self, const state_ptr& st, const std::string& topic,
                 const std::string& hub_topic, bool subscribe) {
  if (!subscribe) {
    if (st->topics.erase(hub_topic) > 0)
      self->send(st->hub, unsubscribe_atom::value, st->peer.id, hub_topic);
    return reply(*st, {{"type", "unsubscribed"}, {"topic", topic}});
  }
  if (st->topics.count(hub_topic) == 0) {
    if (st->topics.size() >= st->options.max_topics)
      return send_error(*st, "Too many subscriptions on this connection", topic);
    st->topics.insert(hub_topic);
    // Sent before the confirmation: the hub has the subscription before the client can act.
    self->send(st->hub, subscribe_atom::value, st->peer.id, hub_topic, ws_sink{st->peer.send});
  }
  reply(*st, {{"type", "subscribed"}, {"topic", topic}});
}

// (un)subscribe: the professional id is resolved to the profile uuid that keys the events.
// `await` keeps the client's messages in order while the directory answers.
void on_topic(caf::event_based_actor* self, const state_ptr& st, const nlohmann::json& msg,
              bool subscribe) {
  auto topic = string_field(msg, "topic");
  if (topic.empty()) return send_error(*st, "A topic is required");
  auto ref = calendar_ref(topic);
  if (!ref) return send_error(*st, "Unknown topic", topic);
  auto directory = caf::actor_cast<caf::actor>(self->system().registry().get(names::professionals));
  if (!directory) return send_error(*st, "Live updates are unavailable right now", topic);
  self->request(directory, st->options.resolve_timeout, resolve_pro_atom::value, *ref)
      .await(
          [self, st, topic, subscribe](const std::string& uuid) {
            apply_topic(self, st, topic, calendar_prefix + uuid, subscribe);
          },
          [st, topic](const caf::error& err) {
            bool unknown = inspect_error(err).code == errc::not_found;
            send_error(*st,
                       unknown ? "Unknown professional"
                               : "The professional could not be "
                                 "looked up now",
                       topic);
          });
}

void on_text(caf::event_based_actor* self, const state_ptr& st, const std::string& text) {
  auto msg = nlohmann::json::parse(text, nullptr, false);
  auto type = string_field(msg, "type");
  if (!st->user) {
    if (type != "auth") return reject(self, st, "Authentication required");
    return authenticate(self, st, string_field(msg, "token"), true);
  }
  if (msg.is_discarded() || !msg.is_object()) return send_error(*st, "Malformed JSON");
  if (type == "ping") return reply(*st, {{"type", "pong"}});
  if (type == "subscribe" || type == "unsubscribe")
    return on_topic(self, st, msg, type == "subscribe");
  if (type == "auth") return send_error(*st, "Already authenticated");
  send_error(*st, type.empty() ? "A message type is required" : "Unknown message type");
}

// The hub holds the subscriptions: when it stops, so does the connection.
void watch_hub(caf::event_based_actor* self, const state_ptr& st) {
  self->monitor(st->hub);
  self->set_down_handler([self, st](caf::down_msg& dm) {
    if (dm.source != st->hub.address()) return;
    if (dm.reason == caf::make_error(caf::exit_reason::user_shutdown))
      st->peer.close(close_code::going_away, "Server shutting down");
    else
      st->peer.close(close_code::service_restart, "Live updates restarting");
    st->hub = nullptr;
    self->quit();
  });
}

}  // namespace

caf::behavior live_connection(caf::event_based_actor* self, live_peer peer, token_verifier verify,
                              std::string query_token, live_options options) {
  auto st = std::make_shared<connection_state>();
  st->peer = std::move(peer);
  st->verify = std::move(verify);
  st->options = options;
  st->hub = caf::actor_cast<caf::actor>(self->system().registry().get(names::ws_hub));
  if (!st->hub) {
    st->peer.close(close_code::try_again_later, "Live updates are unavailable right now");
    self->quit();
    return {};
  }
  watch_hub(self, st);
  if (!query_token.empty()) {
    authenticate(self, st, query_token, false);
    if (st->closed) return {};
  } else {
    self->delayed_send(self, options.auth_timeout, auth_timeout_atom::value);
  }
  return {
      [self, st](ws_text_atom, const std::string& text) { on_text(self, st, text); },
      [self, st](auth_timeout_atom) {
        if (!st->user) reject(self, st, "Authentication timed out");
      },
      [self, st](drop_atom) { leave(self, st); },
  };
}

}  // namespace mundoctor::actors
