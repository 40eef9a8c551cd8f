// load_settings: precedence, unknown keys, production rules.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace mundoctor::config {
namespace {

using env_map = std::map<std::string, std::string>;

const std::string valid_data_key = std::string(43, 'A') + "=";  // 32 zero bytes

// A TOML file in the temp directory, removed when the test ends.
class toml_file {
 public:
  explicit toml_file(const std::string& text) {
    static std::atomic<int> counter{0};
    path_ =
        std::filesystem::temp_directory_path() / ("mundoctor_config_" + std::to_string(::getpid()) +
                                                  "_" + std::to_string(counter++) + ".toml");
    std::ofstream{path_} << text;
  }
  ~toml_file() { std::filesystem::remove(path_); }
  toml_file(const toml_file&) = delete;
  toml_file& operator=(const toml_file&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

std::string load_error(const std::optional<std::string>& path, const env_map& env) {
  try {
    load_settings(path, env);
  } catch (const config_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "load_settings accepted the configuration";
  return {};
}

TEST(load_settings, uses_the_defaults_without_file_or_environment) {
  auto s = load_settings(std::nullopt, {});
  EXPECT_EQ(s.env, "development");
  EXPECT_EQ(s.db_pool_size, 8u);
  ASSERT_EQ(s.listen.size(), 2u);
  EXPECT_EQ(s.listen[0].host, "127.0.0.1");
  EXPECT_EQ(s.listen[0].port, 8000);
}

TEST(load_settings, file_overrides_defaults_and_environment_overrides_file) {
  toml_file file{"db_pool_size = 4\nhttp_threads = 2\nhsts = true\n"};
  auto s = load_settings(file.path(), {{"MUNDOCTOR_DB_POOL_SIZE", "6"}});
  EXPECT_EQ(s.db_pool_size, 6u);            // environment wins over the file
  EXPECT_EQ(s.http_threads, 2u);            // file wins over the default
  EXPECT_TRUE(s.hsts);                      // file
  EXPECT_EQ(s.request_timeout_ms, 5'000u);  // default
}

TEST(load_settings, reads_lists_as_toml_arrays_or_comma_separated_strings) {
  toml_file file{
      "cors_origins = [\"https://a.example\", \"https://b.example\"]\n"
      "auth_authorized_parties = \"https://x.example, https://y.example\"\n"
      "listen = [\"0.0.0.0:9000\", \"[::1]:9001\"]\n"};
  auto s = load_settings(file.path(), {});
  EXPECT_EQ(s.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(s.auth_authorized_parties,
            (std::vector<std::string>{"https://x.example", "https://y.example"}));
  ASSERT_EQ(s.listen.size(), 2u);
  EXPECT_EQ(s.listen[1].host, "::1");
  EXPECT_EQ(s.listen[1].port, 9001);
}

TEST(load_settings, environment_lists_are_comma_separated) {
  auto s = load_settings(std::nullopt,
                         {{"MUNDOCTOR_CORS_ORIGINS", "https://a.example ,https://b.example"}});
  EXPECT_EQ(s.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
}

TEST(load_settings, unknown_toml_key_names_the_key_the_file_and_a_suggestion) {
  toml_file file{"databse_url = \"postgresql://db/x\"\n"};
  auto what = load_error(file.path(), {});
  EXPECT_EQ(what.rfind("config file " + file.path() + ": unknown key \"databse_url\"", 0), 0u)
      << what;
  EXPECT_NE(what.find("did you mean \"database_url\""), std::string::npos) << what;
}

TEST(load_settings, toml_tables_are_unknown_keys) {
  toml_file file{"[http]\nlisten = \"127.0.0.1:1\"\n"};
  EXPECT_NE(load_error(file.path(), {}).find("unknown key \"http\""), std::string::npos);
}

TEST(load_settings, toml_value_of_the_wrong_type_names_key_and_types) {
  toml_file file{"http_threads = true\n"};
  auto what = load_error(file.path(), {});
  EXPECT_NE(what.find("key \"http_threads\" must be an integer, not a boolean"), std::string::npos)
      << what;
}

TEST(load_settings, toml_syntax_error_names_file_and_line) {
  toml_file file{"hsts = true\nlisten = [\n"};
  auto what = load_error(file.path(), {});
  EXPECT_EQ(what.rfind("config file " + file.path() + ": line ", 0), 0u) << what;
}

TEST(load_settings, missing_file_is_an_error) {
  auto what = load_error("/nonexistent/mundoctor.toml", {});
  EXPECT_EQ(what, "config file /nonexistent/mundoctor.toml: cannot be opened for reading");
}

TEST(load_settings, unknown_mundoctor_variable_is_an_error) {
  auto what = load_error(std::nullopt, {{"MUNDOCTOR_LISTN", "127.0.0.1:1"}});
  EXPECT_EQ(what.rfind("MUNDOCTOR_LISTN: unknown setting", 0), 0u) << what;
  EXPECT_NE(what.find("MUNDOCTOR_LISTEN"), std::string::npos) << what;
}

TEST(load_settings, script_and_test_variables_and_foreign_variables_are_ignored) {
  auto s = load_settings(std::nullopt, {{"MUNDOCTOR_TEST_PG_URL", "x"},
                                        {"MUNDOCTOR_HOME", "/opt/mundoctor"},
                                        {"HOME", "/root"},
                                        {"MUNDOCTOR_HTTP_THREADS", "3"}});
  EXPECT_EQ(s.http_threads, 3u);
}

TEST(load_settings, rejects_a_port_out_of_range_with_the_key_and_value) {
  auto what = load_error(std::nullopt, {{"MUNDOCTOR_LISTEN", "127.0.0.1:99999"}});
  EXPECT_EQ(what.rfind(R"(MUNDOCTOR_LISTEN: "127.0.0.1:99999" is not a valid host:port list)", 0),
            0u)
      << what;
}

TEST(load_settings, file_errors_name_the_key) {
  toml_file file{"db_pool_size = 500\n"};
  auto what = load_error(file.path(), {});
  EXPECT_EQ(what, "config file " + file.path() +
                      ": key \"db_pool_size\": \"500\" is out of range 1..128");
}

struct bad_value {
  const char* variable;
  const char* value;
};

TEST(load_settings, every_kind_of_bad_value_names_its_key_on_one_line) {
  const bad_value cases[] = {
      {"MUNDOCTOR_LISTEN", "127.0.0.1"},
      {"MUNDOCTOR_LISTEN", "::1:8000"},
      {"MUNDOCTOR_LISTEN", ""},
      {"MUNDOCTOR_HTTP_THREADS", "257"},
      {"MUNDOCTOR_HTTP_THREADS", "two"},
      {"MUNDOCTOR_ACTOR_THREADS", "-1"},
      {"MUNDOCTOR_BODY_LIMIT_BYTES", "1023"},
      {"MUNDOCTOR_BODY_LIMIT_BYTES", "67108865"},
      {"MUNDOCTOR_DB_POOL_SIZE", "0"},
      {"MUNDOCTOR_DB_POOL_SIZE", "129"},
      {"MUNDOCTOR_HEADER_TIMEOUT_MS", "0"},
      {"MUNDOCTOR_HSTS", "maybe"},
      {"MUNDOCTOR_ENV", "staging"},
      {"MUNDOCTOR_LOG_LEVEL", "verbose"},
      {"MUNDOCTOR_REDIS_URL", "http://cache"},
      {"MUNDOCTOR_AUTH_JWKS_URL", "http://idp/jwks"},
      {"MUNDOCTOR_DATA_KEY", "abc"},
      {"MUNDOCTOR_CORS_ORIGINS", "localhost:3000"},
      {"MUNDOCTOR_DATABASE_URL", ""},
      {"MUNDOCTOR_CLERK_API_URL", "ftp://clerk"},
      {"MUNDOCTOR_UPLOAD_DIR", ""},
      {"MUNDOCTOR_AUTO_MIGRATE", "2"},
  };
  for (const auto& c : cases) {
    auto what = load_error(std::nullopt, {{c.variable, c.value}});
    EXPECT_EQ(what.rfind(std::string{c.variable} + ": ", 0), 0u) << c.variable << " -> " << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  }
}

TEST(load_settings, accepts_valid_values_of_every_kind) {
  auto s = load_settings(std::nullopt, {{"MUNDOCTOR_HSTS", "yes"},
                                        {"MUNDOCTOR_AUTO_MIGRATE", "0"},
                                        {"MUNDOCTOR_LOG_LEVEL", "warn"},
                                        {"MUNDOCTOR_BODY_LIMIT_BYTES", "67108864"},
                                        {"MUNDOCTOR_REDIS_URL", "redis://127.0.0.1:6379/2"},
                                        {"MUNDOCTOR_AUTH_JWKS_URL", "file:///etc/jwks.json"},
                                        {"MUNDOCTOR_DATA_KEY", valid_data_key}});
  EXPECT_TRUE(s.hsts);
  EXPECT_FALSE(s.auto_migrate);
  EXPECT_EQ(s.log_level, "warn");
  EXPECT_EQ(s.body_limit_bytes, 64u * 1024 * 1024);
  EXPECT_EQ(s.redis_url, "redis://127.0.0.1:6379/2");
  EXPECT_EQ(s.data_key, valid_data_key);
}

TEST(load_settings, data_key_errors_do_not_repeat_the_key) {
  const std::string short_key = "c2VjcmV0LWtleQ==";  // 10 bytes
  auto what = load_error(std::nullopt, {{"MUNDOCTOR_DATA_KEY", short_key}});
  EXPECT_NE(what.find("exactly 32 bytes"), std::string::npos) << what;
  EXPECT_EQ(what.find(short_key), std::string::npos) << what;
}

TEST(load_settings, a_data_key_ring_for_rotation_is_accepted_and_checked_entry_by_entry) {
  const std::string ring = "k1:" + valid_data_key + ",k2:" + std::string(43, 'B') + "=";
  EXPECT_EQ(load_settings(std::nullopt, {{"MUNDOCTOR_DATA_KEY", ring}}).data_key, ring);
  auto short_entry =
      load_error(std::nullopt, {{"MUNDOCTOR_DATA_KEY", "k1:" + valid_data_key + ",k2:c2VjcmV0"}});
  EXPECT_NE(short_entry.find("exactly 32 bytes"), std::string::npos) << short_entry;
  auto no_id = load_error(std::nullopt, {{"MUNDOCTOR_DATA_KEY", ":" + valid_data_key}});
  EXPECT_NE(no_id.find("id:BASE64"), std::string::npos) << no_id;
}

TEST(load_settings, backoff_max_below_backoff_is_rejected) {
  auto what = load_error(std::nullopt, {{"MUNDOCTOR_SUPERVISOR_BACKOFF_MS", "500"},
                                        {"MUNDOCTOR_SUPERVISOR_BACKOFF_MAX_MS", "100"}});
  EXPECT_EQ(what.rfind("MUNDOCTOR_SUPERVISOR_BACKOFF_MAX_MS", 0), 0u) << what;
}

env_map production(const env_map& extra) {
  env_map env{{"MUNDOCTOR_ENV", "production"},
              {"MUNDOCTOR_DATABASE_URL", "postgresql://app:pw@db:5432/mundoctor"},
              {"MUNDOCTOR_OPS_TOKEN", "0123456789abcdef"},
              {"MUNDOCTOR_DATA_KEY", valid_data_key},
              {"MUNDOCTOR_AUTH_JWKS_URL", "https://clerk.example.com/.well-known/jwks.json"},
              {"MUNDOCTOR_AUTH_ISSUER", "https://clerk.example.com"}};
  for (const auto& [k, v] : extra) {
    if (v == "<erase>")
      env.erase(k);
    else
      env[k] = v;
  }
  return env;
}

TEST(load_settings, production_accepts_a_complete_configuration) {
  auto s = load_settings(std::nullopt, production({}));
  EXPECT_EQ(s.env, "production");
  EXPECT_TRUE(effective_cors_origins(s).empty());
}

TEST(load_settings, production_requires_an_explicit_database_url) {
  auto what = load_error(std::nullopt, production({{"MUNDOCTOR_DATABASE_URL", "<erase>"}}));
  EXPECT_EQ(what, "MUNDOCTOR_DATABASE_URL (database_url): must be set explicitly in production");
}

TEST(load_settings, production_accepts_the_database_url_from_the_file) {
  toml_file file{"database_url = \"postgresql://postgres@127.0.0.1:55432/mundoctor\"\n"};
  EXPECT_NO_THROW(load_settings(file.path(), production({{"MUNDOCTOR_DATABASE_URL", "<erase>"}})));
}

TEST(load_settings, production_requires_an_ops_token_of_16_characters) {
  auto missing = load_error(std::nullopt, production({{"MUNDOCTOR_OPS_TOKEN", "<erase>"}}));
  EXPECT_EQ(missing, "MUNDOCTOR_OPS_TOKEN (ops_token): must be set in production");
  auto short_token =
      load_error(std::nullopt, production({{"MUNDOCTOR_OPS_TOKEN", "0123456789abcde"}}));
  EXPECT_EQ(short_token,
            "MUNDOCTOR_OPS_TOKEN (ops_token): must be at least 16 characters in production");
}

TEST(load_settings, production_requires_a_data_key) {
  auto what = load_error(std::nullopt, production({{"MUNDOCTOR_DATA_KEY", "<erase>"}}));
  EXPECT_EQ(what, "MUNDOCTOR_DATA_KEY (data_key): must be set in production");
}

TEST(load_settings, production_requires_a_token_key_and_an_issuer) {
  auto no_key = load_error(std::nullopt, production({{"MUNDOCTOR_AUTH_JWKS_URL", "<erase>"}}));
  EXPECT_EQ(no_key.rfind("MUNDOCTOR_AUTH_JWKS_URL (auth_jwks_url): production needs", 0), 0u)
      << no_key;
  EXPECT_NO_THROW(load_settings(std::nullopt, production({{"MUNDOCTOR_AUTH_JWKS_URL", "<erase>"},
                                                          {"MUNDOCTOR_AUTH_JWT_KEY", "pem"}})));
  auto no_issuer = load_error(std::nullopt, production({{"MUNDOCTOR_AUTH_ISSUER", "<erase>"}}));
  EXPECT_EQ(no_issuer, "MUNDOCTOR_AUTH_ISSUER (auth_issuer): must be set in production");
}

TEST(load_settings, development_needs_no_secrets) {
  EXPECT_NO_THROW(load_settings(std::nullopt, {{"MUNDOCTOR_ENV", "development"}}));
}

TEST(environment_snapshot, keeps_only_mundoctor_variables) {
  ::setenv("MUNDOCTOR_TEST_SNAPSHOT", "a=b", 1);
  ::setenv("NOT_MUNDOCTOR_SNAPSHOT", "x", 1);
  auto env = environment_snapshot();
  ::unsetenv("MUNDOCTOR_TEST_SNAPSHOT");
  ::unsetenv("NOT_MUNDOCTOR_SNAPSHOT");
  EXPECT_EQ(env.at("MUNDOCTOR_TEST_SNAPSHOT"), "a=b");
  EXPECT_EQ(env.count("NOT_MUNDOCTOR_SNAPSHOT"), 0u);
  for (const auto& [name, value] : env) EXPECT_EQ(name.rfind("MUNDOCTOR_", 0), 0u) << name;
}

}  // namespace
}  // namespace mundoctor::config
