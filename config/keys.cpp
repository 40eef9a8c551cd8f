// The one table of configuration keys, and what is derived from it: describe() and help_text().
// Adding a setting = a field in settings.hpp + one entry here.

#include <algorithm>
#include <cctype>
#include <sstream>

#include "config/config.hpp"

namespace mundoctor::config {
namespace {

constexpr uint64_t kib = 1024;
constexpr uint64_t mib = 1024 * kib;
constexpr uint64_t max_ms = 24ULL * 3600 * 1000;  // one day
constexpr uint64_t max_s = 7ULL * 24 * 3600;      // one week

using validator = void (*)(std::string_view);
using string_field = std::string settings::*;
using list_field = std::vector<std::string> settings::*;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// -- validators for string keys (never repeat the value: some are secrets) -------------------

void require_non_empty(std::string_view v) {
  if (v.empty()) throw value_error("must not be empty");
}

void check_database_url(std::string_view v) {
  require_non_empty(v);
  if (!starts_with(v, "postgresql://") && !starts_with(v, "postgres://") &&
      v.find('=') == std::string_view::npos)
    throw value_error("is not a postgresql:// URL or a libpq key=value string");
}

void check_redis_url(std::string_view v) {
  if (!v.empty() && !starts_with(v, "redis://"))
    throw value_error("must start with redis:// (or be empty to disable Redis)");
}

void check_jwks_url(std::string_view v) {
  if (!v.empty() && !starts_with(v, "https://") && !starts_with(v, "file://"))
    throw value_error("must be an https:// or file:// URL");
}

void check_http_url(std::string_view v) {
  if (!v.empty() && !starts_with(v, "https://") && !starts_with(v, "http://"))
    throw value_error("must be an http:// or https:// URL");
}

void check_one_data_key(std::string_view v) {
  auto size = base64_decoded_size(v);
  if (!size) throw value_error("is not base64 (expected base64 of exactly 32 bytes)");
  if (*size != 32)
    throw value_error("decodes to " + std::to_string(*size) +
                      " bytes (expected base64 of exactly 32 bytes)");
}

// One key ("BASE64") or a ring for rotation ("k1:BASE64,k2:BASE64", the last one encrypts).
void check_data_key(std::string_view v) {
  if (v.empty()) return;
  if (v.find(':') == std::string_view::npos) return check_one_data_key(v);
  while (!v.empty()) {
    auto entry = v.substr(0, v.find(','));
    v.remove_prefix(std::min(v.size(), entry.size() + 1));
    auto colon = entry.find(':');
    if (colon == 0 || colon == std::string_view::npos)
      throw value_error("key ring entries are id:BASE64, separated by commas");
    check_one_data_key(entry.substr(colon + 1));
  }
}

void check_origin(std::string_view origin) {
  if (origin == "*") return;
  auto scheme_end = origin.find("://");
  bool ok = (starts_with(origin, "http://") || starts_with(origin, "https://")) &&
            origin.size() > scheme_end + 3 &&
            origin.find('/', scheme_end + 3) == std::string_view::npos;
  if (!ok)
    throw value_error("holds \"" + std::string{origin} +
                      "\", which is not an origin (scheme://host[:port], no path) or *");
}

// -- key makers: one line per key in the table ------------------------------------------------

template <class T>
key_descriptor integer_key(std::string_view name, T settings::*field, uint64_t min, uint64_t max,
                           std::string_view help) {
  return {name,
          value_kind::integer,
          false,
          std::to_string(min) + ".." + std::to_string(max),
          help,
          [field, min, max](settings& s, std::string_view v) {
            s.*field = static_cast<T>(parse_unsigned(v, min, max));
          },
          [field](const settings& s) { return std::to_string(s.*field); }};
}

key_descriptor string_key(std::string_view name, string_field field, std::string_view help,
                          validator check = nullptr, std::string format = "text") {
  return {name,
          value_kind::string,
          false,
          std::move(format),
          help,
          [field, check](settings& s, std::string_view v) {
            if (check) check(v);
            s.*field = std::string{v};
          },
          [field](const settings& s) { return redact_url(s.*field); }};
}

key_descriptor secret_key(std::string_view name, string_field field, std::string_view help,
                          validator check = nullptr) {
  auto key = string_key(name, field, help, check, "secret text");
  key.secret = true;
  key.render = [field](const settings& s) {
    return std::string{(s.*field).empty() ? "(unset)" : "(set)"};
  };
  return key;
}

key_descriptor enum_key(std::string_view name, string_field field,
                        const std::vector<std::string>& allowed, std::string_view help) {
  std::string format;
  for (const auto& a : allowed) format += (format.empty() ? "" : "|") + a;
  return {name,
          value_kind::enumeration,
          false,
          format,
          help,
          [field, allowed, format](settings& s, std::string_view v) {
            if (std::find(allowed.begin(), allowed.end(), v) == allowed.end())
              throw value_error("is not one of " + format);
            s.*field = std::string{v};
          },
          [field](const settings& s) { return s.*field; }};
}

key_descriptor bool_key(std::string_view name, bool settings::*field, std::string_view help) {
  return {name,
          value_kind::boolean,
          false,
          "true|false",
          help,
          [field](settings& s, std::string_view v) { s.*field = parse_bool(v); },
          [field](const settings& s) { return std::string{s.*field ? "true" : "false"}; }};
}

key_descriptor list_key(std::string_view name, list_field field, std::string_view help,
                        validator check_item = nullptr) {
  return {name,
          value_kind::list,
          false,
          "comma-separated list",
          help,
          [field, check_item](settings& s, std::string_view v) {
            auto items = parse_list(v);
            if (check_item) std::for_each(items.begin(), items.end(), check_item);
            s.*field = std::move(items);
          },
          [field](const settings& s) { return join(s.*field); }};
}

key_descriptor listen_key(std::string_view name, std::string_view help) {
  return {name,
          value_kind::listen,
          false,
          "host:port list",
          help,
          [](settings& s, std::string_view v) { s.listen = parse_listen_list(v); },
          [](const settings& s) { return render_listen_list(s.listen); }};
}

std::vector<key_descriptor> make_table() {
  using s = settings;
  std::vector<key_descriptor> t{
      enum_key("env", &s::env, {"development", "test", "production"},
               "deployment environment; production requires database_url, ops_token, data_key"),
      enum_key("log_level", &s::log_level,
               {"trace", "debug", "info", "warn", "error", "critical", "off"},
               "minimum level of the JSON log lines on stderr"),
      listen_key("listen", "HTTP listen addresses: IPv4, hostname or [IPv6], port 0 = any free"),
      integer_key("http_threads", &s::http_threads, 0, 256, "HTTP I/O threads; 0 = cores"),
      integer_key("body_limit_bytes", &s::body_limit_bytes, kib, 64 * mib, "largest request body"),
      integer_key("header_timeout_ms", &s::header_timeout_ms, 1, max_ms, "time to read a head"),
      integer_key("body_timeout_ms", &s::body_timeout_ms, 1, max_ms, "time to read a body"),
      integer_key("keepalive_timeout_ms", &s::keepalive_timeout_ms, 1, max_ms,
                  "idle time between requests on one connection"),
      integer_key("request_timeout_ms", &s::request_timeout_ms, 1, max_ms,
                  "an actor that does not answer within this yields 503"),
      integer_key("calendar_max_active", &s::calendar_max_active, 0, 100'000,
                  "calendar requests run at once, more wait their turn; 0 = 16 per core"),
      integer_key("shutdown_grace_ms", &s::shutdown_grace_ms, 1, max_ms,
                  "on SIGTERM, in-flight requests finish within this"),
      list_key("cors_origins", &s::cors_origins,
               "allowed CORS origins; empty in development/test = localhost dev servers",
               check_origin),
      bool_key("hsts", &s::hsts, "send Strict-Transport-Security"),
      integer_key("rate_limit_rps", &s::rate_limit_rps, 1, 1'000'000,
                  "per IP, sustained requests per second"),
      integer_key("rate_limit_burst", &s::rate_limit_burst, 1, 1'000'000, "per IP, bucket size"),
      integer_key("gzip_min_bytes", &s::gzip_min_bytes, 0, 64 * mib,
                  "smallest response body that is compressed"),
      secret_key("ops_token", &s::ops_token, "protects /ops/*; >= 16 chars"),
      integer_key("actor_threads", &s::actor_threads, 0, 256, "CAF scheduler workers; 0 = cores"),
      integer_key("passivate_after_s", &s::passivate_after_s, 1, max_s,
                  "idle time after which a keyed actor stops"),
      integer_key("supervisor_max_restarts", &s::supervisor_max_restarts, 0, 1000,
                  "restarts allowed within supervisor_window_s before escalating"),
      integer_key("supervisor_window_s", &s::supervisor_window_s, 1, 3600,
                  "window of the restart intensity limit"),
      integer_key("supervisor_backoff_ms", &s::supervisor_backoff_ms, 0, 600'000,
                  "first restart delay, doubled on each restart"),
      integer_key("supervisor_backoff_max_ms", &s::supervisor_backoff_max_ms, 0, 600'000,
                  "largest restart delay"),
      string_key("database_url", &s::database_url,
                 "PostgreSQL connection string (its password is never printed)", check_database_url,
                 "postgresql:// URL"),
      integer_key("db_pool_size", &s::db_pool_size, 1, 128, "database connections"),
      integer_key("db_read_pool_size", &s::db_read_pool_size, 0, 128,
                  "database connections for public directory reads; 0 = CPU cores + 1"),
      integer_key("db_connect_timeout_s", &s::db_connect_timeout_s, 1, 300,
                  "time to open one database connection"),
      bool_key("auto_migrate", &s::auto_migrate, "apply pending migrations at start"),
      string_key("redis_url", &s::redis_url, "redis://host:port[/db]; empty = no Redis",
                 check_redis_url, "redis:// URL"),
      secret_key("data_key", &s::data_key,
                 "base64 of 32 bytes: AES-256-GCM key for medical free text; or a ring for "
                 "rotation, id:BASE64,id:BASE64 (the last encrypts, all decrypt)",
                 check_data_key),
      string_key("upload_dir", &s::upload_dir, "directory for uploaded files", require_non_empty),
      string_key("auth_jwks_url", &s::auth_jwks_url, "JWKS of the identity provider",
                 check_jwks_url, "https:// or file:// URL"),
      string_key("auth_jwt_key", &s::auth_jwt_key, "PEM public key that verifies session JWTs"),
      string_key("auth_issuer", &s::auth_issuer, "expected iss claim of session JWTs"),
      list_key("auth_authorized_parties", &s::auth_authorized_parties,
               "accepted azp claims of session JWTs"),
      secret_key("clerk_webhook_secret", &s::clerk_webhook_secret,
                 "Svix signing secret of Clerk webhooks"),
      string_key("clerk_api_url", &s::clerk_api_url, "Clerk backend API base URL", check_http_url,
                 "http(s):// URL"),
      secret_key("clerk_secret_key", &s::clerk_secret_key, "Clerk backend API key"),
      integer_key("jwt_leeway_s", &s::jwt_leeway_s, 0, 300, "clock skew accepted on exp and nbf"),
      integer_key("jwks_min_refresh_s", &s::jwks_min_refresh_s, 1, max_s,
                  "an unknown kid refreshes the JWKS at most this often"),
      string_key("dev_key_dir", &s::dev_key_dir,
                 "development only: directory of the dev-token key pair", require_non_empty),
      integer_key("user_rate_limit_rps", &s::user_rate_limit_rps, 1, 1'000'000,
                  "per authenticated user, sustained requests per second"),
      integer_key("user_rate_limit_burst", &s::user_rate_limit_burst, 1, 1'000'000,
                  "per authenticated user, bucket size"),
      integer_key("user_cache_ttl_s", &s::user_cache_ttl_s, 0, max_s,
                  "how long a resolved user's role and status are reused"),
      integer_key("audit_flush_ms", &s::audit_flush_ms, 1, max_ms,
                  "audit records are written in batches this often"),
      integer_key("clerk_max_attempts", &s::clerk_max_attempts, 1, 100,
                  "Clerk write-back attempts before giving up"),
  };
  return t;
}

}  // namespace

const std::vector<key_descriptor>& key_table() {
  static const std::vector<key_descriptor> table = make_table();
  return table;
}

std::string env_name(std::string_view key) {
  std::string out = "MUNDOCTOR_";
  for (char c : key) out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool is_allowed_foreign_variable(std::string_view name) {
  // Variables of the scripts and the test suite; the server ignores them.
  return starts_with(name, "MUNDOCTOR_TEST_") || name == "MUNDOCTOR_HOME";
}

std::vector<std::pair<std::string, std::string>> describe(const settings& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& key : key_table()) out.emplace_back(std::string{key.name}, key.render(s));
  for (auto& [name, value] : out) {
    if (name == "cors_origins" && s.cors_origins.empty() && !effective_cors_origins(s).empty())
      value = join(effective_cors_origins(s)) + " (development default)";
  }
  return out;
}

std::string help_text() {
  const settings defaults;
  std::ostringstream out;
  out << "Settings: defaults < TOML file (--config PATH; keys as in parentheses) < environment\n\n";
  for (const auto& key : key_table()) {
    out << "  " << env_name(key.name) << " (" << key.name << ")  " << key.format;
    auto def = key.render(defaults);
    if (!key.secret && !def.empty()) out << "  [default: " << def << "]";
    out << "\n      " << key.help << "\n";
  }
  return out.str();
}

}  // namespace mundoctor::config
