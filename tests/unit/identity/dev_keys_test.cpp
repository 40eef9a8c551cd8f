#include "actors/identity/dev_keys.hpp"

#include <filesystem>
#include <random>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "actors/identity/jwt.hpp"
#include "tests/unit/identity/test_keys.hpp"

namespace mundoctor::actors::identity {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777U;
}

TEST(dev_keys, generates_a_pem_key_pair) {
  const auto& pair = testing::signing_keys();
  EXPECT_NE(pair.private_pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_NE(pair.public_pem.find("-----BEGIN PUBLIC KEY-----"), std::string::npos);
  EXPECT_NE(parse_public_pem(pair.public_pem), nullptr);
}

TEST(dev_keys, creates_the_key_files_once_and_loads_them_afterwards) {
  std::random_device rd;
  auto base = fs::temp_directory_path() / ("mundoctor-devkeys-" + std::to_string(rd()));
  auto dir = base / "dev";
  auto created = ensure_dev_keypair(dir.string());
  EXPECT_EQ(mode_of(dir), 0700U);
  EXPECT_EQ(mode_of(dir / "jwt-private.pem"), 0600U);
  EXPECT_EQ(mode_of(dir / "jwt-public.pem"), 0644U);
  auto loaded = ensure_dev_keypair(dir.string());
  EXPECT_EQ(loaded.private_pem, created.private_pem);
  EXPECT_EQ(loaded.public_pem, created.public_pem);
  std::error_code ec;
  fs::remove_all(base, ec);
}

TEST(dev_keys, session_tokens_carry_the_expected_claims) {
  auto token =
      make_session_token(testing::signing_keys().private_pem, "user_1", testing::test_issuer, 120s);
  verify_options opts;
  opts.issuer = testing::test_issuer;
  auto r = verify_session_token(token, key_set{},
                                parse_public_pem(testing::signing_keys().public_pem), opts);
  ASSERT_TRUE(r.ok()) << r.reason;
  EXPECT_EQ(r.token.kid, "dev");
  EXPECT_EQ(r.token.exp - r.token.iat, 120);
  auto other =
      make_session_token(testing::signing_keys().private_pem, "user_1", testing::test_issuer, 120s);
  auto r2 = verify_session_token(other, key_set{},
                                 parse_public_pem(testing::signing_keys().public_pem), opts);
  EXPECT_NE(r.token.session_id, r2.token.session_id);
}

TEST(dev_keys, signing_needs_a_private_key) {
  EXPECT_THROW(sign_rs256_jwt(testing::signing_keys().public_pem, testing::rs256_header(),
                              testing::valid_claims()),
               std::runtime_error);
}

}  // namespace
}  // namespace mundoctor::actors::identity
