#include "actors/identity/jwt.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "actors/identity/base64.hpp"
#include "tests/unit/identity/test_keys.hpp"

namespace mundoctor::actors::identity {
namespace {

using namespace std::chrono_literals;
using testing::rs256_header;
using testing::signing_keys;
using testing::valid_claims;
using json = nlohmann::json;

key_set keys_with(const std::string& kid, const rsa_keypair& pair) {
  return parse_jwks(jwks_for_public_pem(pair.public_pem, kid));
}

verify_options options() {
  verify_options o;
  o.issuer = testing::test_issuer;
  return o;
}

verify_result verify(const std::string& token, const verify_options& opts = options()) {
  return verify_session_token(token, keys_with("k1", signing_keys()), nullptr, opts);
}

std::string sign(const json& payload, const json& header = rs256_header()) {
  return sign_rs256_jwt(signing_keys().private_pem, header, payload);
}

std::string unsigned_token(const json& header, const json& payload, const std::string& sig) {
  return base64url_encode(header.dump()) + "." + base64url_encode(payload.dump()) + "." +
         base64url_encode(sig);
}

TEST(jwt, accepts_a_valid_token_through_the_jwks) {
  auto claims = valid_claims();
  auto r = verify(sign(claims));
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.token.sub, "user_123");
  EXPECT_EQ(r.token.kid, "k1");
  EXPECT_EQ(r.token.issuer, testing::test_issuer);
  EXPECT_EQ(r.token.session_id, "sess_1");
  EXPECT_EQ(r.token.exp, claims["exp"].get<int64_t>());
  EXPECT_EQ(r.token.iat, claims["iat"].get<int64_t>());
}

TEST(jwt, accepts_a_valid_token_through_a_single_pem_key_ignoring_the_kid) {
  auto token = sign(valid_claims(), rs256_header("whatever"));
  auto r = verify_session_token(token, key_set{}, parse_public_pem(signing_keys().public_pem),
                                options());
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.token.sub, "user_123");
}

TEST(jwt, accepts_a_token_minted_by_make_session_token) {
  auto token =
      make_session_token(signing_keys().private_pem, "user_9", testing::test_issuer, 60s, "k1");
  auto r = verify(token);
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.token.sub, "user_9");
  EXPECT_FALSE(r.token.session_id.empty());
}

TEST(jwt, empty_token_is_missing) { EXPECT_EQ(verify("").failure, token_failure::missing); }

TEST(jwt, rejects_alg_none) {
  json header{{"alg", "none"}, {"typ", "JWT"}, {"kid", "k1"}};
  auto token =
      base64url_encode(header.dump()) + "." + base64url_encode(valid_claims().dump()) + ".";
  EXPECT_EQ(verify(token).failure, token_failure::invalid);
  EXPECT_EQ(verify(unsigned_token(header, valid_claims(), "x")).failure, token_failure::invalid);
}

TEST(jwt, rejects_hs256_signed_with_the_public_key_as_secret) {
  json header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", "k1"}};
  auto signed_part =
      base64url_encode(header.dump()) + "." + base64url_encode(valid_claims().dump());
  const auto& secret = signing_keys().public_pem;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac,
       &mac_size);
  auto token = signed_part + "." +
               base64url_encode(std::string(reinterpret_cast<const char*>(mac), mac_size));
  EXPECT_EQ(verify(token).failure, token_failure::invalid);
  auto single = verify_session_token(token, key_set{}, parse_public_pem(secret), options());
  EXPECT_EQ(single.failure, token_failure::invalid);
}

TEST(jwt, rejects_rs512) {
  json header{{"alg", "RS512"}, {"typ", "JWT"}, {"kid", "k1"}};
  EXPECT_EQ(verify(sign(valid_claims(), header)).failure, token_failure::invalid);
}

TEST(jwt, rejects_a_signature_from_another_key) {
  auto token = sign_rs256_jwt(testing::other_keys().private_pem, rs256_header(), valid_claims());
  EXPECT_EQ(verify(token).failure, token_failure::invalid);
}

TEST(jwt, unknown_kid_is_reported_as_such) {
  EXPECT_EQ(verify(sign(valid_claims(), rs256_header("k2"))).failure, token_failure::unknown_kid);
}

TEST(jwt, missing_kid_is_reported_as_unknown_kid) {
  json header{{"alg", "RS256"}, {"typ", "JWT"}};
  EXPECT_EQ(verify(sign(valid_claims(), header)).failure, token_failure::unknown_kid);
}

