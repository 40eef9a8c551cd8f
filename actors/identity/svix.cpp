#include "actors/identity/svix.hpp"

#include <charconv>
#include <optional>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "actors/identity/base64.hpp"

namespace mundoctor::actors::identity {

namespace {

constexpr std::string_view secret_prefix = "whsec_";

std::optional<std::string> secret_key(const std::string& secret) {
  std::string_view s{secret};
  if (s.substr(0, secret_prefix.size()) != secret_prefix) return std::nullopt;
  auto key = base64_decode(s.substr(secret_prefix.size()));
  if (!key || key->empty()) return std::nullopt;
  return key;
}

std::string hmac_sha256(const std::string& key, std::string_view msg_id, std::string_view timestamp,
                        std::string_view body) {
  std::string content;
  content.reserve(msg_id.size() + timestamp.size() + body.size() + 2);
  content.append(msg_id).append(".").append(timestamp).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac,
           &mac_size) == nullptr)
    throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(mac), mac_size);
}

std::optional<int64_t> parse_seconds(std::string_view text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

bool stale(int64_t ts, std::chrono::system_clock::time_point now, std::chrono::seconds tolerance) {
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  auto diff = now_s > ts ? now_s - ts : ts - now_s;
  return diff > tolerance.count();
}

// True when one "v1,<base64>" entry of the header equals `expected` (raw MAC bytes).
bool any_signature_matches(std::string_view header, const std::string& expected) {
  bool matched = false;
  while (!header.empty()) {
    auto space = header.find(' ');
    auto entry = header.substr(0, space);
    header = space == std::string_view::npos ? std::string_view{} : header.substr(space + 1);
    if (entry.substr(0, 3) != "v1,") continue;
    auto candidate = base64_decode(entry.substr(3));
    if (candidate && candidate->size() == expected.size() &&
        CRYPTO_memcmp(candidate->data(), expected.data(), expected.size()) == 0)
      matched = true;
  }
  return matched;
}

}  // namespace

const char* to_string(svix_failure failure) {
  switch (failure) {
    case svix_failure::none:
      return "none";
    case svix_failure::missing_headers:
      return "missing_headers";
    case svix_failure::bad_secret:
      return "bad_secret";
    case svix_failure::stale_timestamp:
      return "stale_timestamp";
    case svix_failure::bad_signature:
      return "bad_signature";
  }
  return "bad_signature";
}

svix_failure verify_svix(const std::string& secret, std::string_view msg_id,
                         std::string_view timestamp, std::string_view signature_header,
                         std::string_view body, std::chrono::system_clock::time_point now,
                         std::chrono::seconds tolerance) {
  if (msg_id.empty() || timestamp.empty() || signature_header.empty())
    return svix_failure::missing_headers;
  auto key = secret_key(secret);
  if (!key) return svix_failure::bad_secret;
  auto ts = parse_seconds(timestamp);
  if (!ts || stale(*ts, now, tolerance)) return svix_failure::stale_timestamp;
  try {
    auto expected = hmac_sha256(*key, msg_id, timestamp, body);
    return any_signature_matches(signature_header, expected) ? svix_failure::none
                                                             : svix_failure::bad_signature;
  } catch (const std::exception&) {
    return svix_failure::bad_signature;
  }
}

std::string sign_svix(const std::string& secret, std::string_view msg_id,
                      std::string_view timestamp, std::string_view body) {
  auto key = secret_key(secret);
  if (!key) throw std::invalid_argument("webhook secret must be whsec_<base64>");
  return "v1," + base64_encode(hmac_sha256(*key, msg_id, timestamp, body));
}

}  // namespace mundoctor::actors::identity
