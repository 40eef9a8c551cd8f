#pragma once

// A migrated scratch database, an actor system with two scheduler threads, the real DB pool
// published under names::db_pool and a user service; plus a direct connection for checks.

#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/identity/user_service.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/names.hpp"
#include "persistence/db_pool.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

constexpr auto ask_timeout = std::chrono::seconds{30};

/// A reply or the error; `code()` is the mundoctor error code.
template <class T>
struct reply {
  std::optional<T> value;
  caf::error error;
  errc code() const { return inspect_error(error).code; }
  nlohmann::json details() const { return nlohmann::json::parse(inspect_error(error).details); }
  nlohmann::json json() const { return nlohmann::json::parse(*value); }
};

class identity_fixture : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_DATABASE();
    db_.emplace(migrated_database());
    settings_ = test_settings(db_->url());
    cfg_.set("scheduler.max-threads", 2);
    sys_.emplace(cfg_);
    pool_ = persistence::spawn_db_pool(*sys_, settings_);
    sys_->registry().put(names::db_pool, pool_);
    users_ = sys_->spawn(actors::identity::user_service, &settings_,
                         std::shared_ptr<actors::identity::principal_cache>{});
    conn_.emplace(db_->url());
  }

  void TearDown() override {
    if (!sys_) return;
    sys_->registry().erase(names::db_pool);
    sys_->registry().erase(names::clerk);
    extra_stop();
    caf::anon_send_exit(users_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(pool_, caf::exit_reason::user_shutdown);
    sys_->await_all_actors_done();
    users_ = caf::actor{};
    pool_ = caf::actor{};
    sys_.reset();
    conn_.reset();
    db_.reset();
  }

  /// Called before the system stops: drop handles the test added.
  virtual void extra_stop() {}

  template <class T, class Handle, class... Ts>
  reply<T> ask(const Handle& dest, Ts&&... xs) {
    reply<T> out;
    caf::scoped_actor self{*sys_};
    self->request(dest, ask_timeout, std::forward<Ts>(xs)...)
        .receive([&](T& value) { out.value = std::move(value); },
                 [&](caf::error& err) { out.error = std::move(err); });
    return out;
  }

  /// One value from the test's own connection.
  template <class T, class... Ts>
  T scalar(const std::string& sql, Ts&&... params) {
    pqxx::work tx{*conn_};
    auto v = tx.exec_params1(sql, std::forward<Ts>(params)...)[0].template as<T>();
    tx.commit();
    return v;
  }

  void exec(const std::string& sql) {
    pqxx::work tx{*conn_};
    tx.exec(sql);
    tx.commit();
  }

  reply<principal> resolve(const std::string& id) {
    return ask<principal>(users_, resolve_atom::value, id);
  }

  reply<std::string> select(const std::string& id, const std::string& role) {
    return ask<std::string>(users_, select_role_atom::value, id, role);
  }

  std::optional<scratch_database> db_;
  config::settings settings_;
  caf::actor_system_config cfg_;
  std::optional<caf::actor_system> sys_;
  caf::actor pool_;
  caf::actor users_;
  std::optional<pqxx::connection> conn_;
};

}  // namespace mundoctor::testing
