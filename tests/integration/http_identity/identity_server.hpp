#pragma once

// End-to-end identity tests: real runtimes on 127.0.0.1:<ephemeral> over a migrated scratch
// database shared by the test suite, verifying RS256 tokens minted with a key pair generated once
// per test binary, plus helpers to mint tokens, call the API as a user and read the database.

#include <cstdint>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/identity/dev_keys.hpp"
#include "config/settings.hpp"
#include "http/message.hpp"
#include "http/runtime.hpp"
#include "tests/support/http/test_client.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

constexpr auto test_issuer = "https://clerk.test.mundoctor";
constexpr auto test_party = "http://localhost:5173";
constexpr auto identity_ops_token = "ops-token-for-identity-tests";

/// The key pair every runtime of this binary trusts (its public PEM is auth_jwt_key).
const actors::identity::rsa_keypair& test_keys();

/// "whsec_" + base64 of 24 random bytes, fixed for the binary.
const std::string& test_webhook_secret();

/// A random lower-case suffix of `n` letters and digits.
std::string random_token(std::size_t n = 12);

/// One route of a runtime, as registered.
struct route_entry {
  http::verb method = http::verb::get;
  std::string pattern;
  std::string name() const { return std::string{http::to_string(method)} + " " + pattern; }
};

/// A started runtime; stopped on destruction.
class running_server {
 public:
  /// With `wait_for_services` (and an ops token in the settings) the constructor returns once
  /// GET /ops/actors has been answered, which the root supervisor does only after it has started
  /// and published every service.
  explicit running_server(config::settings settings, bool wait_for_services = true);
  ~running_server();
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  uint16_t port() const { return port_; }
  /// Every (method, pattern) of the router, captured after the real routes were registered.
  const std::vector<route_entry>& routes() const { return routes_; }
  /// Graceful stop; true when every request finished in time.
  bool stop();

 private:
  std::unique_ptr<http::runtime> runtime_;
  std::vector<route_entry> routes_;
  uint16_t port_ = 0;
  bool stopped_ = false;
};

class identity_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  void SetUp() override;
  void TearDown() override;

  /// The standard settings of these tests (see the file comment of each test), without Redis.
  config::settings identity_settings() const;

  /// Starts a runtime with `s` (or settings_) and makes it the one of get_as / put_as ...
  running_server& start(const config::settings& s);
  running_server& start() { return start(settings_); }
  /// Starts another runtime, kept apart from the current one.
  static std::unique_ptr<running_server> launch(const config::settings& s) {
    return std::make_unique<running_server>(s);
  }

  // -- tokens ----------------------------------------------------------------------------------
  std::string token_for(const std::string& sub) const;
  static std::string sign(const nlohmann::json& header, const nlohmann::json& payload);
  /// Claims of a valid token for `sub`: iss, sub, iat, nbf, exp (+1 h), sid.
  static nlohmann::json claims_for(const std::string& sub);
  static std::string unique_user(const std::string& prefix = "user");

  // -- HTTP ------------------------------------------------------------------------------------
  /// A request to the current runtime; `token` empty = no Authorization header.
  http_result call(const std::string& method, const std::string& target,
                   const std::string& token = "", const std::string& body = "") const;
  http_result call_on(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& token = "", const std::string& body = "") const;
  http_result get_as(const std::string& user, const std::string& target) const {
    return call("GET", target, token_for(user));
  }
  http_result send_as(const std::string& user, const std::string& method,
                      const std::string& target, const nlohmann::json& body) const {
    return call(method, target, token_for(user), body.dump());
  }

  // -- database --------------------------------------------------------------------------------
  const std::string& database_url() const;
  /// Creates or updates the user with the role (patient, professional, admin, super_admin).
  void assign_role(const std::string& user, const std::string& role) const;
  /// One value of a query on the scratch database; nullopt when the value is NULL.
  std::optional<std::string> query_value(const std::string& sql, const std::string& param) const;
  int64_t count_rows(const std::string& sql, const std::string& param) const;
  void exec(const std::string& sql, const std::string& param) const;

  config::settings settings_;
  std::unique_ptr<running_server> server_;

 private:
  static std::unique_ptr<scratch_database> database_;
  static std::string database_error_;
};

/// Asserts the error envelope of API.md: success false, timestamp, message, `code`.
void expect_error_envelope(const http_result& r, unsigned status, const std::string& code);

}  // namespace mundoctor::testing
