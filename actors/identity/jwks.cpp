#include "actors/identity/jwks.hpp"

#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/spawn_options.hpp>
#include <curl/curl.h>
#include <spdlog/spdlog.h>

namespace mundoctor::actors::identity {

namespace {

constexpr size_t max_document_size = 1024 * 1024;
constexpr auto fetch_timeout = std::chrono::seconds{10};

struct download {
  std::string body;
  bool too_large = false;
};

size_t on_data(char* data, size_t size, size_t count, void* user) {
  auto* d = static_cast<download*>(user);
  size_t bytes = size * count;
  if (d->body.size() + bytes > max_document_size) {
    d->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  d->body.append(data, bytes);
  return bytes;
}

void init_curl_once() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      throw std::runtime_error("curl_global_init failed");
  });
}

void configure(CURL* curl, const std::string& url, std::chrono::milliseconds timeout, download& d) {
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,file");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 3L);
  curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_document_size));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &d);
}

// State of the fetcher actor.
struct fetcher_state {
  std::string url;
  std::shared_ptr<key_store> store;
  std::chrono::seconds min_interval{0};
  std::optional<std::chrono::steady_clock::time_point> last_attempt;
};

// Fetches and installs a key set; false (and a log line) on any failure.
bool fetch_and_install(fetcher_state& st) {
  st.last_attempt = std::chrono::steady_clock::now();
  try {
    st.store->replace(parse_jwks(fetch_url(st.url, fetch_timeout)));
    spdlog::info("JWKS loaded ({} keys)", st.store->current()->size());
    return true;
  } catch (const std::exception& e) {
    spdlog::warn("JWKS fetch failed: {}", e.what());
    return false;
  }
}

caf::behavior jwks_fetcher(caf::event_based_actor* /*self*/, std::shared_ptr<fetcher_state> st) {
  fetch_and_install(*st);  // runs on the actor's own thread: the actor is detached
  return {
      [st](refresh_atom) {
        auto now = std::chrono::steady_clock::now();
        if (st->last_attempt && now - *st->last_attempt < st->min_interval) return false;
        return fetch_and_install(*st);
      },
  };
}

}  // namespace

key_store::key_store() : keys_(std::make_shared<const key_set>()) {}

std::shared_ptr<const key_set> key_store::current() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return keys_;
}

void key_store::replace(key_set keys) {
  auto fresh = std::make_shared<const key_set>(std::move(keys));
  std::lock_guard<std::mutex> guard{mutex_};
  keys_ = std::move(fresh);
  last_refresh_ = std::chrono::system_clock::now();
}

std::chrono::system_clock::time_point key_store::last_refresh() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return last_refresh_;
}

std::string fetch_url(const std::string& url, std::chrono::milliseconds timeout) {
  init_curl_once();
  std::unique_ptr<CURL, void (*)(CURL*)> curl{curl_easy_init(), curl_easy_cleanup};
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  download d;
  configure(curl.get(), url, timeout, d);
  auto rc = curl_easy_perform(curl.get());
  if (d.too_large || rc == CURLE_FILESIZE_EXCEEDED)
    throw std::runtime_error("document larger than 1 MiB");
  if (rc != CURLE_OK)
    throw std::runtime_error(std::string{"fetch failed: "} + curl_easy_strerror(rc));
  return std::move(d.body);
}

caf::actor spawn_jwks_fetcher(caf::actor_system& sys, std::string url,
                              std::shared_ptr<key_store> store, std::chrono::seconds min_interval) {
  auto st = std::make_shared<fetcher_state>();
  st->url = std::move(url);
  st->store = std::move(store);
  st->min_interval = min_interval;
  return sys.spawn<caf::detached>(jwks_fetcher, std::move(st));
}

}  // namespace mundoctor::actors::identity
