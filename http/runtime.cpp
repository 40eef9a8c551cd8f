#include "http/runtime.hpp"

#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/calendar/appointment_reader.hpp"
#include "actors/calendar/calendar_actor.hpp"
#include "actors/calendar/professional_directory.hpp"
#include "actors/identity/audit_actor.hpp"
#include "actors/identity/clerk_client.hpp"
#include "actors/identity/jwks.hpp"
#include "actors/identity/user_service.hpp"
#include "actors/live/live_connection.hpp"
#include "actors/live/ws_hub.hpp"
#include "actors/live/ws_protocol.hpp"
#include "actors/probe/probe_actor.hpp"
#include "actors/protocol/atoms.hpp"
#include "actors/protocol/introspection.hpp"
#include "actors/protocol/names.hpp"
#include "config/config.hpp"
#include "http/admission.hpp"
#include "http/auth/authenticator.hpp"
#include "http/metrics.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/routes/routes.hpp"
#include "http/server.hpp"
#include "persistence/crypto/data_cipher.hpp"
#include "persistence/db_pool.hpp"
#include "persistence/migration.hpp"
#include "persistence/redis_client.hpp"
#include "supervision/keyed_registry.hpp"
#include "supervision/supervisor.hpp"

namespace mundoctor::http {

using namespace std::chrono_literals;

namespace {

// CAF 0.17 keeps a reference to the system's logger in a thread-local of every thread that
// spawns an actor, and ~actor_system waits until that logger is destroyed. A thread outside
// the actor system (the one calling start(), an I/O thread) that spawned would therefore make
// the system's destruction on any other thread wait forever; it drops the reference here.
void release_logger_reference() { caf::logger::set_current_actor_system(nullptr); }

caf::actor_system_config& configure(caf::actor_system_config& cfg, const config::settings& s) {
  auto threads = s.actor_threads ? s.actor_threads : config::cpu_cores();
  cfg.set("scheduler.max-threads", threads);
  return cfg;
}

// GET /ws: one live_connection actor per WebSocket, speaking the protocol of API.md.
websocket_handler live_updates(caf::actor_system& sys, std::shared_ptr<const authenticator> auth) {
  return [&sys, auth](const request& req, std::weak_ptr<websocket_connection> weak) {
    actors::live_peer peer;
    if (auto conn = weak.lock()) peer.id = conn->id();
    peer.send = [weak](std::string text) {
      auto conn = weak.lock();
      return conn && conn->send(std::move(text));
    };
    peer.close = [weak](uint16_t code, std::string reason) {
      if (auto conn = weak.lock()) conn->close(code, std::move(reason));
    };
    actors::token_verifier verify = [auth](const std::string& token) {
      auto result = auth->verify(token);
      return result.ok() ? std::optional<std::string>{result.token.sub} : std::nullopt;
    };
    auto actor = sys.spawn(actors::live_connection, std::move(peer), std::move(verify),
                           req.query_param("token").value_or(""), actors::live_options{});
    release_logger_reference();
    return websocket_events{
        [actor](std::string text) { caf::anon_send(actor, ws_text_atom::value, std::move(text)); },
        [actor] { caf::anon_send(actor, drop_atom::value); }};
  };
}

}  // namespace

struct runtime::impl {
  config::settings settings;
  std::function<void(router&)> extra_routes;
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> system;
  caf::actor root;
  http_metrics metrics;
  services svc;
  std::shared_ptr<router> routes = std::make_shared<router>();
  std::shared_ptr<actors::identity::key_store> key_store;
  // Written by the user service, read by the authenticator on the I/O threads.
  std::shared_ptr<actors::identity::principal_cache> principals =
      std::make_shared<actors::identity::principal_cache>(actors::identity::max_cached_principals);
  // Written by the professional directory, read by the calendar routes.
  std::shared_ptr<actors::professional_ids> professional_ids =
      std::make_shared<actors::professional_ids>(actors::max_cached_professional_ids);
  std::optional<persistence::data_cipher> cipher;  // medical free text; none without data_key
  std::unique_ptr<pipeline> pipe;
  std::unique_ptr<server> http;
  std::atomic<bool> migrated{false};
  std::atomic<bool> stopping{false};
  std::thread migrator;
  std::mutex mutex;
  std::condition_variable wake;
  bool started = false;

