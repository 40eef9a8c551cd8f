#pragma once

// Every setting of the server. Defaults < TOML file (--config PATH) < MUNDOCTOR_* environment.
// The TOML file uses the environment names, lower-case, without the prefix: MUNDOCTOR_LISTEN is
// `listen`, MUNDOCTOR_DATABASE_URL is `database_url`.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mundoctor::config {

struct listen_address {
  std::string host;
  uint16_t port = 0;
};

struct settings {
  // -- environment ------------------------------------------------------------
  std::string env = "development";  // development | test | production
  std::string log_level = "info";   // trace | debug | info | warn | error | critical | off

  // -- HTTP -------------------------------------------------------------------
  std::vector<listen_address> listen{{"127.0.0.1", 8000}, {"127.0.0.1", 8001}};
  std::size_t http_threads = 0;  // 0 = number of cores
  std::size_t body_limit_bytes = 1024 * 1024;
  uint32_t header_timeout_ms = 10'000;     // time to receive the request head
  uint32_t body_timeout_ms = 30'000;       // time to receive the body after the head
  uint32_t keepalive_timeout_ms = 60'000;  // idle time between requests on one connection
  uint32_t request_timeout_ms = 5'000;     // an actor that does not answer in time -> 503
  // Calendar requests (booking decisions, availability) running at once; more wait in arrival
  // order (http/admission.hpp). 0 = 16 per core.
  std::size_t calendar_max_active = 0;
  uint32_t shutdown_grace_ms = 10'000;    // SIGTERM: in-flight requests finish within this
  std::vector<std::string> cors_origins;  // empty in development = localhost dev ports
  bool hsts = false;
  uint32_t rate_limit_rps = 50;     // per IP, sustained requests per second
  uint32_t rate_limit_burst = 200;  // per IP, bucket size
  std::size_t gzip_min_bytes = 1024;
  std::string ops_token;  // secret; protects /ops/*

  // -- actors -----------------------------------------------------------------
  std::size_t actor_threads = 0;  // CAF scheduler workers; 0 = number of cores
  uint32_t passivate_after_s = 300;
  uint32_t supervisor_max_restarts = 5;  // R restarts ...
  uint32_t supervisor_window_s = 10;     // ... in T seconds, then escalate
  uint32_t supervisor_backoff_ms = 100;  // first restart delay, doubled up to the max
  uint32_t supervisor_backoff_max_ms = 5'000;

  // -- persistence ------------------------------------------------------------
  std::string database_url = "postgresql://postgres@127.0.0.1:55432/mundoctor";  // secret
  std::size_t db_pool_size = 8;
  std::size_t db_read_pool_size = 0;  // directory reads; 0 = CPU cores + 1
  uint32_t db_connect_timeout_s = 3;
  bool auto_migrate = true;
  std::string redis_url;  // optional: redis://host:port[/db]; empty = in-process fallbacks

  // -- data -------------------------------------------------------------------
  std::string data_key;  // secret: base64 of 32 bytes, AES-256-GCM for medical free text
  std::string upload_dir = "var/uploads";

  // -- identity (Clerk) -------------------------------------------------------
  std::string auth_jwks_url;
  std::string auth_jwt_key;
  std::string auth_issuer;
  std::vector<std::string> auth_authorized_parties;
  std::string clerk_webhook_secret;  // secret
  std::string clerk_api_url;
  std::string clerk_secret_key;         // secret
  uint32_t jwt_leeway_s = 5;            // clock skew accepted on exp / nbf
  uint32_t jwks_min_refresh_s = 30;     // unknown kids refresh the JWKS at most this often
  std::string dev_key_dir = "var/dev";  // development only: the dev-token signing key pair
  uint32_t user_rate_limit_rps = 20;    // per authenticated user
  uint32_t user_rate_limit_burst = 60;
  uint32_t user_cache_ttl_s = 30;   // how long a resolved user (role, status) is reused
  uint32_t audit_flush_ms = 200;    // audit records are written in batches this often
  uint32_t clerk_max_attempts = 5;  // Clerk write-back attempts before giving up
};

}  // namespace mundoctor::config
