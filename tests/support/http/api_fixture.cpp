#include "tests/support/http/api_fixture.hpp"

#include <chrono>
#include <ctime>
#include <random>
#include <stdexcept>
#include <utility>

#include "config/logging.hpp"
#include "http/router.hpp"
#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::testing {

namespace {

// Warnings and errors of the server go to stderr; the per-request access log stays quiet.
class server_logging : public ::testing::Environment {
 public:
  void SetUp() override { config::init_logging("warn"); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new server_logging);

std::mt19937_64& generator() {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  return gen;
}

}  // namespace

const actors::identity::rsa_keypair& test_keys() {
  static const auto keys = actors::identity::generate_rsa_keypair();
  return keys;
}

std::string random_token(std::size_t n) {
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, sizeof(chars) - 2};
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(chars[pick(generator())]);
  return out;
}

std::string start_in_days(int days) {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                std::chrono::hours{24 * days});
  std::tm utc{};
  gmtime_r(&t, &utc);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT10:00:00Z", &utc);
  return out;
}

// -- running_server ------------------------------------------------------------------------------

running_server::running_server(config::settings settings, bool wait_for_services,
                               std::function<void(http::router&)> extra_routes) {
  auto ops_token = settings.ops_token;
  auto add_routes = [this, extra = std::move(extra_routes)](http::router& r) {
    if (extra) extra(r);
    for (const auto& rt : r.routes()) routes_.push_back({rt.method, rt.pattern});
  };
  runtime_ = std::make_unique<http::runtime>(std::move(settings), std::move(add_routes));
  auto ports = runtime_->start();
  if (ports.size() != 1 || ports.front() == 0)
    throw std::runtime_error("the runtime did not bind exactly one port");
  port_ = ports.front();
  if (!wait_for_services || ops_token.empty()) return;
  auto ready = request(port_, "GET", "/ops/actors", "", {{"Authorization", "Bearer " + ops_token}});
  if (ready.status != 200)
    throw std::runtime_error("GET /ops/actors answered " + std::to_string(ready.status));
}

running_server::~running_server() { stop(); }

bool running_server::stop() {
  if (stopped_) return true;
  stopped_ = true;
  return runtime_->stop();
}

// -- api_test: suite and runtime ----------------------------------------------------------------

std::unique_ptr<scratch_database> api_test::database_;
std::string api_test::database_error_;

void api_test::SetUpTestSuite() {
  if (!test_database_admin_url() || database_) return;
  try {
    database_ = std::make_unique<scratch_database>(migrated_database());
  } catch (const std::exception& e) {
    database_error_ = e.what();
  }
}

void api_test::TearDownTestSuite() { database_.reset(); }

void api_test::SetUp() {
  REQUIRE_DATABASE();
  ASSERT_TRUE(database_) << "the scratch database could not be prepared: " << database_error_;
  settings_ = api_settings();
  configure(settings_);
  if (starts_in_set_up()) start();
}

void api_test::TearDown() { EXPECT_TRUE(stop()); }

config::settings api_test::api_settings() const {
  auto s = test_settings(database_url());
  s.env = "test";
  s.listen = {{"127.0.0.1", 0}};
  s.redis_url.clear();
  s.auth_jwt_key = test_keys().public_pem;
  s.auth_issuer = test_issuer;
  s.ops_token = test_ops_token;
  return s;
}

running_server& api_test::start(const config::settings& s) {
  server_.reset();
  server_ = launch(s);
  port_ = server_->port();
  return *server_;
}

std::unique_ptr<running_server> api_test::launch(const config::settings& s) {
  return std::make_unique<running_server>(s, wait_for_services_,
                                          [this](http::router& r) { add_routes(r); });
}

bool api_test::stop() {
  if (!server_) return true;
  bool drained = server_->stop();
  server_.reset();
  return drained;
}

http::runtime& api_test::runtime() const {
  if (!server_) throw std::logic_error("no runtime is running");
  return server_->runtime();
}

