// Session token verification through real HTTP: every way a token can be wrong answers 401 with
// the error envelope, its machine code and WWW-Authenticate; JWKS mode follows key rotation.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "actors/identity/base64.hpp"
#include "tests/integration/http_identity/identity_server.hpp"

namespace mundoctor::testing {
namespace {

namespace fs = std::filesystem;
using actors::identity::base64url_encode;
using nlohmann::json;

constexpr auto profile = "/api/users/profile";

std::string hs256(const std::string& secret, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return std::string{reinterpret_cast<const char*>(mac), len};
}

std::string unsigned_part(const json& header, const json& payload) {
  return base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
}

class tokens : public identity_test {
 protected:
  void expect_rejected(const std::string& authorization, const std::string& code,
                       const std::string& what) {
    SCOPED_TRACE(what);
    header_fields headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    auto r = request(server_->port(), "GET", profile, "", headers);
    expect_error_envelope(r, 401, code);
    EXPECT_EQ(r.header("www-authenticate"), "Bearer");
  }
  void expect_rejected_token(const std::string& token, const std::string& code,
                             const std::string& what) {
    expect_rejected("Bearer " + token, code, what);
  }
};

TEST_F(tokens, every_malformed_or_untrusted_token_is_answered_401_with_its_code) {
  start();
  auto user = unique_user();
  auto claims = claims_for(user);
  json rs256{{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "test"}};

  expect_rejected("", "TOKEN_MISSING", "no Authorization header");
  expect_rejected("Basic abc", "TOKEN_MISSING", "Basic scheme");

  json none{{"alg", "none"}, {"typ", "JWT"}};
  expect_rejected_token(unsigned_part(none, claims) + ".", "TOKEN_INVALID", "alg none");

  json hs{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "test"}};
  auto hs_part = unsigned_part(hs, claims);
  expect_rejected_token(hs_part + "." + base64url_encode(hs256(test_keys().public_pem, hs_part)),
                        "TOKEN_INVALID", "HS256 with the public key as secret");

  static const auto other = actors::identity::generate_rsa_keypair();
  expect_rejected_token(actors::identity::sign_rs256_jwt(other.private_pem, rs256, claims),
                        "TOKEN_INVALID", "signed by another key");

  auto valid = sign(rs256, claims);
  auto first_dot = valid.find('.');
  auto second_dot = valid.find('.', first_dot + 1);
  auto forged = claims;
  forged["sub"] = "user_someone_else";
  auto tampered =
      valid.substr(0, first_dot + 1) + base64url_encode(forged.dump()) + valid.substr(second_dot);
  expect_rejected_token(tampered, "TOKEN_INVALID", "tampered payload");

  auto wrong_issuer = claims;
  wrong_issuer["iss"] = "https://clerk.other.example";
  expect_rejected_token(sign(rs256, wrong_issuer), "TOKEN_INVALID", "wrong issuer");

  auto expired = claims;
  expired["iat"] = claims["iat"].get<int64_t>() - 7200;
  expired["nbf"] = claims["iat"].get<int64_t>() - 7200;
  expired["exp"] = claims["iat"].get<int64_t>() - 3600;
  expect_rejected_token(sign(rs256, expired), "TOKEN_EXPIRED", "expired");

  auto early = claims;
  early["nbf"] = claims["iat"].get<int64_t>() + 3600;
  expect_rejected_token(sign(rs256, early), "TOKEN_INVALID", "nbf in the future");

  expect_rejected_token("garbage", "TOKEN_INVALID", "garbage");
  expect_rejected_token("a.b.c", "TOKEN_INVALID", "three garbage segments");

  auto foreign_party = claims;
  foreign_party["azp"] = "https://evil.example";
  expect_rejected_token(sign(rs256, foreign_party), "TOKEN_INVALID", "azp not authorized");

  auto ok = call("GET", profile, sign(rs256, claims));
  EXPECT_EQ(ok.status, 200u) << ok.body;
  auto ours = claims;
  ours["azp"] = test_party;
  auto with_party = call("GET", profile, sign(rs256, ours));
  EXPECT_EQ(with_party.status, 200u) << with_party.body;
  EXPECT_EQ(with_party.json["data"]["id"], user);
}

TEST_F(tokens, a_token_accepted_before_is_refused_once_it_has_expired) {
  settings_.jwt_leeway_s = 0;
  start();
  auto claims = claims_for(unique_user());
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  claims["exp"] = now + 2;
  auto token = sign({{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "test"}}, claims);
  auto first = call("GET", profile, token);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(call("GET", profile, token).status, 200u)
      << "the same token again (from the cache) is accepted";
  std::this_thread::sleep_until(
      std::chrono::system_clock::time_point{std::chrono::seconds{now + 3}} +
      std::chrono::milliseconds{100});
  expect_rejected_token(token, "TOKEN_EXPIRED", "expired after it was accepted");
}

class jwks_mode : public identity_test {
 protected:
  void TearDown() override {
    identity_test::TearDown();
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  void write_jwks(const std::string& public_pem, const std::string& kid) {
    auto tmp = dir_ / "jwks.json.tmp";
    std::ofstream{tmp} << actors::identity::jwks_for_public_pem(public_pem, kid);
    fs::rename(tmp, dir_ / "jwks.json");  // readers never see a half-written document
  }

  static std::string token(const std::string& private_pem, const std::string& kid,
                           const std::string& sub) {
    return actors::identity::sign_rs256_jwt(
        private_pem, {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}}, claims_for(sub));
  }

  fs::path dir_;
};

TEST_F(jwks_mode, follows_a_key_rotation_and_rejects_unknown_kids) {
  dir_ = fs::temp_directory_path() / ("mundoctor_jwks_" + random_token());
  fs::create_directories(dir_);
  auto first_kid = "ins_" + random_token();
  write_jwks(test_keys().public_pem, first_kid);
  auto s = identity_settings();
  s.auth_jwt_key.clear();
  s.auth_jwks_url = "file://" + (dir_ / "jwks.json").string();
  s.jwks_min_refresh_s = 1;
  start(s);
  auto user = unique_user();

  auto before = call("GET", profile, token(test_keys().private_pem, first_kid, user));
  EXPECT_EQ(before.status, 200u) << before.body;

  auto rotated = actors::identity::generate_rsa_keypair();
  auto second_kid = "ins_" + random_token();
  write_jwks(rotated.public_pem, second_kid);
  // Past the minimum refresh interval, so the unknown kid triggers a fetch.
  std::this_thread::sleep_for(std::chrono::milliseconds{1'500});
  auto after = call("GET", profile, token(rotated.private_pem, second_kid, user));
  EXPECT_EQ(after.status, 200u) << after.body;
  EXPECT_EQ(after.json["data"]["id"], user);

  auto unknown = call("GET", profile, token(rotated.private_pem, "ins_" + random_token(), user));
  expect_error_envelope(unknown, 401, "TOKEN_INVALID");
  EXPECT_EQ(unknown.header("www-authenticate"), "Bearer");
}

}  // namespace
}  // namespace mundoctor::testing
