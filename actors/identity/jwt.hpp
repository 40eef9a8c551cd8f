#pragma once

// Verification of RS256 session tokens (Clerk session JWTs): the key set they are checked
// against, JWKS and PEM parsing, and the claim rules of API.md section 2. Pure functions: no I/O.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// OpenSSL's EVP_PKEY, forward-declared so that this header does not pull in <openssl/evp.h>.
struct evp_pkey_st;

namespace mundoctor::actors::identity {

using public_key = std::shared_ptr<evp_pkey_st>;

/// Public keys by key id (the JWT header's "kid").
class key_set {
 public:
  /// Adds or replaces the key under `kid`.
  void add(std::string kid, public_key key);

  /// nullptr when no key has that id.
  public_key find(const std::string& kid) const;

  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  std::unordered_map<std::string, public_key> keys_;
};

/// Parses a JWKS document ({"keys":[...]}). Only RSA signing keys are kept (kty "RSA", alg
/// "RS256" or absent, use "sig" or absent, a kid, at least 2048 bits); others are skipped.
/// Throws std::invalid_argument on malformed JSON or when no usable key remains.
key_set parse_jwks(const std::string& json);

/// Parses one PEM public key (SubjectPublicKeyInfo). Throws std::invalid_argument unless it is an
/// RSA key of at least 2048 bits.
public_key parse_public_pem(const std::string& pem);

enum class token_failure : uint8_t { none, missing, expired, invalid, unknown_kid };

/// Human-readable name of a failure ("expired", ...), for logs.
const char* to_string(token_failure failure);

struct verified_token {
  std::string sub;
  std::string azp;
  std::string kid;
  std::string issuer;
  std::string session_id;  // the "sid" claim
  int64_t exp = 0;
  int64_t iat = 0;
};

struct verify_options {
  std::string issuer;                           // required: tokens must carry exactly this iss
  std::vector<std::string> authorized_parties;  // checked against azp when both are present
  std::chrono::seconds leeway{5};               // clock skew accepted on exp and nbf
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

struct verify_result {
  token_failure failure = token_failure::none;
  std::string reason;  // for logs only; never contains the token
  verified_token token;

  bool ok() const { return failure == token_failure::none; }
};

/// Verifies an RS256 JWT. With `single_key` set, that key is used and the kid is ignored;
/// otherwise the header's kid selects the key from `keys`. Never throws.
verify_result verify_session_token(std::string_view token, const key_set& keys,
                                   const public_key& single_key, const verify_options& opts);

}  // namespace mundoctor::actors::identity
