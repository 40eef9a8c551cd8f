#include "tests/integration/http_identity/identity_server.hpp"

#include <chrono>
#include <random>

#include "actors/identity/base64.hpp"
#include "config/logging.hpp"
#include "http/router.hpp"
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

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

const actors::identity::rsa_keypair& test_keys() {
  static const auto keys = actors::identity::generate_rsa_keypair();
  return keys;
}

const std::string& test_webhook_secret() {
  static const std::string secret = [] {
    std::string bytes;
    std::uniform_int_distribution<int> byte{0, 255};
    for (int i = 0; i < 24; ++i) bytes.push_back(static_cast<char>(byte(generator())));
    return "whsec_" + actors::identity::base64_encode(bytes);
  }();
  return secret;
}

std::string random_token(std::size_t n) {
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, sizeof(chars) - 2};
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(chars[pick(generator())]);
  return out;
}

// -- running_server ------------------------------------------------------------------------------

running_server::running_server(config::settings settings, bool wait_for_services) {
  auto ops_token = settings.ops_token;
  runtime_ = std::make_unique<http::runtime>(std::move(settings), [this](http::router& r) {
    for (const auto& rt : r.routes()) routes_.push_back({rt.method, rt.pattern});
  });
  auto ports = runtime_->start();
  if (ports.size() != 1 || ports.front() == 0)
    throw std::runtime_error("the runtime did not bind exactly one port");
  port_ = ports.front();
  if (wait_for_services && !ops_token.empty())
    request(port_, "GET", "/ops/actors", "", {{"Authorization", "Bearer " + ops_token}});
}

running_server::~running_server() { stop(); }

bool running_server::stop() {
  if (stopped_) return true;
  stopped_ = true;
  return runtime_->stop();
}

// -- identity_test ------------------------------------------------------------------------------

std::unique_ptr<scratch_database> identity_test::database_;
std::string identity_test::database_error_;

void identity_test::SetUpTestSuite() {
  if (!test_database_admin_url() || database_) return;
  try {
    database_ = std::make_unique<scratch_database>(migrated_database());
  } catch (const std::exception& e) {
    database_error_ = e.what();
  }
}

void identity_test::TearDownTestSuite() { database_.reset(); }

void identity_test::SetUp() {
  REQUIRE_DATABASE();
  ASSERT_TRUE(database_) << "the scratch database could not be prepared: " << database_error_;
  settings_ = identity_settings();
}

void identity_test::TearDown() { server_.reset(); }

config::settings identity_test::identity_settings() const {
  auto s = test_settings(database_url());
  s.env = "test";
  s.listen = {{"127.0.0.1", 0}};
  s.redis_url.clear();
  s.auth_jwt_key = test_keys().public_pem;
  s.auth_issuer = test_issuer;
  s.auth_authorized_parties = {test_party};
  s.clerk_webhook_secret = test_webhook_secret();
  s.ops_token = identity_ops_token;
  return s;
}

running_server& identity_test::start(const config::settings& s) {
  server_.reset();
  server_ = std::make_unique<running_server>(s);
  return *server_;
}

std::string identity_test::token_for(const std::string& sub) const {
  return sign({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "test"}}, claims_for(sub));
}

std::string identity_test::sign(const nlohmann::json& header, const nlohmann::json& payload) {
  return actors::identity::sign_rs256_jwt(test_keys().private_pem, header, payload);
}

nlohmann::json identity_test::claims_for(const std::string& sub) {
  auto now = unix_now();
  return {{"iss", test_issuer}, {"sub", sub},         {"iat", now},
          {"nbf", now - 1},     {"exp", now + 3600}, {"sid", "sess_" + random_token()}};
}

std::string identity_test::unique_user(const std::string& prefix) {
  return prefix + "_" + random_token();
}

http_result identity_test::call(const std::string& method, const std::string& target,
                                const std::string& token, const std::string& body) const {
  if (!server_) throw std::logic_error("no runtime is running");
  return call_on(server_->port(), method, target, token, body);
}

http_result identity_test::call_on(uint16_t port, const std::string& method,
                                   const std::string& target, const std::string& token,
                                   const std::string& body) const {
  header_fields headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  return request(port, method, target, body, headers);
}

const std::string& identity_test::database_url() const {
  static const std::string none;
  return database_ ? database_->url() : none;
}

void identity_test::assign_role(const std::string& user, const std::string& role) const {
  pqxx::connection conn{database_url()};
  persistence::assign_role(conn, user, role);
}

std::optional<std::string> identity_test::query_value(const std::string& sql,
                                                      const std::string& param) const {
  pqxx::connection conn{database_url()};
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(sql, param);
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

int64_t identity_test::count_rows(const std::string& sql, const std::string& param) const {
  pqxx::connection conn{database_url()};
  pqxx::read_transaction tx{conn};
  return tx.exec_params1(sql, param)[0].as<int64_t>();
}

void identity_test::exec(const std::string& sql, const std::string& param) const {
  pqxx::connection conn{database_url()};
  pqxx::work tx{conn};
  tx.exec_params(sql, param);
  tx.commit();
}

void expect_error_envelope(const http_result& r, unsigned status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  EXPECT_EQ(r.json.value("success", true), false) << r.body;
  EXPECT_TRUE(r.json.value("timestamp", nlohmann::json{}).is_string()) << r.body;
  auto message = r.json.value("message", nlohmann::json{});
  EXPECT_TRUE(message.is_string() && !message.get<std::string>().empty()) << r.body;
  EXPECT_EQ(r.json.value("code", std::string{}), code) << r.body;
}

}  // namespace mundoctor::testing
