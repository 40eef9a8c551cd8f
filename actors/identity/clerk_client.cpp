#include "actors/identity/clerk_client.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/spawn_options.hpp>
#include <caf/stateful_actor.hpp>
#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/identity.hpp"

namespace mundoctor::actors::identity {

namespace {

using clerk_retry_atom = caf::atom_constant<caf::atom("clerk_rtry")>;

constexpr long connect_timeout_ms = 5'000;
constexpr long request_timeout_ms = 15'000;
constexpr auto max_backoff = std::chrono::minutes{5};

struct clerk_config {
  std::string api_url;
  std::string secret_key;
  uint32_t max_attempts = 5;
  std::chrono::milliseconds backoff{1'000};
};

struct clerk_state {
  clerk_config config;
  clerk_client_stats stats;
};

using clerk_actor = caf::stateful_actor<clerk_state>;

size_t discard_body(char*, size_t size, size_t count, void*) { return size * count; }

struct curl_deleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

std::string metadata_url(CURL* curl, const clerk_config& cfg, const std::string& user_id) {
  auto base = cfg.api_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  char* escaped = curl_easy_escape(curl, user_id.c_str(), static_cast<int>(user_id.size()));
  std::string url = base + "/v1/users/" + (escaped != nullptr ? escaped : "") + "/metadata";
  curl_free(escaped);
  return url;
}

// One PATCH; the HTTP status, or 0 when no response arrived (network error, timeout).
long patch_metadata(const clerk_config& cfg, const std::string& user_id, const std::string& body) {
  std::unique_ptr<CURL, curl_deleter> curl{curl_easy_init()};
  if (!curl) return 0;
  auto url = metadata_url(curl.get(), cfg, user_id);
  auto auth = "Authorization: Bearer " + cfg.secret_key;
  curl_slist* raw = curl_slist_append(nullptr, auth.c_str());
  raw = curl_slist_append(raw, "Content-Type: application/json");
  raw = curl_slist_append(raw, "Expect:");
  std::unique_ptr<curl_slist, curl_deleter> headers{raw};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, "PATCH");
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, request_timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, discard_body);
  if (curl_easy_perform(curl.get()) != CURLE_OK) return 0;
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  return status;
}

bool retryable(long status) { return status == 0 || status == 429 || status >= 500; }

std::optional<std::string> request_body(const std::string& pub, const std::string& unsafe) {
  auto p = nlohmann::json::parse(pub, nullptr, false);
  auto u = nlohmann::json::parse(unsafe, nullptr, false);
  if (p.is_discarded() || u.is_discarded()) return std::nullopt;
  return nlohmann::json{{"public_metadata", p}, {"unsafe_metadata", u}}.dump();
}

void attempt(clerk_actor* self, const std::string& id, const std::string& pub,
             const std::string& unsafe, uint32_t number) {
  auto& st = self->state;
  auto body = request_body(pub, unsafe);
  if (st.config.api_url.empty() || !body) {
    ++st.stats.failed;
    spdlog::warn("clerk metadata for {} not sent: {}", id,
                 body ? "no Clerk API URL configured" : "metadata is not JSON");
    return;
  }
  ++st.stats.requests;
  auto status = patch_metadata(st.config, id, *body);
  if (status >= 200 && status < 300) {
    ++st.stats.sent;
    spdlog::info("clerk metadata for {} updated (attempt {})", id, number);
    return;
  }
  if (!retryable(status) || number >= st.config.max_attempts) {
    ++st.stats.failed;
    spdlog::error("clerk metadata for {} not updated: status {} after {} attempt(s)", id, status,
                  number);
    return;
  }
  auto factor = int64_t{1} << std::min(number - 1, 20U);
  auto delay = std::min<std::chrono::milliseconds>(st.config.backoff * factor, max_backoff);
  spdlog::warn("clerk metadata for {}: status {}, retrying in {} ms", id, status, delay.count());
  self->delayed_send(self, delay, clerk_retry_atom::value, id, pub, unsafe, number + 1);
}

caf::behavior clerk_client(clerk_actor* self, clerk_config config) {
  self->state.config = std::move(config);
  return {
      [self](clerk_metadata_atom, const std::string& id, const std::string& pub,
             const std::string& unsafe) { attempt(self, id, pub, unsafe, 1); },
      [self](clerk_retry_atom, const std::string& id, const std::string& pub,
             const std::string& unsafe,
             uint32_t number) { attempt(self, id, pub, unsafe, number); },
      [self](stats_atom) { return self->state.stats; },
  };
}

}  // namespace

caf::actor spawn_clerk_client(caf::actor_system& sys, const config::settings& settings,
                              std::chrono::milliseconds backoff) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  clerk_config config{settings.clerk_api_url, settings.clerk_secret_key,
                      std::max<uint32_t>(settings.clerk_max_attempts, 1), backoff};
  return sys.spawn<caf::detached>(clerk_client, std::move(config));
}

}  // namespace mundoctor::actors::identity
