#pragma once

// Test environment: where the test PostgreSQL and Redis are (scripts/test exports them), scratch
// databases, and settings suited for tests.
//
//   MUNDOCTOR_TEST_DATABASE_URL  libpq URI of the test cluster's `postgres` database
//   MUNDOCTOR_TEST_REDIS_URL     redis://host:port
//   MUNDOCTOR_TEST_PG_RESTART    shell command that restarts the test cluster
//   CI=true                      a missing service fails the test instead of skipping it

#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "config/settings.hpp"

namespace mundoctor::testing {

std::optional<std::string> test_database_admin_url();
std::optional<std::string> test_redis_url();
std::optional<std::string> test_pg_restart_command();

/// True when env CI is "true": missing services are then failures, not skips.
bool running_in_ci();

/// A fresh database on the test cluster, dropped (WITH (FORCE)) on destruction.
class scratch_database {
 public:
  /// Creates mundoctor_test_<random> through the admin URL; throws when that fails.
  explicit scratch_database(std::string admin_url);
  scratch_database(scratch_database&& other) noexcept;
  scratch_database& operator=(scratch_database&&) = delete;
  scratch_database(const scratch_database&) = delete;
  scratch_database& operator=(const scratch_database&) = delete;
  ~scratch_database();

  const std::string& name() const noexcept { return name_; }
  /// A libpq URL of the scratch database.
  const std::string& url() const noexcept { return url_; }

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

/// The admin URL with its database replaced by `database` (URI or keyword/value form).
std::string database_url_for(const std::string& admin_url, const std::string& database);

/// A scratch database with every embedded migration applied. Needs the test database.
scratch_database migrated_database();

/// Settings for tests: the given database, a small pool, short timeouts, no auto migration, the
/// test Redis when configured.
config::settings test_settings(const std::string& database_url);

/// Runs MUNDOCTOR_TEST_PG_RESTART; true when the command succeeded.
bool restart_test_postgres();

}  // namespace mundoctor::testing

#define MUNDOCTOR_REQUIRE_SERVICE_(available, service, variable)                \
  do {                                                                          \
    if (!(available)) {                                                         \
      if (::mundoctor::testing::running_in_ci())                                \
        GTEST_FAIL() << "integration tests need " service ": run scripts/test"; \
      GTEST_SKIP() << variable " is not set";                                   \
    }                                                                           \
  } while (false)

/// Skips the test when no test PostgreSQL is configured (fails under CI=true).
#define REQUIRE_DATABASE()                                                                \
  MUNDOCTOR_REQUIRE_SERVICE_(::mundoctor::testing::test_database_admin_url().has_value(), \
                             "PostgreSQL", "MUNDOCTOR_TEST_DATABASE_URL")

/// Skips the test when no test Redis is configured (fails under CI=true).
#define REQUIRE_REDIS()                                                                   \
  MUNDOCTOR_REQUIRE_SERVICE_(::mundoctor::testing::test_redis_url().has_value(), "Redis", \
                             "MUNDOCTOR_TEST_REDIS_URL")

/// Skips the test when the test cluster cannot be restarted (fails under CI=true).
#define REQUIRE_PG_RESTART()                                                              \
  MUNDOCTOR_REQUIRE_SERVICE_(::mundoctor::testing::test_pg_restart_command().has_value(), \
                             "a restartable PostgreSQL", "MUNDOCTOR_TEST_PG_RESTART")
