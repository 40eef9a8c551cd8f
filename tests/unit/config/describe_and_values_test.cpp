// describe(), help_text(), CORS defaults and the value parsers.

#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace mundoctor::config {
namespace {

std::string joined(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out;
  for (const auto& [key, value] : rows) out.append(key).append("=").append(value).append("\n");
  return out;
}

std::string value_of(const std::vector<std::pair<std::string, std::string>>& rows,
                     const std::string& key) {
  for (const auto& [k, v] : rows)
    if (k == key) return v;
  ADD_FAILURE() << "no row for " << key;
  return {};
}

TEST(describe, never_prints_secrets) {
  settings s;
  s.ops_token = "ops-token-0123456789";
  s.data_key = std::string(43, 'Q') + "=";
  s.clerk_webhook_secret = "whsec_webhooksecretvalue";
  s.clerk_secret_key = "sk_live_clerksecretvalue";
  s.database_url = "postgresql://app:hunter2pass@db:5432/mundoctor";
  s.redis_url = "redis://:redispass99@cache:6379/0";
  auto rows = describe(s);
  auto text = joined(rows);
  for (const auto* secret : {"ops-token-0123456789", "QQQQQQQQ", "webhooksecretvalue",
                             "clerksecretvalue", "hunter2pass", "redispass99"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked:\n" << text;
  EXPECT_EQ(value_of(rows, "ops_token"), "(set)");
  EXPECT_EQ(value_of(rows, "data_key"), "(set)");
  EXPECT_EQ(value_of(rows, "database_url"), "postgresql://app:***@db:5432/mundoctor");
}

TEST(describe, shows_unset_secrets_as_unset) {
  auto rows = describe(settings{});
  EXPECT_EQ(value_of(rows, "clerk_secret_key"), "(unset)");
  EXPECT_EQ(value_of(rows, "ops_token"), "(unset)");
}

TEST(describe, lists_every_key_of_the_table_with_its_value) {
  settings s;
  s.listen = {{"::1", 8000}, {"localhost", 0}};
  s.http_threads = 3;
  auto rows = describe(s);
  ASSERT_EQ(rows.size(), key_table().size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].first, key_table()[i].name);
  EXPECT_EQ(value_of(rows, "listen"), "[::1]:8000,localhost:0");
  EXPECT_EQ(value_of(rows, "http_threads"), "3");
  EXPECT_EQ(value_of(rows, "auto_migrate"), "true");
}

TEST(describe, renders_values_that_load_back_to_the_same_settings) {
  settings s;
  s.cors_origins = {"https://a.example"};
  s.listen = {{"::1", 8000}};
  s.db_pool_size = 12;
  std::map<std::string, std::string> env;
  for (const auto& [key, value] : describe(s)) {
    bool secret = value == "(set)" || value == "(unset)";
    if (!secret) env[env_name(key)] = value;
  }
  auto back = load_settings(std::nullopt, env);
  EXPECT_EQ(back.cors_origins, s.cors_origins);
  EXPECT_EQ(render_listen_list(back.listen), "[::1]:8000");
  EXPECT_EQ(back.db_pool_size, 12u);
}

TEST(help_text, names_every_key_and_its_environment_variable) {
  auto help = help_text();
  for (const auto& key : key_table()) {
    EXPECT_NE(help.find(env_name(key.name) + " (" + std::string{key.name} + ")"), std::string::npos)
        << key.name;
    EXPECT_NE(help.find(std::string{key.help}), std::string::npos) << key.name;
  }
}

TEST(key_table, has_one_entry_per_name) {
  std::set<std::string_view> names;
  for (const auto& key : key_table()) EXPECT_TRUE(names.insert(key.name).second) << key.name;
  EXPECT_EQ(env_name("db_pool_size"), "MUNDOCTOR_DB_POOL_SIZE");
}

TEST(effective_cors_origins, defaults_to_local_dev_servers_in_development_and_test) {
  const std::vector<std::string> dev{"http://localhost:5173", "http://localhost:5174",
                                     "http://localhost:3000", "http://127.0.0.1:5173",
                                     "http://127.0.0.1:5174", "http://127.0.0.1:3000"};
  settings s;
  EXPECT_EQ(effective_cors_origins(s), dev);
  s.env = "test";
  EXPECT_EQ(effective_cors_origins(s), dev);
  s.env = "production";
  EXPECT_TRUE(effective_cors_origins(s).empty());
  s.cors_origins = {"https://mundoctor.example"};
  EXPECT_EQ(effective_cors_origins(s), s.cors_origins);
  s.env = "development";
  EXPECT_EQ(effective_cors_origins(s), s.cors_origins);
}

TEST(parse_listen_list, accepts_ipv4_hostnames_and_bracketed_ipv6) {
  auto list = parse_listen_list("127.0.0.1:8000, [::1]:8000,api.example.com:443,localhost:0");
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0].host, "127.0.0.1");
  EXPECT_EQ(list[0].port, 8000);
  EXPECT_EQ(list[1].host, "::1");
  EXPECT_EQ(list[1].port, 8000);
  EXPECT_EQ(list[2].host, "api.example.com");
  EXPECT_EQ(list[2].port, 443);
  EXPECT_EQ(list[3].port, 0);
  EXPECT_EQ(render_listen_list(list), "127.0.0.1:8000,[::1]:8000,api.example.com:443,localhost:0");
}

