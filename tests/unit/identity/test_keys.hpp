#pragma once

// Key pairs shared by the identity tests (RSA generation is slow, so each is made once).

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/identity/dev_keys.hpp"

namespace mundoctor::actors::identity::testing {

inline const rsa_keypair& signing_keys() {
  static const rsa_keypair keys = generate_rsa_keypair();
  return keys;
}

inline const rsa_keypair& other_keys() {
  static const rsa_keypair keys = generate_rsa_keypair();
  return keys;
}

inline constexpr const char* test_issuer = "https://clerk.example.test";

inline int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline nlohmann::json rs256_header(const std::string& kid = "k1") {
  return {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}};
}

/// Claims of a token that is valid for the next ten minutes.
inline nlohmann::json valid_claims() {
  auto now = unix_now();
  return {{"sub", "user_123"}, {"iss", test_issuer}, {"iat", now},
          {"nbf", now},        {"exp", now + 600},   {"sid", "sess_1"}};
}

}  // namespace mundoctor::actors::identity::testing
