#include "actors/identity/jwt.hpp"

#include <cmath>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "actors/identity/base64.hpp"

namespace mundoctor::actors::identity {

namespace {

// Far above any real session token; keeps hostile input from costing much.
constexpr size_t max_token_size = 16 * 1024;

using json = nlohmann::json;

struct token_parts {
  std::string_view header;
  std::string_view payload;
  std::string_view signature;
  std::string_view signed_part;  // "header.payload"
};

std::optional<token_parts> split_token(std::string_view token) {
  auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  token_parts parts{token.substr(0, first), token.substr(first + 1, second - first - 1),
                    token.substr(second + 1), token.substr(0, second)};
  if (parts.header.empty() || parts.payload.empty() || parts.signature.empty()) return std::nullopt;
  return parts;
}

// A base64url segment holding a JSON object; nullopt otherwise.
std::optional<json> decode_object(std::string_view segment) {
  auto text = base64url_decode(segment);
  if (!text) return std::nullopt;
  auto doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

bool verify_rs256(evp_pkey_st* key, std::string_view signed_part, const std::string& signature) {
  if (EVP_PKEY_is_a(key, "RSA") != 1) return false;
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestVerifyUpdate(ctx.get(), signed_part.data(), signed_part.size()) != 1)
    return false;
  return EVP_DigestVerifyFinal(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                               signature.size()) == 1;
}

verify_result fail(token_failure failure, std::string reason) {
  verify_result r;
  r.failure = failure;
  r.reason = std::move(reason);
  return r;
}

// A NumericDate claim: absent -> nullopt with ok; present and not a finite number -> !ok.
struct numeric_claim {
  bool ok = true;
  std::optional<int64_t> value;
};

numeric_claim read_numeric(const json& payload, const char* name) {
  auto it = payload.find(name);
  if (it == payload.end()) return {};
  if (it->is_number_integer()) return {true, it->get<int64_t>()};
  if (!it->is_number_float()) return {false, std::nullopt};
  double d = it->get<double>();
  constexpr double limit = 9.0e18;
  if (!std::isfinite(d) || d > limit || d < -limit) return {false, std::nullopt};
  return {true, static_cast<int64_t>(std::floor(d))};
}

// Reads an optional string claim into `out`; false when present but not a string.
bool read_string(const json& payload, const char* name, std::string& out) {
  auto it = payload.find(name);
  if (it == payload.end()) return true;
  if (!it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

// The header: alg exactly RS256, typ JWT when present; returns the kid (may be empty).
std::optional<std::string> check_header(const json& header, std::string& reason) {
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || alg->get<std::string>() != "RS256") {
    reason = "unsupported alg";
    return std::nullopt;
  }
  auto typ = header.find("typ");
  if (typ != header.end() && (!typ->is_string() || typ->get<std::string>() != "JWT")) {
    reason = "unsupported typ";
    return std::nullopt;
  }
  std::string kid;
  if (!read_string(header, "kid", kid)) {
    reason = "kid is not a string";
    return std::nullopt;
  }
  return kid;
}

bool authorized_party_allowed(const std::string& azp, const std::vector<std::string>& allowed) {
  if (azp.empty() || allowed.empty()) return true;
  for (const auto& party : allowed)
    if (party == azp) return true;
  return false;
}

verify_result check_times(verify_result r, const json& payload, const verify_options& opts) {
  auto exp = read_numeric(payload, "exp");
  auto nbf = read_numeric(payload, "nbf");
  auto iat = read_numeric(payload, "iat");
  if (!exp.ok || !nbf.ok || !iat.ok) return fail(token_failure::invalid, "non-numeric time claim");
  if (!exp.value) return fail(token_failure::invalid, "exp missing");
  auto now = std::chrono::duration_cast<std::chrono::seconds>(opts.now.time_since_epoch()).count();
  auto leeway = opts.leeway.count();
  if (now > *exp.value + leeway) return fail(token_failure::expired, "token expired");
  if (nbf.value && now < *nbf.value - leeway) return fail(token_failure::invalid, "not yet valid");
  r.token.exp = *exp.value;
  r.token.iat = iat.value.value_or(0);
  return r;
}

verify_result check_claims(verify_result r, const json& payload, const verify_options& opts) {
  auto& t = r.token;
  if (!read_string(payload, "sub", t.sub) || t.sub.empty())
    return fail(token_failure::invalid, "sub missing");
  if (!read_string(payload, "iss", t.issuer) || t.issuer.empty() || t.issuer != opts.issuer)
    return fail(token_failure::invalid, "issuer mismatch");
  if (!read_string(payload, "azp", t.azp) || !read_string(payload, "sid", t.session_id))
    return fail(token_failure::invalid, "azp or sid is not a string");
  if (!authorized_party_allowed(t.azp, opts.authorized_parties))
    return fail(token_failure::invalid, "azp not authorized");
  return check_times(std::move(r), payload, opts);
}

verify_result verify_unchecked(std::string_view token, const key_set& keys,
                               const public_key& single_key, const verify_options& opts) {
  if (token.empty()) return fail(token_failure::missing, "no token");
  if (token.size() > max_token_size) return fail(token_failure::invalid, "token too large");
  auto parts = split_token(token);
  if (!parts) return fail(token_failure::invalid, "not three segments");
  auto header = decode_object(parts->header);
  if (!header) return fail(token_failure::invalid, "malformed header");
  verify_result r;
  auto kid = check_header(*header, r.reason);
  if (!kid) return fail(token_failure::invalid, r.reason);
  r.token.kid = *kid;
  auto key = single_key;
  if (!key) {
    if (kid->empty()) return fail(token_failure::unknown_kid, "kid missing");
    key = keys.find(*kid);
    if (!key) return fail(token_failure::unknown_kid, "unknown kid");
  }
  auto signature = base64url_decode(parts->signature);
  if (!signature || !verify_rs256(key.get(), parts->signed_part, *signature))
    return fail(token_failure::invalid, "bad signature");
  auto payload = decode_object(parts->payload);
  if (!payload) return fail(token_failure::invalid, "malformed payload");
  if (opts.issuer.empty()) return fail(token_failure::invalid, "no issuer configured");
  return check_claims(std::move(r), *payload, opts);
}

}  // namespace

const char* to_string(token_failure failure) {
  switch (failure) {
    case token_failure::none:
      return "none";
    case token_failure::missing:
      return "missing";
    case token_failure::expired:
      return "expired";
    case token_failure::invalid:
      return "invalid";
    case token_failure::unknown_kid:
      return "unknown_kid";
  }
  return "invalid";
}

verify_result verify_session_token(std::string_view token, const key_set& keys,
                                   const public_key& single_key, const verify_options& opts) {
  try {
    return verify_unchecked(token, keys, single_key, opts);
  } catch (...) {
    return fail(token_failure::invalid, "verification error");
  }
}

}  // namespace mundoctor::actors::identity
