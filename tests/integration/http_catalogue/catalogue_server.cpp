#include "tests/integration/http_catalogue/catalogue_server.hpp"

#include <chrono>
#include <pqxx/pqxx>
#include <random>

#include "actors/identity/dev_keys.hpp"
#include "config/logging.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::testing {

namespace {

constexpr auto issuer = "https://clerk.catalogue.test";
constexpr auto ops_token = "ops-token-for-catalogue-tests";

// Warnings and errors of the server go to stderr; the per-request access log stays quiet.
class server_logging : public ::testing::Environment {
 public:
  void SetUp() override { config::init_logging("warn"); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new server_logging);

const actors::identity::rsa_keypair& keys() {
  static const auto pair = actors::identity::generate_rsa_keypair();
  return pair;
}

std::string random_suffix() {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, sizeof(chars) - 2};
  std::string out;
  for (int i = 0; i < 12; ++i) out.push_back(chars[pick(gen)]);
  return out;
}

}  // namespace

std::unique_ptr<scratch_database> catalogue_test::database_;
std::string catalogue_test::database_error_;

void catalogue_test::SetUpTestSuite() {
  if (!test_database_admin_url() || database_) return;
  try {
    database_ = std::make_unique<scratch_database>(migrated_database());
  } catch (const std::exception& e) {
    database_error_ = e.what();
  }
}

void catalogue_test::TearDownTestSuite() { database_.reset(); }

void catalogue_test::SetUp() {
  REQUIRE_DATABASE();
  ASSERT_TRUE(database_) << "the scratch database could not be prepared: " << database_error_;
  auto s = test_settings(database_->url());
  s.env = "test";
  s.listen = {{"127.0.0.1", 0}};
  s.redis_url.clear();
  s.auth_jwt_key = keys().public_pem;
  s.auth_issuer = issuer;
  s.ops_token = ops_token;
  runtime_ = std::make_unique<http::runtime>(std::move(s));
  auto ports = runtime_->start();
  ASSERT_EQ(ports.size(), 1u);
  port_ = ports.front();
  // The root supervisor answers /ops/actors once every service has started.
  request(port_, "GET", "/ops/actors", "", {{"Authorization", std::string{"Bearer "} + ops_token}});
}

void catalogue_test::TearDown() {
  if (runtime_) {
    EXPECT_TRUE(runtime_->stop());
  }
  runtime_.reset();
}

std::string catalogue_test::make_user(const std::string& prefix, const std::string& role) const {
  auto id = "user_" + prefix + "_" + random_suffix();
  pqxx::connection conn{database_->url()};
  persistence::assign_role(conn, id, role);
  pqxx::work tx{conn};
  tx.exec_params("UPDATE users SET status = 'active' WHERE id = $1", id);
  if (role == "professional")
    tx.exec_params("UPDATE professional_profiles SET verified = true WHERE user_id = $1", id);
  tx.commit();
  return id;
}

std::string catalogue_test::make_patient() const { return make_user("pat", "patient"); }
std::string catalogue_test::make_professional() const { return make_user("pro", "professional"); }
std::string catalogue_test::make_admin() const { return make_user("adm", "admin"); }

std::string catalogue_test::profile_of(const std::string& user) const {
  return query_value("SELECT id::text FROM professional_profiles WHERE user_id = $1", user);
}

std::string catalogue_test::query_value(const std::string& sql, const std::string& param) const {
  pqxx::connection conn{database_->url()};
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(sql, param);
  if (rows.empty() || rows[0][0].is_null()) return {};
  return rows[0][0].as<std::string>();
}

http_result catalogue_test::call(const std::string& user, const std::string& method,
                                 const std::string& target, const nlohmann::json& body) const {
  header_fields headers;
  if (!user.empty())
    headers.emplace_back("Authorization",
                         "Bearer " + actors::identity::make_session_token(
                                         keys().private_pem, user, issuer, std::chrono::hours{1}));
  std::string text;
  if (!body.is_null()) {
    text = body.dump();
    headers.emplace_back("Content-Type", "application/json");
  }
  return request(port_, method, target, text, headers);
}

void expect_error(const http_result& r, unsigned status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  EXPECT_EQ(r.json.value("success", true), false) << r.body;
  EXPECT_TRUE(r.json.value("message", nlohmann::json{}).is_string()) << r.body;
  EXPECT_EQ(r.json.value("code", std::string{}), code) << r.body;
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