  std::vector<supervision::child_spec> children();
  void migrate_until_done(std::vector<persistence::migration> plan);
  bool try_migrate(const std::vector<persistence::migration>& plan, bool first);
};

std::vector<supervision::child_spec> runtime::impl::children() {
  std::vector<supervision::child_spec> out;
  const auto& s = settings;
  out.push_back({"db_pool", names::db_pool,
                 [&s](caf::actor_system& sys) { return persistence::spawn_db_pool(sys, s); }});
  out.push_back({"db_read_pool", names::db_read_pool,
                 [&s](caf::actor_system& sys) { return persistence::spawn_db_read_pool(sys, s); }});
  out.push_back({"db_log_pool", names::db_log_pool,
                 [&s](caf::actor_system& sys) { return persistence::spawn_db_log_pool(sys, s); }});
  if (!s.redis_url.empty())
    out.push_back({"redis", names::redis, [&s](caf::actor_system& sys) {
                     return persistence::spawn_redis_client(sys, s.redis_url);
                   }});
  out.push_back({"audit", names::audit, [&s](caf::actor_system& sys) {
                   return sys.spawn(actors::identity::audit_writer,
                                    std::chrono::milliseconds{s.audit_flush_ms},
                                    names::db_log_pool);
                 }});
  out.push_back({"users", names::users, [&s, cache = principals](caf::actor_system& sys) {
                   return sys.spawn(actors::identity::user_service, &s, cache);
                 }});
  if (!s.clerk_api_url.empty() && !s.clerk_secret_key.empty())
    out.push_back({"clerk", names::clerk, [&s](caf::actor_system& sys) {
                     return actors::identity::spawn_clerk_client(sys, s);
                   }});
  if (!s.auth_jwks_url.empty())
    out.push_back({"jwks", names::jwks, [&s, store = key_store](caf::actor_system& sys) {
                     return actors::identity::spawn_jwks_fetcher(
                         sys, s.auth_jwks_url, store, std::chrono::seconds{s.jwks_min_refresh_s});
                   }});
  out.push_back(
      {"ws_hub", names::ws_hub, [](caf::actor_system& sys) { return sys.spawn(actors::ws_hub); }});
  actors::calendar_context cal{&s, cipher ? &*cipher : nullptr};
  out.push_back({"professionals", names::professionals, [&s, ids = professional_ids](auto& sys) {
                   return sys.spawn(actors::professional_directory, &s, ids);
                 }});
  out.push_back({"appointments", names::appointments, [cal](caf::actor_system& sys) {
                   return sys.spawn(actors::appointment_reader, cal);
                 }});
  supervision::registry_options calendars;
  calendars.kind = "calendar";
  calendars.passivate_after = std::chrono::seconds{s.passivate_after_s};
  calendars.spawn_child = [cal](caf::local_actor* parent, const std::string& key) {
    return parent->spawn(actors::calendar_actor, key, cal);
  };
  calendars.respawn_child = [cal](caf::local_actor* parent, const std::string& key) {
    auto after_crash = cal;
    after_crash.after_crash = true;
    return parent->spawn(actors::calendar_actor, key, after_crash);
  };
  out.push_back({"calendar_registry", names::calendars, [calendars](caf::actor_system& sys) {
                   return supervision::spawn_keyed_registry(sys, calendars);
                 }});
  supervision::registry_options probes;
  probes.kind = "probe";
  probes.passivate_after = std::chrono::seconds{s.passivate_after_s};
  probes.spawn_child = [](caf::local_actor* parent, const std::string& key) {
    return parent->spawn(actors::probe, key);
  };
  out.push_back({"probe_registry", names::probe_registry, [probes](caf::actor_system& sys) {
                   return supervision::spawn_keyed_registry(sys, probes);
                 }});
  return out;
}

// One attempt; true when the schema is current. A changed or failing migration throws.
bool runtime::impl::try_migrate(const std::vector<persistence::migration>& plan, bool first) {
  try {
    auto url = settings.database_url;
    pqxx::connection conn{url};
    if (settings.auto_migrate) {
      auto report = persistence::apply_migrations(conn, plan);
      spdlog::info("migrations: {} applied, {} already applied, schema version {}", report.applied,
                   report.already_applied, report.latest_version);
      return true;
    }
    if (persistence::migrations_current(conn, plan)) return true;
    if (first) spdlog::warn("the database schema is not current and auto_migrate is off");
    return false;
  } catch (const pqxx::broken_connection&) {
    if (first) spdlog::warn("the database is not reachable; /ready stays 503 until it is");
    return false;
  }
}

void runtime::impl::migrate_until_done(std::vector<persistence::migration> plan) {
  std::unique_lock<std::mutex> lock{mutex};
  while (!stopping) {
    lock.unlock();
    bool done = false;
    try {
      done = try_migrate(plan, false);
    } catch (const std::exception& e) {
      spdlog::critical("migrations failed: {}", e.what());
    }
    lock.lock();
    if (done) {
      migrated = true;
      return;
    }
    wake.wait_for(lock, 2s, [this] { return stopping.load(); });
  }
}

runtime::runtime(config::settings settings, std::function<void(router&)> extra_routes)
    : impl_(std::make_unique<impl>()) {
  impl_->settings = std::move(settings);
  impl_->extra_routes = std::move(extra_routes);
}

runtime::~runtime() { stop(); }

bool runtime::migrations_applied() const { return impl_->migrated; }

caf::actor_system& runtime::system() { return *impl_->system; }

std::vector<uint16_t> runtime::start() {
  auto& d = *impl_;
  auto plan = persistence::plan_migrations(persistence::embedded_migrations());
  if (!d.settings.data_key.empty())
    if (auto ring = persistence::data_keyring::parse(d.settings.data_key))
      d.cipher = ring->cipher();
  if (!d.settings.auth_jwks_url.empty())
    d.key_store = std::make_shared<actors::identity::key_store>();
  d.svc.auth = std::make_shared<authenticator>(d.settings, d.key_store);
  d.svc.principals = d.principals;
  d.svc.professional_ids = d.professional_ids;
  d.system = std::make_unique<caf::actor_system>(configure(d.cfg, d.settings));
  d.started = true;
  supervision::restart_policy policy;
  policy.max_restarts = d.settings.supervisor_max_restarts;
  policy.window = std::chrono::seconds{d.settings.supervisor_window_s};
  policy.backoff = std::chrono::milliseconds{d.settings.supervisor_backoff_ms};
  policy.backoff_max = std::chrono::milliseconds{d.settings.supervisor_backoff_max_ms};
  d.root = supervision::spawn_supervisor(*d.system, "root", policy, d.children());
  d.system->registry().put(names::root_supervisor, caf::actor_cast<caf::strong_actor_ptr>(d.root));
  // The supervisor starts and publishes its children before it handles any message: once it
  // answers, every service can be looked up by name, so the first request finds them.
  {
    caf::scoped_actor self{*d.system};
    self->request(d.root, std::chrono::seconds{10}, stats_atom::value)
        .receive([](supervisor_stats&) {}, [](caf::error&) {});
  }
  // A changed migration stops the start here; an unreachable database does not.
  if (d.try_migrate(plan, true))
    d.migrated = true;
  else
    d.migrator = std::thread([&d, plan] { d.migrate_until_done(plan); });
  d.svc.system = d.system.get();
  d.svc.settings = &d.settings;
  d.svc.cipher = d.cipher ? &*d.cipher : nullptr;
  d.svc.metrics = &d.metrics;
  d.svc.admission = std::make_shared<admission_gate>(
      d.settings.calendar_max_active ? d.settings.calendar_max_active : 16 * config::cpu_cores(),
      std::chrono::milliseconds{d.settings.request_timeout_ms});
  d.svc.migrations_applied = [&d] { return d.migrated.load(); };
  d.svc.registries = {{"calendar", names::calendars}, {"probe", names::probe_registry}};
  d.svc.supervisors = {names::root_supervisor};
  register_system_routes(*d.routes);
  register_ops_routes(*d.routes);
  register_ops_page(*d.routes);
  register_user_routes(*d.routes);
  register_webhook_routes(*d.routes);
  register_appointment_routes(*d.routes);
  register_appointment_list_routes(*d.routes);
  register_service_routes(*d.routes);
  register_validation_routes(*d.routes);
  register_professional_routes(*d.routes);
  register_search_routes(*d.routes);
  register_schedule_routes(*d.routes);
  register_patient_routes(*d.routes);
  register_medical_record_routes(*d.routes);
  register_upload_routes(*d.routes);
  if (d.extra_routes) d.extra_routes(*d.routes);
  d.pipe = std::make_unique<pipeline>(d.svc, d.routes);
  d.http = std::make_unique<server>(
      d.settings, [p = d.pipe.get()](request req, auto done) { p->handle(std::move(req), done); },
      &d.metrics);
  d.http->set_websocket_handler(live_updates(*d.system, d.svc.auth));
  d.http->set_body_limit(
      [p = d.pipe.get()](verb v, std::string_view target) { return p->body_limit(v, target); });
  d.http->set_body_watch(
      [p = d.pipe.get()](verb v, std::string_view target, std::string_view type) {
        return p->body_watch(v, target, type);
      });
  auto ports = d.http->start();
  release_logger_reference();
  spdlog::info("listening on {} address(es)", ports.size());
  return ports;
}

bool runtime::stop() {
  auto& d = *impl_;
  if (!d.started) return true;
  d.started = false;
  bool drained = true;
  if (d.http) {
    d.http->stop_accepting();
    drained = d.http->drain(std::chrono::milliseconds{d.settings.shutdown_grace_ms});
    if (!drained)
      spdlog::warn("{} request(s) still in flight at the shutdown deadline", d.http->in_flight());
  }
  // Requests still waiting for a place are answered 503 while the I/O threads can write it,
  // and never start once the actors and handlers go.
  if (d.svc.admission) d.svc.admission->close();
  {
    std::lock_guard<std::mutex> guard{d.mutex};
    d.stopping = true;
    d.wake.notify_all();
  }
  if (d.migrator.joinable()) d.migrator.join();
  // Actors first (their answers may still post onto the I/O threads), then the I/O threads.
  d.system->registry().erase(names::root_supervisor);
  caf::anon_send_exit(d.root, caf::exit_reason::user_shutdown);
  d.root = nullptr;
  d.system->await_all_actors_done();
  if (d.http) d.http->stop();
  d.http.reset();
  d.pipe.reset();
  d.system.reset();
  return drained;
}

}  // namespace mundoctor::http
