#include "actors/identity/user_service.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <unordered_map>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/response_promise.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/identity/profile_rules.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/names.hpp"
#include "persistence/db_pool.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::actors::identity {

namespace {

using clock_type = std::chrono::steady_clock;
using nlohmann::json;
namespace repo = persistence;

struct service_state {
  const config::settings* settings = nullptr;
  std::shared_ptr<principal_cache> cache;  // shared with the HTTP threads, which only read it
  uint64_t epoch = 0;  // bumped by every invalidation; stale lookups are not cached

  std::chrono::seconds ttl() const { return std::chrono::seconds{settings->user_cache_ttl_s}; }

  void remember(const principal& who) {
    if (ttl().count() == 0) return;
    cache->remember(who, clock_type::now() + ttl());
  }

  void invalidate(const std::string& id) {
    ++epoch;
    cache->forget(id);
  }
};

using state_ptr = std::shared_ptr<service_state>;
using job_body = std::function<caf::message(pqxx::connection_base&)>;

// Domain errors become error replies; anything else is mapped by the pool.
repo::db_job job(std::string name, job_body body) {
  return {std::move(name), [body = std::move(body)](pqxx::connection_base& conn) {
            try {
              return body(conn);
            } catch (const repo::domain_error& e) {
              return caf::make_message(e.to_error());
            }
          }};
}

// Runs a job through the pool and delivers its single value of type T (after `then`).
template <class T>
caf::result<T> run(caf::event_based_actor* self, const state_ptr& st, repo::db_job j,
                   std::function<void(const T&)> then = {}) {
  auto pool = caf::actor_cast<caf::actor>(self->system().registry().get(names::db_pool));
  if (!pool) return make_error(errc::storage_unavailable, "the database is unavailable");
  auto rp = self->make_response_promise<T>();
  auto timeout = std::chrono::milliseconds{st->settings->request_timeout_ms};
  self->request(pool, timeout, db_run_atom::value, std::move(j))
      .then(
          [rp, then](T& value) mutable {
            if (then) then(value);
            rp.deliver(std::move(value));
          },
          [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::message profile_or_not_found(pqxx::connection_base& conn, const std::string& id) {
  if (auto profile = repo::get_profile_json(conn, id)) return caf::make_message(*profile);
  return caf::make_message(make_error(errc::not_found, "user not found"));
}

std::optional<json> parse_body(const std::string& text) {
  auto body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return std::nullopt;
  return body;
}

caf::error malformed_json() { return make_error(errc::bad_request, "malformed JSON body"); }

// public_metadata {role, verified, verificationStatus} and unsafe_metadata {role} to Clerk.
void write_back_role(caf::event_based_actor* self, const std::string& id,
                     const std::string& profile_json) {
  auto clerk = caf::actor_cast<caf::actor>(self->system().registry().get(names::clerk));
  if (!clerk) return;
  auto profile = json::parse(profile_json, nullptr, false);
  if (!profile.is_object()) return;
  auto role = profile.value("role", json(nullptr));
  std::string status = "not_required";
  if (auto pro = profile.find("professional"); pro != profile.end() && pro->is_object())
    status = pro->value("verification_status", std::string{"not_submitted"});
  json pub{{"role", role},
           {"verified", profile.value("verified", false)},
           {"verificationStatus", status}};
  self->send(clerk, clerk_metadata_atom::value, id, pub.dump(), json{{"role", role}}.dump());
}

caf::result<std::string> put_profile(caf::event_based_actor* self, const state_ptr& st,
                                     const std::string& id, const std::string& text) {
  auto body = parse_body(text);
  if (!body) return malformed_json();
  auto update = parse_profile_update(*body);
  if (!update.ok()) return validation_failure(update.errors);
  auto j = job("users.update_profile", [id, u = std::move(update.value)](auto& conn) {
    repo::update_profile(conn, id, u);
    return profile_or_not_found(conn, id);
  });
  return run<std::string>(self, st, std::move(j),
                          [st, id](const std::string&) { st->invalidate(id); });
}

caf::result<std::string> select_role(caf::event_based_actor* self, const state_ptr& st,
                                     const std::string& id, const std::string& role) {
  if (auto errors = check_selectable_role(role); !errors.empty()) return validation_failure(errors);
  auto j = job("users.select_role", [id, role](auto& conn) {
    repo::select_role(conn, id, role);
    return profile_or_not_found(conn, id);
  });
  return run<std::string>(self, st, std::move(j), [self, st, id](const std::string& profile) {
    st->invalidate(id);
    write_back_role(self, id, profile);
  });
}

caf::result<std::string> put_preferences(caf::event_based_actor* self, const state_ptr& st,
                                         const std::string& id, const std::string& text) {
  auto body = parse_body(text);
  if (!body) return malformed_json();
  auto update = parse_preferences(*body);
  if (!update.ok()) return validation_failure(update.errors);
  return run<std::string>(
      self, st, job("users.put_preferences", [id, u = std::move(update.value)](auto& conn) {
        return caf::make_message(repo::put_preferences_json(conn, id, u));
      }));
}

caf::result<std::string> dashboard(caf::event_based_actor* self, const state_ptr& st,
                                   const std::string& id, const std::string& which, int64_t limit) {
  job_body body;
  if (which == "stats")
    body = [id](auto& conn) { return caf::make_message(repo::dashboard_stats_json(conn, id)); };
  else if (which == "appointments")
    body = [id, limit](auto& conn) {
      return caf::make_message(repo::dashboard_appointments_json(conn, id, limit));
    };
  else if (which == "reviews")
    body = [id, limit](auto& conn) {
      return caf::make_message(repo::dashboard_reviews_json(conn, id, limit));
    };
  else
    return make_error(errc::invalid_argument, "unknown dashboard section");
  return run<std::string>(self, st, job("users.dashboard_" + which, std::move(body)));
}

caf::result<bool> clerk_event(caf::event_based_actor* self, const state_ptr& st,
                              const std::string& svix_id, const std::string& payload) {
  auto event = parse_clerk_event(payload);
  if (!event) return make_error(errc::bad_request, "the event is not a JSON object");
  if (svix_id.empty()) return make_error(errc::bad_request, "the event has no svix id");
  auto user_id = event->user.id;
  auto j = job("users.clerk_event", [svix_id, e = std::move(*event)](auto& conn) {
    return caf::make_message(repo::apply_clerk_event(conn, svix_id, e));
  });
  return run<bool>(self, st, std::move(j), [st, user_id](const bool&) {
    if (!user_id.empty()) st->invalidate(user_id);
  });
}

}  // namespace

caf::behavior user_service(caf::event_based_actor* self, const config::settings* settings,
                           std::shared_ptr<principal_cache> cache) {
  auto st = std::make_shared<service_state>();
  st->settings = settings;
  st->cache = cache ? std::move(cache) : std::make_shared<principal_cache>(max_cached_principals);
  // A restarted service may have lost invalidations that were still in its predecessor's
  // mailbox: it starts from an empty cache.
  st->cache->clear();
  return {
      [self, st](resolve_atom, const std::string& id) -> caf::result<principal> {
        if (auto hit = st->cache->find(id)) return *hit;
        auto epoch = st->epoch;
        auto j = job("users.provision", [id](auto& conn) {
          return caf::make_message(repo::provision_user(conn, id));
        });
        return run<principal>(self, st, std::move(j), [st, epoch](const principal& who) {
          if (st->epoch == epoch) st->remember(who);
        });
      },
      [self, st](get_atom, profile_atom, const std::string& id) {
        return run<std::string>(self, st, job("users.get_profile", [id](auto& conn) {
                                  return profile_or_not_found(conn, id);
                                }));
      },
      [self, st](put_atom, profile_atom, const std::string& id, const std::string& body) {
        return put_profile(self, st, id, body);
      },
      [self, st](select_role_atom, const std::string& id, const std::string& role) {
        return select_role(self, st, id, role);
      },
      [self, st](get_atom, prefs_atom, const std::string& id) {
        return run<std::string>(self, st, job("users.get_preferences", [id](auto& conn) {
                                  return caf::make_message(repo::get_preferences_json(conn, id));
                                }));
      },
      [self, st](put_atom, prefs_atom, const std::string& id, const std::string& body) {
        return put_preferences(self, st, id, body);
      },
      [self, st](dashboard_atom, const std::string& id, const std::string& which, int64_t limit) {
        return dashboard(self, st, id, which, limit);
      },
      [self, st](dashboard_atom, const std::string& id, const std::string& which, int32_t limit) {
        return dashboard(self, st, id, which, limit);
      },
      [self, st](clerk_event_atom, const std::string& svix_id, const std::string& payload) {
        return clerk_event(self, st, svix_id, payload);
      },
      [st](invalidate_atom, const std::string& id) { st->invalidate(id); },
  };
}

}  // namespace mundoctor::actors::identity
