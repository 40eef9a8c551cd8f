#pragma once

// End-to-end tests of the services and schedules endpoints: a real mundoctor::http::runtime on
// 127.0.0.1:<ephemeral> over a migrated scratch database shared by the test suite, trusting
// RS256 tokens signed with a key pair generated once per test binary, plus helpers to set up
// users (patients, bookable professionals, admins) and call the API as one of them.

#include <cstdint>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/settings.hpp"
#include "http/runtime.hpp"
#include "tests/support/http/test_client.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

class catalogue_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  void SetUp() override;
  void TearDown() override;

  /// A new active patient; returns the user id.
  std::string make_patient() const;
  /// A new active, verified (so bookable) professional; returns the user id. The profile uuid
  /// is profile_of(user).
  std::string make_professional() const;
  std::string make_admin() const;
  std::string profile_of(const std::string& user) const;

  /// A request as `user` (empty = no token); a non-null body is sent as JSON.
  http_result call(const std::string& user, const std::string& method, const std::string& target,
                   const nlohmann::json& body = nullptr) const;

  /// One value of `sql` with $1 = param, as text ("" for NULL or no row).
  std::string query_value(const std::string& sql, const std::string& param) const;

  uint16_t port_ = 0;

 private:
  std::string make_user(const std::string& prefix, const std::string& role) const;

  std::unique_ptr<http::runtime> runtime_;
  static std::unique_ptr<scratch_database> database_;
  static std::string database_error_;
};

/// Asserts the error envelope of API.md with `status` and `code`.
void expect_error(const http_result& r, unsigned status, const std::string& code);

/// The `field` of every metadata.validationErrors entry.
std::vector<std::string> invalid_fields(const http_result& r);

}  // namespace mundoctor::testing
