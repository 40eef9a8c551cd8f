// `mundoctor dev-token`: refused outside development; in development it creates the signing key
// pair and the user, and prints a token that a development server accepts.

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "http/dev_token.hpp"
#include "tests/integration/http_identity/identity_server.hpp"

namespace mundoctor::testing {
namespace {

namespace fs = std::filesystem;

class dev_token : public identity_test {
 protected:
  void SetUp() override {
    identity_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = fs::temp_directory_path() / ("mundoctor_devkeys_" + random_token());
  }
  void TearDown() override {
    identity_test::TearDown();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  config::settings development_settings() const {
    auto s = test_settings(database_url());
    s.env = "development";
    s.redis_url.clear();
    s.listen = {{"127.0.0.1", 0}};
    s.dev_key_dir = (dir_ / "keys").string();
    s.ops_token = identity_ops_token;
    return s;
  }

  struct outcome {
    int code = 0;
    std::string out;
  };
  static outcome run(const config::settings& s, const std::vector<std::string>& args) {
    ::testing::internal::CaptureStdout();
    outcome o;
    o.code = http::dev_token_command(s, args);
    o.out = ::testing::internal::GetCapturedStdout();
    return o;
  }

  fs::path dir_;
};

TEST_F(dev_token, is_refused_outside_development_and_prints_nothing) {
  auto s = development_settings();
  s.env = "production";
  auto user = unique_user("dev");
  auto o = run(s, {"--user", user, "--role", "admin"});
  EXPECT_NE(o.code, 0);
  EXPECT_EQ(o.out, "");
  EXPECT_FALSE(fs::exists(s.dev_key_dir));
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = $1", user), 0);
}

TEST_F(dev_token, creates_keys_and_user_and_prints_a_token_the_development_server_accepts) {
  auto s = development_settings();
  auto user = unique_user("dev");
  auto o = run(s, {"--user", user, "--role", "professional", "--ttl", "30m"});
  ASSERT_EQ(o.code, 0);
  ASSERT_FALSE(o.out.empty());
  EXPECT_EQ(o.out.back(), '\n');
  auto token = o.out.substr(0, o.out.find_last_not_of("\r\n") + 1);
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2) << token;
  EXPECT_TRUE(fs::exists(fs::path{s.dev_key_dir} / "jwt-private.pem"));
  EXPECT_TRUE(fs::exists(fs::path{s.dev_key_dir} / "jwt-public.pem"));
  EXPECT_EQ(query_value("SELECT role FROM users WHERE id = $1", user), "professional");
  EXPECT_EQ(query_value("SELECT status FROM users WHERE id = $1", user), "pending_validation");

  ASSERT_TRUE(s.auth_jwt_key.empty());
  ASSERT_TRUE(s.auth_jwks_url.empty());
  start(s);
  auto r = call("GET", "/api/users/profile", token);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["data"]["id"], user);
  EXPECT_EQ(r.json["data"]["role"], "professional");

  // Only the development key is trusted: a token of another key pair is refused.
  auto claims = claims_for(user);
  claims["iss"] = "mundoctor-dev";
  auto foreign = call("GET", "/api/users/profile",
                      sign({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "dev"}}, claims));
  expect_error_envelope(foreign, 401, "TOKEN_INVALID");

  // A second run reuses the key pair, so earlier tokens stay valid.
  auto again = run(s, {"--user", user, "--role", "professional"});
  ASSERT_EQ(again.code, 0);
  EXPECT_EQ(call("GET", "/api/users/profile", token).status, 200u);
}

}  // namespace
}  // namespace mundoctor::testing
