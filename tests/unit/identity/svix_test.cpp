#include "actors/identity/svix.hpp"

#include <gtest/gtest.h>

#include "actors/identity/base64.hpp"

namespace mundoctor::actors::identity {
namespace {

using namespace std::chrono_literals;

// The example delivery of the Svix documentation.
const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view msg_id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::string_view timestamp = "1614265330";
constexpr std::string_view body = R"({"test": 2432232314})";
constexpr std::string_view expected_signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

std::chrono::system_clock::time_point at(int64_t unix_seconds) {
  return std::chrono::system_clock::time_point{std::chrono::seconds{unix_seconds}};
}

const auto delivery_time = at(1614265330);

TEST(svix, signs_like_the_reference_implementation) {
  EXPECT_EQ(sign_svix(secret, msg_id, timestamp, body), expected_signature);
}

TEST(svix, accepts_a_valid_signature) {
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, expected_signature, body, delivery_time),
            svix_failure::none);
}

TEST(svix, accepts_when_one_of_several_signatures_matches) {
  std::string header = "v1,bm90IHRoZSByaWdodCBvbmU= v2,abc " + std::string{expected_signature};
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, header, body, delivery_time),
            svix_failure::none);
}

TEST(svix, rejects_a_signature_made_with_another_secret) {
  auto other = "whsec_" + base64_encode("another secret of some length");
  auto sig = sign_svix(other, msg_id, timestamp, body);
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, sig, body, delivery_time),
            svix_failure::bad_signature);
}

TEST(svix, rejects_a_tampered_body) {
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, expected_signature, R"({"test": 2432232315})",
                        delivery_time),
            svix_failure::bad_signature);
}

TEST(svix, rejects_a_different_message_id) {
  EXPECT_EQ(verify_svix(secret, "msg_other", timestamp, expected_signature, body, delivery_time),
            svix_failure::bad_signature);
}

TEST(svix, rejects_stale_and_future_timestamps) {
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, expected_signature, body, delivery_time + 301s),
            svix_failure::stale_timestamp);
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, expected_signature, body, delivery_time - 301s),
            svix_failure::stale_timestamp);
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, expected_signature, body, delivery_time + 299s),
            svix_failure::none);
  EXPECT_EQ(verify_svix(secret, msg_id, "16142653x0", expected_signature, body, delivery_time),
            svix_failure::stale_timestamp);
}

TEST(svix, rejects_missing_headers) {
  EXPECT_EQ(verify_svix(secret, "", timestamp, expected_signature, body, delivery_time),
            svix_failure::missing_headers);
  EXPECT_EQ(verify_svix(secret, msg_id, "", expected_signature, body, delivery_time),
            svix_failure::missing_headers);
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, "", body, delivery_time),
            svix_failure::missing_headers);
}

TEST(svix, ignores_versions_other_than_v1) {
  std::string v2_only = "v2," + std::string{expected_signature.substr(3)};
  EXPECT_EQ(verify_svix(secret, msg_id, timestamp, v2_only, body, delivery_time),
            svix_failure::bad_signature);
}

TEST(svix, rejects_a_malformed_secret) {
  EXPECT_EQ(verify_svix("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", msg_id, timestamp, expected_signature,
                        body, delivery_time),
            svix_failure::bad_secret);
  EXPECT_EQ(
      verify_svix("whsec_not*base64", msg_id, timestamp, expected_signature, body, delivery_time),
      svix_failure::bad_secret);
  EXPECT_THROW(sign_svix("whsec_", msg_id, timestamp, body), std::invalid_argument);
}

}  // namespace
}  // namespace mundoctor::actors::identity
