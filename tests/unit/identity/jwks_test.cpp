#include "actors/identity/jwks.hpp"

#include <memory>
#include <stdexcept>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "actors/identity/base64.hpp"
#include "actors/identity/jwt.hpp"
#include "tests/unit/identity/test_keys.hpp"

namespace mundoctor::actors::identity {
namespace {

using json = nlohmann::json;

std::string bignum_bytes(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("no RSA parameter");
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return bytes;
}

// The RSA JWK of a key pair, built here from its modulus and exponent.
json rsa_jwk(const rsa_keypair& pair, const std::string& kid) {
  const auto& pem = pair.public_pem;
  std::unique_ptr<BIO, void (*)(BIO*)> bio{
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free_all};
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key{
      PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free};
  if (!key) throw std::runtime_error("bad test key");
  return {{"kty", "RSA"},
          {"kid", kid},
          {"n", base64url_encode(bignum_bytes(key.get(), OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url_encode(bignum_bytes(key.get(), OSSL_PKEY_PARAM_RSA_E))}};
}

json ec_jwk() {
  return {{"kty", "EC"},
          {"crv", "P-256"},
          {"alg", "ES256"},
          {"use", "sig"},
          {"kid", "ec1"},
          {"x", "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4"},
          {"y", "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}};
}

TEST(jwks, keeps_rsa_keys_and_skips_an_ec_key) {
  json doc{{"keys", {ec_jwk(), rsa_jwk(testing::signing_keys(), "k1")}}};
  auto keys = parse_jwks(doc.dump());
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_NE(keys.find("k1"), nullptr);
  EXPECT_EQ(keys.find("ec1"), nullptr);
  EXPECT_EQ(keys.find("k2"), nullptr);
}

TEST(jwks, parsed_keys_verify_tokens) {
  json doc{
      {"keys", {rsa_jwk(testing::signing_keys(), "k1"), rsa_jwk(testing::other_keys(), "k2")}}};
  auto keys = parse_jwks(doc.dump());
  ASSERT_EQ(keys.size(), 2u);
  verify_options opts;
  opts.issuer = testing::test_issuer;
  auto token = sign_rs256_jwt(testing::other_keys().private_pem, testing::rs256_header("k2"),
                              testing::valid_claims());
  EXPECT_TRUE(verify_session_token(token, keys, nullptr, opts).ok());
}

TEST(jwks, skips_keys_for_other_algorithms_or_uses) {
  auto rs512 = rsa_jwk(testing::signing_keys(), "rs512");
  rs512["alg"] = "RS512";
  auto enc = rsa_jwk(testing::signing_keys(), "enc");
  enc["use"] = "enc";
  auto ok = rsa_jwk(testing::signing_keys(), "ok");
  ok["alg"] = "RS256";
  ok["use"] = "sig";
  auto keys = parse_jwks(json{{"keys", {rs512, enc, ok}}}.dump());
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_NE(keys.find("ok"), nullptr);
}

TEST(jwks, skips_short_rsa_keys) {
  auto weak = generate_rsa_keypair(1024);
  json doc{{"keys", {rsa_jwk(weak, "weak"), rsa_jwk(testing::signing_keys(), "k1")}}};
  auto keys = parse_jwks(doc.dump());
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys.find("weak"), nullptr);
  EXPECT_THROW(parse_jwks(json{{"keys", {rsa_jwk(weak, "weak")}}}.dump()), std::invalid_argument);
  EXPECT_THROW(parse_public_pem(weak.public_pem), std::invalid_argument);
}

TEST(jwks, skips_keys_without_kid) {
  auto no_kid = rsa_jwk(testing::signing_keys(), "x");
  no_kid.erase("kid");
  EXPECT_THROW(parse_jwks(json{{"keys", {no_kid}}}.dump()), std::invalid_argument);
}

TEST(jwks, jwks_for_public_pem_round_trips) {
  auto keys = parse_jwks(jwks_for_public_pem(testing::signing_keys().public_pem, "dev"));
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_NE(keys.find("dev"), nullptr);
}

TEST(jwks, throws_on_malformed_json_or_no_usable_key) {
  EXPECT_THROW(parse_jwks("{not json"), std::invalid_argument);
  EXPECT_THROW(parse_jwks("[]"), std::invalid_argument);
  EXPECT_THROW(parse_jwks(R"({"keys":{}})"), std::invalid_argument);
  EXPECT_THROW(parse_jwks(R"({"keys":[]})"), std::invalid_argument);
  EXPECT_THROW(parse_jwks(json{{"keys", {ec_jwk()}}}.dump()), std::invalid_argument);
  auto bad = rsa_jwk(testing::signing_keys(), "k1");
  bad["n"] = "not base64url!";
  EXPECT_THROW(parse_jwks(json{{"keys", {bad}}}.dump()), std::invalid_argument);
}

TEST(jwks, parse_public_pem_accepts_rsa_and_rejects_garbage) {
  EXPECT_NE(parse_public_pem(testing::signing_keys().public_pem), nullptr);
  EXPECT_THROW(parse_public_pem("not a pem"), std::invalid_argument);
  EXPECT_THROW(parse_public_pem(testing::signing_keys().private_pem), std::invalid_argument);
}

TEST(key_store, starts_empty_and_replaces_atomically) {
  key_store store;
  ASSERT_NE(store.current(), nullptr);
  EXPECT_TRUE(store.current()->empty());
  auto before = store.current();
  store.replace(parse_jwks(jwks_for_public_pem(testing::signing_keys().public_pem, "k1")));
  EXPECT_TRUE(before->empty());
  EXPECT_NE(store.current()->find("k1"), nullptr);
  EXPECT_NE(store.last_refresh().time_since_epoch().count(), 0);
}

}  // namespace
}  // namespace mundoctor::actors::identity
