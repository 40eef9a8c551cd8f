// key_set, JWKS and PEM parsing (declared in jwt.hpp).

#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "actors/identity/base64.hpp"
#include "actors/identity/jwt.hpp"

namespace mundoctor::actors::identity {

namespace {

constexpr int min_rsa_bits = 2048;

template <class T, void (*Free)(T*)>
struct openssl_deleter {
  void operator()(T* p) const { Free(p); }
};

using bn_ptr = std::unique_ptr<BIGNUM, openssl_deleter<BIGNUM, BN_free>>;
using param_bld_ptr =
    std::unique_ptr<OSSL_PARAM_BLD, openssl_deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using params_ptr = std::unique_ptr<OSSL_PARAM, openssl_deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using pkey_ctx_ptr =
    std::unique_ptr<EVP_PKEY_CTX, openssl_deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using bio_ptr = std::unique_ptr<BIO, openssl_deleter<BIO, BIO_free_all>>;

public_key adopt(EVP_PKEY* key) { return public_key{key, EVP_PKEY_free}; }

bool usable_rsa(const EVP_PKEY* key) {
  return key != nullptr && EVP_PKEY_is_a(key, "RSA") == 1 && EVP_PKEY_get_bits(key) >= min_rsa_bits;
}

bn_ptr to_bignum(const std::string& bytes) {
  return bn_ptr{BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()), nullptr)};
}

// Builds an RSA public key from the big-endian modulus and exponent; nullptr on failure.
public_key rsa_from_components(const std::string& n_bytes, const std::string& e_bytes) {
  auto n = to_bignum(n_bytes);
  auto e = to_bignum(e_bytes);
  param_bld_ptr bld{OSSL_PARAM_BLD_new()};
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1)
    return nullptr;
  params_ptr params{OSSL_PARAM_BLD_to_param(bld.get())};
  pkey_ctx_ptr ctx{EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr)};
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return nullptr;
  return adopt(raw);
}

std::string string_member(const nlohmann::json& jwk, const char* name) {
  auto it = jwk.find(name);
  return it != jwk.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool absent_or_equal(const nlohmann::json& jwk, const char* name, const char* expected) {
  auto it = jwk.find(name);
  return it == jwk.end() || (it->is_string() && it->get<std::string>() == expected);
}

// One JWK to an RSA signing key; nullptr when the entry is not one we can use.
public_key rsa_signing_key(const nlohmann::json& jwk) {
  if (!jwk.is_object() || string_member(jwk, "kty") != "RSA") return nullptr;
  if (!absent_or_equal(jwk, "alg", "RS256") || !absent_or_equal(jwk, "use", "sig")) return nullptr;
  auto n = base64url_decode(string_member(jwk, "n"));
  auto e = base64url_decode(string_member(jwk, "e"));
  if (!n || !e || n->empty() || e->empty()) return nullptr;
  auto key = rsa_from_components(*n, *e);
  return usable_rsa(key.get()) ? key : nullptr;
}

}  // namespace

void key_set::add(std::string kid, public_key key) { keys_[std::move(kid)] = std::move(key); }

public_key key_set::find(const std::string& kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : it->second;
}

key_set parse_jwks(const std::string& json) {
  auto doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw std::invalid_argument("JWKS is not a JSON object");
  auto keys = doc.find("keys");
  if (keys == doc.end() || !keys->is_array())
    throw std::invalid_argument("JWKS has no \"keys\" array");
  key_set result;
  for (const auto& jwk : *keys) {
    auto kid = string_member(jwk, "kid");
    if (kid.empty()) continue;
    if (auto key = rsa_signing_key(jwk)) result.add(std::move(kid), std::move(key));
  }
  if (result.empty()) throw std::invalid_argument("JWKS holds no usable RS256 key");
  return result;
}

public_key parse_public_pem(const std::string& pem) {
  bio_ptr bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  if (!bio) throw std::invalid_argument("cannot read the PEM key");
  auto key = adopt(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) throw std::invalid_argument("not a PEM public key");
  if (EVP_PKEY_is_a(key.get(), "RSA") != 1)
    throw std::invalid_argument("the PEM public key is not an RSA key");
  if (EVP_PKEY_get_bits(key.get()) < min_rsa_bits)
    throw std::invalid_argument("the PEM public key is shorter than 2048 bits");
  return key;
}

}  // namespace mundoctor::actors::identity
