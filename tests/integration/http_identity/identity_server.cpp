#include "tests/integration/http_identity/identity_server.hpp"

#include <chrono>
#include <random>

#include "actors/identity/base64.hpp"
#include "actors/identity/dev_keys.hpp"

namespace mundoctor::testing {

const std::string& test_webhook_secret() {
  static const std::string secret = [] {
    std::mt19937_64 gen{std::random_device{}()};
    std::uniform_int_distribution<int> byte{0, 255};
    std::string bytes;
    for (int i = 0; i < 24; ++i) bytes.push_back(static_cast<char>(byte(gen)));
    return "whsec_" + actors::identity::base64_encode(bytes);
  }();
  return secret;
}

void identity_test::configure(config::settings& s) const {
  s.auth_authorized_parties = {test_party};
  s.clerk_webhook_secret = test_webhook_secret();
}

config::settings identity_test::identity_settings() const {
  auto s = api_settings();
  configure(s);
  return s;
}

std::string identity_test::sign(const nlohmann::json& header, const nlohmann::json& payload) {
  return actors::identity::sign_rs256_jwt(test_keys().private_pem, header, payload);
}

nlohmann::json identity_test::claims_for(const std::string& sub) {
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return {{"iss", test_issuer}, {"sub", sub},        {"iat", now},
          {"nbf", now - 1},     {"exp", now + 3600}, {"sid", "sess_" + random_token()}};
}

}  // namespace mundoctor::testing