// -- tokens and users ----------------------------------------------------------------------------

std::string api_test::token_for(const std::string& user) {
  return actors::identity::make_session_token(test_keys().private_pem, user, test_issuer,
                                              std::chrono::hours{1}, "test");
}

std::string api_test::unique_user(const std::string& prefix) {
  return prefix + "_" + random_token();
}

std::string api_test::make_user(const std::string& prefix, const std::string& role) const {
  auto id = unique_user("user_" + prefix);
  pqxx::connection conn{database_url()};
  persistence::assign_role(conn, id, role);
  pqxx::work tx{conn};
  tx.exec_params("UPDATE users SET status = 'active' WHERE id = $1", id);
  if (role == "professional")
    tx.exec_params("UPDATE professional_profiles SET verified = true WHERE user_id = $1", id);
  tx.commit();
  return id;
}

std::string api_test::profile_of(const std::string& user) const {
  return query_value("SELECT id::text FROM professional_profiles WHERE user_id = $1", user);
}

void api_test::assign_role(const std::string& user, const std::string& role) const {
  pqxx::connection conn{database_url()};
  persistence::assign_role(conn, user, role);
}

bookable_professional api_test::make_bookable(const calendar::service_info& service,
                                              const calendar::booking_policy& policy) const {
  bookable_professional pro;
  pro.user_id = make_professional();
  pro.profile_id = profile_of(pro.user_id);
  pqxx::connection conn{database_url()};
  pro.service_id = persistence::create_service(conn, pro.profile_id, service).info.id;
  for (int day = 0; day < 7; ++day) {
    calendar::weekly_rule rule;
    rule.day_of_week = day;
    rule.start_minute = 8 * 60;
    rule.end_minute = 20 * 60;
    rule.zone = "Europe/Madrid";
    persistence::create_weekly_rule(conn, pro.profile_id, rule);
  }
  persistence::put_policy(conn, pro.profile_id, policy);
  return pro;
}

// -- HTTP and database ---------------------------------------------------------------------------

http_result api_test::call(const std::string& user, const std::string& method,
                           const std::string& target, const nlohmann::json& body,
                           const header_fields& extra) const {
  return send(port_, method, target, user.empty() ? std::string{} : token_for(user),
              body.is_null() ? std::string{} : body.dump(), extra);
}

http_result api_test::send(uint16_t port, const std::string& method, const std::string& target,
                           const std::string& token, const std::string& body,
                           header_fields headers) {
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return request(port, method, target, body, headers);
}

http_result api_test::ops_get(const std::string& target) const {
  return request(port_, "GET", target, "", {{"Authorization", "Bearer " + settings_.ops_token}});
}

const std::string& api_test::database_url() const {
  static const std::string none;
  return database_ ? database_->url() : none;
}

// -- envelopes -----------------------------------------------------------------------------------

void expect_error(const http_result& r, unsigned status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  EXPECT_EQ(r.json.value("success", true), false) << r.body;
  EXPECT_TRUE(r.json.value("message", nlohmann::json{}).is_string()) << r.body;
  EXPECT_EQ(r.json.value("code", std::string{}), code) << r.body;
}

void expect_error_envelope(const http_result& r, unsigned status, const std::string& code) {
  expect_error(r, status, code);
  if (!r.json.is_object()) return;
  EXPECT_TRUE(r.json.value("timestamp", nlohmann::json{}).is_string()) << r.body;
  auto message = r.json.value("message", nlohmann::json{});
  EXPECT_TRUE(message.is_string() && !message.get<std::string>().empty()) << r.body;
}

std::vector<std::string> invalid_fields(const http_result& r) {
  std::vector<std::string> out;
  if (!r.json.is_object()) return out;
  auto metadata = r.json.value("metadata", nlohmann::json::object());
  for (const auto& e : metadata.value("validationErrors", nlohmann::json::array()))
    out.push_back(e.value("field", std::string{}));
  return out;
}

}  // namespace mundoctor::testing