TEST(parse_listen_list, rejects_malformed_addresses) {
  for (const auto* bad : {"127.0.0.1", "127.0.0.1:", ":8000", "::1:8000", "[::1]8000", "[::1:8000",
                          "[zz]:80", "999.1.1.1:80", "1.2.3:80", "bad_host:80", "-host:80",
                          "host:-1", "host:65536", "host:123456", "host:8o"}) {
    EXPECT_THROW(parse_listen_list(bad), value_error) << bad;
  }
}

TEST(parse_bool, accepts_the_usual_spellings) {
  for (const auto* yes : {"true", "1", "yes", "TRUE", " Yes "}) EXPECT_TRUE(parse_bool(yes));
  for (const auto* no : {"false", "0", "no", "False"}) EXPECT_FALSE(parse_bool(no));
  EXPECT_THROW(parse_bool("on"), value_error);
  EXPECT_THROW(parse_bool(""), value_error);
}

TEST(parse_unsigned, checks_digits_and_range) {
  EXPECT_EQ(parse_unsigned("42", 1, 100), 42u);
  EXPECT_EQ(parse_unsigned("0", 0, 0), 0u);
  EXPECT_THROW(parse_unsigned("101", 1, 100), value_error);
  EXPECT_THROW(parse_unsigned("4 2", 1, 100), value_error);
  EXPECT_THROW(parse_unsigned("+4", 1, 100), value_error);
  EXPECT_THROW(parse_unsigned("99999999999999999999999", 1, 100), value_error);
}

TEST(redact_url, hides_passwords_in_urls_and_key_value_strings) {
  EXPECT_EQ(redact_url("postgresql://u:p@h:5432/d"), "postgresql://u:***@h:5432/d");
  EXPECT_EQ(redact_url("postgresql://u@h/d"), "postgresql://u@h/d");
  EXPECT_EQ(redact_url("postgresql://h/d?user=u&password=p&sslmode=require"),
            "postgresql://h/d?user=u&password=***&sslmode=require");
  EXPECT_EQ(redact_url("host=h password='a b' dbname=d"), "host=h password=*** dbname=d");
  EXPECT_EQ(redact_url("redis://:pw@cache:6379"), "redis://:***@cache:6379");
}

TEST(base64_decoded_size, counts_bytes_and_rejects_non_base64) {
  EXPECT_EQ(base64_decoded_size(std::string(43, 'A') + "="), 32u);
  EXPECT_EQ(base64_decoded_size("c2VjcmV0LWtleQ=="), 10u);
  EXPECT_FALSE(base64_decoded_size("abc"));
  EXPECT_FALSE(base64_decoded_size("ab!d"));
  EXPECT_FALSE(base64_decoded_size("a==="));
}

}  // namespace
}  // namespace mundoctor::config
