#include "tests/support/test_env.hpp"

#include <cstdlib>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <random>
#include <stdexcept>
#include <utility>

#include "persistence/migration.hpp"

namespace mundoctor::testing {

namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string{value};
}

std::string random_suffix() {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, sizeof(chars) - 2};
  std::string out;
  for (int i = 0; i < 12; ++i) out.push_back(chars[pick(gen)]);
  return out;
}

void run_admin(const std::string& admin_url, const std::string& sql) {
  pqxx::connection conn{admin_url};
  pqxx::nontransaction tx{conn};  // CREATE/DROP DATABASE cannot run inside a transaction
  tx.exec(sql);
}

}  // namespace

std::optional<std::string> test_database_admin_url() { return env("MUNDOCTOR_TEST_DATABASE_URL"); }

std::optional<std::string> test_redis_url() { return env("MUNDOCTOR_TEST_REDIS_URL"); }

std::optional<std::string> test_pg_restart_command() { return env("MUNDOCTOR_TEST_PG_RESTART"); }

bool running_in_ci() { return env("CI").value_or("") == "true"; }

std::string database_url_for(const std::string& admin_url, const std::string& database) {
  auto scheme_end = admin_url.find("://");
  if (scheme_end == std::string::npos)
    return admin_url + " dbname=" + database;  // keyword/value: the last dbname wins
  auto query = admin_url.find('?', scheme_end + 3);
  auto path = admin_url.find('/', scheme_end + 3);
  if (path != std::string::npos && query != std::string::npos && path > query)
    path = std::string::npos;
  auto authority_end = path != std::string::npos ? path : query;
  auto prefix = admin_url.substr(0, authority_end);
  auto suffix = query != std::string::npos ? admin_url.substr(query) : std::string{};
  return prefix + "/" + database + suffix;
}

scratch_database::scratch_database(std::string admin_url)
    : admin_url_(std::move(admin_url)), name_("mundoctor_test_" + random_suffix()) {
  run_admin(admin_url_, "CREATE DATABASE " + name_);
  url_ = database_url_for(admin_url_, name_);
}

scratch_database::scratch_database(scratch_database&& other) noexcept
    : admin_url_(std::move(other.admin_url_)),
      name_(std::exchange(other.name_, std::string{})),
      url_(std::move(other.url_)) {}

scratch_database::~scratch_database() {
  if (name_.empty()) return;
  try {
    run_admin(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop scratch database " << name_ << ": " << e.what();
  }
}

scratch_database migrated_database() {
  auto admin = test_database_admin_url();
  if (!admin) throw std::runtime_error("MUNDOCTOR_TEST_DATABASE_URL is not set");
  scratch_database db{*admin};
  pqxx::connection conn{db.url()};
  persistence::apply_migrations(conn,
                                persistence::plan_migrations(persistence::embedded_migrations()));
  return db;
}

config::settings test_settings(const std::string& database_url) {
  config::settings s;
  s.env = "test";
  s.log_level = "warn";
  s.listen = {{"127.0.0.1", 0}};
  s.http_threads = 1;
  s.actor_threads = 2;
  s.database_url = database_url;
  s.db_pool_size = 2;
  s.db_connect_timeout_s = 2;
  s.auto_migrate = false;
  s.redis_url = test_redis_url().value_or("");
  s.request_timeout_ms = 5'000;
  s.shutdown_grace_ms = 1'000;
  s.supervisor_backoff_ms = 10;
  s.supervisor_backoff_max_ms = 100;
  s.data_key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";  // 32 bytes, tests only
  return s;
}

bool restart_test_postgres() {
  auto command = test_pg_restart_command();
  if (!command) return false;
  return std::system(command->c_str()) == 0;
}

}  // namespace mundoctor::testing
