#pragma once

// What a route handler sees (request_context) and how it answers (responder).

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <nlohmann/json.hpp>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/sharded_map.hpp"
#include "config/settings.hpp"
#include "http/message.hpp"

namespace mundoctor::persistence {
class data_cipher;
}

namespace mundoctor::actors::identity {
class principal_cache;
}  // namespace mundoctor::actors::identity

namespace mundoctor::http {

class http_metrics;
class authenticator;
class admission_gate;

/// Process-wide things handlers may use. Actors are looked up by name on every use, because
/// supervisors re-publish restarted actors under the same name.
struct services {
  caf::actor_system* system = nullptr;
  const config::settings* settings = nullptr;
  http_metrics* metrics = nullptr;
  std::function<bool()> migrations_applied;                         // /ready
  std::vector<std::pair<std::string, caf::atom_value>> registries;  // kind -> registry name
  std::vector<caf::atom_value> supervisors;
  std::shared_ptr<const authenticator> auth;  // verifies tokens and resolves users
  /// The user service's principal cache, read by the authenticator; a handler that changes a
  /// user's role or status forgets the user here too. May be null.
  std::shared_ptr<actors::identity::principal_cache> principals;
  /// The professional directory's id map (client id -> profile uuid); may be null.
  std::shared_ptr<const sharded_map<std::string>> professional_ids;
  /// Medical free text (every key of settings.data_key); null without a data key.
  const persistence::data_cipher* cipher = nullptr;
  /// The limit on calendar work running at once (routes with route_options::admission); null:
  /// no limit.
  std::shared_ptr<admission_gate> admission;

  /// The actor published under `name` by a supervisor, or an invalid handle.
  caf::actor lookup(caf::atom_value name) const;
  std::chrono::milliseconds request_timeout() const {
    return std::chrono::milliseconds{settings->request_timeout_ms};
  }
};

/// Answers one request exactly once, from any thread. Copies share the same state; a second
/// answer is ignored (and logged), and a responder dropped without answering sends a 500.
class responder {
 public:
  using sink = std::function<void(response)>;

  responder() = default;
  explicit responder(sink s);

  void send(response res) const;
  void ok(nlohmann::json data, const std::string& message = {}) const;
  void ok(nlohmann::json data, const std::string& message, nlohmann::json metadata) const;
  /// 200 with data (and metadata, unless empty) already serialized (json_text_response).
  void ok_text(const std::string& data_json, const std::string& metadata_json = {}) const;
  void created(nlohmann::json data, const std::string& message = {}) const;
  void no_content() const;
  void fail(const caf::error& err) const;
  void fail(errc code, const std::string& message = {}, const std::string& machine_code = {}) const;
  /// 422 with metadata.validationErrors = [{field, message, code, received}].
  void invalid(nlohmann::json validation_errors, const std::string& message = {}) const;
  bool answered() const;

 private:
  struct state;
  std::shared_ptr<state> state_;
};

struct request_context {
  const request* req = nullptr;
  const services* svc = nullptr;
  std::vector<std::pair<std::string, std::string>> params;  // path parameters
  std::string route_pattern;
  std::string request_id;
  std::optional<principal> user;  // set by authentication
  /// Reads of another person's personal or medical data, audited when the request ends:
  /// (resource type, resource id).
  std::vector<std::pair<std::string, std::string>> audited_reads;
  nlohmann::json json;  // the parsed body of JSON routes (null when empty)

  /// A path parameter by name ("id" for "/api/x/:id"); empty when absent.
  std::string param(const std::string& name) const;
  caf::actor_system& system() const { return *svc->system; }
  /// The authenticated user's id; only valid on routes with an auth rule.
  const std::string& user_id() const { return user->user_id; }
  const config::settings& settings() const { return *svc->settings; }
};

using handler_fn = std::function<void(request_context&, responder)>;

/// A per-route filter: returns true to continue, or answers through the responder and returns
/// false to stop (authentication, roles, ownership...).
using filter_fn = std::function<bool(request_context&, const responder&)>;

enum class body_kind : uint8_t { none, json };

/// Who may call a route. Without a rule a route is public.
struct auth_rule {
  /// Allowed roles ("patient", "professional", "admin", "super_admin"); "admin" also admits
  /// super_admin. Empty: any authenticated user, also one who has not chosen a role yet.
  std::vector<std::string> roles;
  /// Suspended and deleted users are refused (403) unless this is set (own profile read).
  bool allow_inactive = false;
};

struct route_options {
  std::optional<auth_rule> auth;
  std::vector<filter_fn> filters;    // run after authentication
  body_kind body = body_kind::json;  // POST/PUT/PATCH bodies must be JSON unless `none`
  /// Largest request body of this route in bytes; 0 = settings.body_limit_bytes. The server
  /// asks for it after reading the request head (see pipeline::body_limit).
  std::size_t max_body_bytes = 0;
  /// multipart/form-data routes: the largest part; a body with a bigger part is refused (413)
  /// while it arrives, before the rest is read (see pipeline::body_watch). 0 = no such check.
  std::size_t max_part_bytes = 0;
  /// A successful answer (2xx) may have changed what the public directory shows (a profile,
  /// a service, a validation decision): the pipeline then drops the directory cache.
  bool changes_directory = false;
  /// The route's requests are calendar work (booking decisions, availability) and go through
  /// the admission gate (services::admission, http/admission.hpp) after authentication.
  bool admission = false;
};

}  // namespace mundoctor::http