TEST(jwt, rejects_a_tampered_payload) {
  auto claims = valid_claims();
  auto token = sign(claims);
  claims["sub"] = "user_admin";
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  auto tampered =
      token.substr(0, first + 1) + base64url_encode(claims.dump()) + token.substr(second);
  auto r = verify(tampered);
  EXPECT_EQ(r.failure, token_failure::invalid);
  EXPECT_TRUE(r.token.sub.empty());
}

TEST(jwt, rejects_a_wrong_issuer) {
  auto claims = valid_claims();
  claims["iss"] = "https://evil.example.test";
  EXPECT_EQ(verify(sign(claims)).failure, token_failure::invalid);
}

TEST(jwt, rejects_every_token_when_no_issuer_is_configured) {
  auto opts = options();
  opts.issuer.clear();
  EXPECT_EQ(verify(sign(valid_claims()), opts).failure, token_failure::invalid);
}

TEST(jwt, expired_beyond_the_leeway_is_expired) {
  auto claims = valid_claims();
  claims["exp"] = testing::unix_now() - 30;
  EXPECT_EQ(verify(sign(claims)).failure, token_failure::expired);
}

TEST(jwt, expired_within_the_leeway_is_accepted) {
  auto claims = valid_claims();
  auto opts = options();
  claims["exp"] = testing::unix_now() - 2;
  opts.leeway = 60s;
  EXPECT_TRUE(verify(sign(claims), opts).ok());
}

TEST(jwt, expiry_is_judged_against_the_given_clock) {
  auto token = sign(valid_claims());
  auto opts = options();
  opts.now += 1h;
  EXPECT_EQ(verify(token, opts).failure, token_failure::expired);
}

TEST(jwt, rejects_nbf_in_the_future) {
  auto claims = valid_claims();
  claims["nbf"] = testing::unix_now() + 300;
  auto r = verify(sign(claims));
  EXPECT_EQ(r.failure, token_failure::invalid);
  EXPECT_EQ(r.reason, "not yet valid");
}

TEST(jwt, rejects_a_missing_exp) {
  auto claims = valid_claims();
  claims.erase("exp");
  EXPECT_EQ(verify(sign(claims)).failure, token_failure::invalid);
}

TEST(jwt, rejects_non_numeric_time_claims) {
  for (const char* name : {"exp", "nbf", "iat"}) {
    auto claims = valid_claims();
    claims[name] = "1700000000";
    EXPECT_EQ(verify(sign(claims)).failure, token_failure::invalid) << name;
  }
}

TEST(jwt, rejects_garbage) {
  for (const char* token : {"abc", "a.b", "a.b.c.d", "!!!.@@@.###", "..", "a..c"})
    EXPECT_EQ(verify(token).failure, token_failure::invalid) << token;
}

TEST(jwt, rejects_valid_base64_of_non_json) {
  auto token =
      base64url_encode("not json") + "." + base64url_encode("{}") + "." + base64url_encode("sig");
  EXPECT_EQ(verify(token).failure, token_failure::invalid);
}

TEST(jwt, rejects_padded_segments) {
  auto token = sign(valid_claims());
  EXPECT_TRUE(verify(token).ok());
  EXPECT_EQ(verify(token + "=").failure, token_failure::invalid);
}

TEST(jwt, rejects_a_missing_or_empty_sub) {
  auto claims = valid_claims();
  claims.erase("sub");
  EXPECT_EQ(verify(sign(claims)).failure, token_failure::invalid);
  claims["sub"] = "";
  EXPECT_EQ(verify(sign(claims)).failure, token_failure::invalid);
}

TEST(jwt, rejects_an_azp_not_in_the_allowed_list) {
  auto claims = valid_claims();
  claims["azp"] = "https://evil.example.test";
  auto opts = options();
  opts.authorized_parties = {"https://app.example.test", "http://localhost:3000"};
  EXPECT_EQ(verify(sign(claims), opts).failure, token_failure::invalid);
}

TEST(jwt, accepts_an_azp_in_the_allowed_list) {
  auto claims = valid_claims();
  claims["azp"] = "http://localhost:3000";
  auto opts = options();
  opts.authorized_parties = {"https://app.example.test", "http://localhost:3000"};
  auto r = verify(sign(claims), opts);
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.token.azp, "http://localhost:3000");
}

TEST(jwt, accepts_a_token_without_azp_when_parties_are_configured) {
  auto opts = options();
  opts.authorized_parties = {"https://app.example.test"};
  EXPECT_TRUE(verify(sign(valid_claims()), opts).ok());
}

TEST(jwt, rejects_a_typ_other_than_jwt) {
  json header{{"alg", "RS256"}, {"typ", "at+jwt"}, {"kid", "k1"}};
  EXPECT_EQ(verify(sign(valid_claims(), header)).failure, token_failure::invalid);
}

}  // namespace
}  // namespace mundoctor::actors::identity
