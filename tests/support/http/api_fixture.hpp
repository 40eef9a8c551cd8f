#pragma once

// The base of the HTTP end-to-end fixtures: a real mundoctor::http::runtime on
// 127.0.0.1:<ephemeral> over a migrated scratch database shared by the test suite, trusting RS256
// tokens signed with a key pair generated once per test binary, plus helpers to create users
// (patients, bookable professionals, admins), call the API as one of them and read or change the
// database. An area derives its fixture from api_test and keeps only its domain helpers:
//
//   class things_test : public api_test {
//    protected:
//     void configure(config::settings& s) const override { s.body_limit_bytes = 4096; }
//   };
//
// SetUp skips the test when MUNDOCTOR_TEST_DATABASE_URL is unset, fills settings_ (api_settings()
// then configure()) and starts the runtime unless starts_in_set_up() says otherwise; a test may
// stop() the runtime, change settings_ and start() it again. TearDown expects a drained stop.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/identity/dev_keys.hpp"
#include "actors/protocol/calendar.hpp"
#include "config/settings.hpp"
#include "http/message.hpp"
#include "http/runtime.hpp"
#include "tests/support/http/test_client.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

constexpr auto test_issuer = "https://clerk.test.mundoctor";
constexpr auto test_ops_token = "ops-token-for-api-tests";

/// The key pair every runtime of this binary trusts (its public PEM is auth_jwt_key).
const actors::identity::rsa_keypair& test_keys();

/// A random lower-case string of `n` letters and digits.
std::string random_token(std::size_t n = 12);

/// 10:00Z, `days` days from today, RFC 3339.
std::string start_in_days(int days);

/// One route of a runtime, as registered.
struct route_entry {
  http::verb method = http::verb::get;
  std::string pattern;
  std::string name() const { return std::string{http::to_string(method)} + " " + pattern; }
};

/// A started runtime; stopped on destruction.
class running_server {
 public:
  /// `extra_routes` adds test routes next to the real ones. With `wait_for_services` (and an ops
  /// token in the settings) the constructor returns once GET /ops/actors has answered 200, which
  /// the root supervisor does only after it has started and published every service. Throws
  /// std::runtime_error when the runtime does not bind one port or does not become ready.
  explicit running_server(config::settings settings, bool wait_for_services = true,
                          std::function<void(http::router&)> extra_routes = {});
  ~running_server();
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  uint16_t port() const { return port_; }
  http::runtime& runtime() { return *runtime_; }
  /// Every (method, pattern) of the router, captured after every route was registered.
  const std::vector<route_entry>& routes() const { return routes_; }
  /// Graceful stop; true when every request finished in time.
  bool stop();

 private:
  std::unique_ptr<http::runtime> runtime_;
  std::vector<route_entry> routes_;
  uint16_t port_ = 0;
  bool stopped_ = false;
};

/// A professional ready to be booked: user id, profile uuid and one service.
struct bookable_professional {
  std::string user_id;
  std::string profile_id;  // professional_profiles.id (uuid)
  std::string service_id;
};

