#pragma once

// Development signing keys and token minting: the dev-token script and the tests sign RS256
// session tokens with a local key pair instead of Clerk's.

#include <chrono>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace mundoctor::actors::identity {

struct rsa_keypair {
  std::string private_pem;  // PKCS#8 "PRIVATE KEY"
  std::string public_pem;   // SubjectPublicKeyInfo "PUBLIC KEY"
};

/// A fresh RSA key pair. Throws std::runtime_error when OpenSSL fails.
rsa_keypair generate_rsa_keypair(int bits = 2048);

/// Loads dir/jwt-private.pem and dir/jwt-public.pem, or creates them when either is missing
/// (dir mode 0700, private key 0600, public key 0644). Throws std::runtime_error on I/O errors.
rsa_keypair ensure_dev_keypair(const std::string& dir);

/// base64url(header).base64url(payload).base64url(RS256 signature), both JSON values dumped as
/// given, so tests can mint malformed tokens too. Throws std::runtime_error on a bad key.
std::string sign_rs256_jwt(const std::string& private_pem, const nlohmann::json& header,
                           const nlohmann::json& payload);

/// A session token like Clerk's: header {alg RS256, typ JWT, kid}, claims sub, iss, iat, nbf,
/// exp = now + ttl and a random sid.
std::string make_session_token(const std::string& private_pem, const std::string& sub,
                               const std::string& issuer, std::chrono::seconds ttl,
                               const std::string& kid = "dev");

/// A JWKS document ({"keys":[{kty RSA, use sig, alg RS256, kid, n, e}]}) for a PEM public key.
/// Throws std::invalid_argument when the PEM is not an RSA public key.
std::string jwks_for_public_pem(const std::string& public_pem, const std::string& kid);

}  // namespace mundoctor::actors::identity