class api_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  void SetUp() override;
  void TearDown() override;

  // -- runtime ---------------------------------------------------------------------------------
  /// Test env, one listener on 127.0.0.1:0, no Redis, the binary's token key and issuer, the ops
  /// token test_ops_token.
  config::settings api_settings() const;
  /// The changes of a fixture to api_settings(), applied to settings_ in SetUp.
  virtual void configure(config::settings& s) const { (void)s; }
  /// False for fixtures whose tests start the runtime themselves.
  virtual bool starts_in_set_up() const { return true; }
  /// Test routes of a fixture, added next to the real ones.
  virtual void add_routes(http::router& r) { (void)r; }

  /// Starts a runtime with `s` (replacing the current one) and makes it the one call() reaches.
  running_server& start(const config::settings& s);
  running_server& start() { return start(settings_); }
  /// Starts another runtime with `s`, kept apart from the current one.
  std::unique_ptr<running_server> launch(const config::settings& s);
  /// Graceful stop of the current runtime; true when every request finished in time.
  bool stop();
  http::runtime& runtime() const;

  // -- tokens and users ------------------------------------------------------------------------
  /// A valid session token for `user` (no database row is needed to verify it).
  static std::string token_for(const std::string& user);
  /// prefix + "_" + a random suffix.
  static std::string unique_user(const std::string& prefix = "user");
  /// A new active user "user_<prefix>_<random>" with `role`; a professional is also verified
  /// (so bookable). Returns the user id.
  std::string make_user(const std::string& prefix, const std::string& role) const;
  std::string make_patient() const { return make_user("pat", "patient"); }
  /// The profile uuid is profile_of(user).
  std::string make_professional() const { return make_user("pro", "professional"); }
  std::string make_admin() const { return make_user("adm", "admin"); }
  std::string profile_of(const std::string& user) const;
  /// Creates or updates the user with the role (patient, professional, admin, super_admin).
  void assign_role(const std::string& user, const std::string& role) const;
  /// A new professional working every day 08:00-20:00 Europe/Madrid with `service` and `policy`.
  bookable_professional make_bookable(const calendar::service_info& service,
                                      const calendar::booking_policy& policy) const;

  // -- HTTP ------------------------------------------------------------------------------------
  /// A request as `user` (empty = no token); a non-null body is sent as JSON.
  http_result call(const std::string& user, const std::string& method, const std::string& target,
                   const nlohmann::json& body = nullptr, const header_fields& extra = {}) const;
  /// A request to `port` with `token` as bearer (empty = none) and `body` as JSON text (empty =
  /// none).
  static http_result send(uint16_t port, const std::string& method, const std::string& target,
                          const std::string& token, const std::string& body = "",
                          header_fields headers = {});
  /// GET with the ops token of settings_.
  http_result ops_get(const std::string& target) const;

  // -- database --------------------------------------------------------------------------------
  const std::string& database_url() const;
  /// One value of `sql` ($1, $2 ... = params) as text; nullopt for NULL or no row.
  template <typename... Params>
  std::optional<std::string> query_optional(const std::string& sql, const Params&... params) const {
    pqxx::connection conn{database_url()};
    pqxx::read_transaction tx{conn};
    pqxx::result rows = tx.exec_params(sql, params...);
    if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
    return rows[0][0].as<std::string>();
  }
  /// As query_optional, "" for NULL or no row.
  template <typename... Params>
  std::string query_value(const std::string& sql, const Params&... params) const {
    return query_optional(sql, params...).value_or("");
  }
  /// The number a SELECT count(*) ... answers.
  template <typename... Params>
  int64_t count(const std::string& sql, const Params&... params) const {
    pqxx::connection conn{database_url()};
    pqxx::read_transaction tx{conn};
    pqxx::row row = tx.exec_params1(sql, params...);
    return row[0].as<int64_t>();
  }
  /// Runs `sql` in its own transaction.
  template <typename... Params>
  void exec(const std::string& sql, const Params&... params) const {
    pqxx::connection conn{database_url()};
    pqxx::work tx{conn};
    tx.exec_params(sql, params...);
    tx.commit();
  }

  config::settings settings_;
  std::unique_ptr<running_server> server_;
  uint16_t port_ = 0;
  /// Whether start() waits for every service (needs settings_.ops_token).
  bool wait_for_services_ = true;

 private:
  static std::unique_ptr<scratch_database> database_;
  static std::string database_error_;
};

/// Asserts the error envelope of API.md with `status` and `code`.
void expect_error(const http_result& r, unsigned status, const std::string& code);

/// As expect_error, and the envelope has a timestamp and a non-empty message.
void expect_error_envelope(const http_result& r, unsigned status, const std::string& code);

/// The `field` of every metadata.validationErrors entry.
std::vector<std::string> invalid_fields(const http_result& r);

}  // namespace mundoctor::testing
