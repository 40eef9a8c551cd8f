// load_settings: defaults < TOML file < environment, then the rules that span several keys.

#include "config/config.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <thread>

#include <toml++/toml.h>

namespace mundoctor::config {
namespace {

constexpr std::string_view env_prefix = "MUNDOCTOR_";

const key_descriptor* find_key(std::string_view name) {
  const auto& table = key_table();
  auto it = std::find_if(table.begin(), table.end(), [&](const auto& k) { return k.name == name; });
  return it == table.end() ? nullptr : &*it;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean "database_url"?)" when a known key is close to the unknown one.
std::string suggestion(std::string_view unknown, bool as_env) {
  for (const auto& key : key_table()) {
    auto candidate = as_env ? env_name(key.name) : std::string{key.name};
    if (edit_distance(unknown, candidate) <= 2) return " (did you mean \"" + candidate + "\"?)";
  }
  return {};
}

// The value as it may appear in an error message: one line, no secrets, no passwords.
std::string shown_value(const key_descriptor& key, std::string_view value) {
  if (key.secret) return "(secret value)";
  std::string text = redact_url(value);
  if (text.size() > 120) text = text.substr(0, 117) + "...";
  std::string out = "\"";
  for (char c : text) {
    if (c == '\n')
      out += "\\n";
    else if (c == '"' || c == '\\')
      out += std::string{'\\', c};
    else if (static_cast<unsigned char>(c) < 0x20)
      out += '?';
    else
      out += c;
  }
  return out + "\"";
}

void apply(const key_descriptor& key, settings& s, std::string_view value,
           const std::string& where) {
  try {
    key.assign(s, value);
  } catch (const value_error& e) {
    throw config_error(where + ": " + shown_value(key, value) + " " + e.what());
  }
}

std::string node_type_name(const toml::node& node) {
  if (node.is_table()) return "a table";
  if (node.is_array()) return "an array";
  if (node.is_string()) return "a string";
  if (node.is_integer()) return "an integer";
  if (node.is_floating_point()) return "a float";
  if (node.is_boolean()) return "a boolean";
  return "a date/time";
}

// The text form of a TOML value, checked against the kind of the key.
std::optional<std::string> toml_text(const key_descriptor& key, const toml::node& node) {
  if (node.is_string()) return node.value<std::string>();
  if (node.is_integer() && key.kind == value_kind::integer) {
    return std::to_string(*node.value<int64_t>());
  }
  if (node.is_boolean() && key.kind == value_kind::boolean) {
    return std::string{*node.value<bool>() ? "true" : "false"};
  }
  bool is_list = key.kind == value_kind::list || key.kind == value_kind::listen;
  if (!node.is_array() || !is_list) return std::nullopt;
  std::string joined;
  for (const auto& item : *node.as_array()) {
    if (!item.is_string()) return std::nullopt;
    joined += (joined.empty() ? "" : ",") + *item.value<std::string>();
  }
  return joined;
}

std::string expected_toml_type(value_kind kind) {
  switch (kind) {
    case value_kind::integer:
      return "an integer";
    case value_kind::boolean:
      return "a boolean";
    case value_kind::list:
    case value_kind::listen:
      return "an array of strings or a comma-separated string";
    case value_kind::string:
    case value_kind::enumeration:
      break;
  }
  return "a string";
}

toml::table parse_toml_file(const std::string& path) {
  const std::string where = "config file " + path;
  if (!std::ifstream{path}) throw config_error(where + ": cannot be opened for reading");
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    std::string description{e.description()};
    std::replace(description.begin(), description.end(), '\n', ' ');
    throw config_error(where + ": line " + std::to_string(begin.line) + ", column " +
                       std::to_string(begin.column) + ": " + description);
  }
}

void apply_toml_file(const std::string& path, settings& s, std::set<std::string>& explicit_keys) {
  const std::string where = "config file " + path;
  const auto table = parse_toml_file(path);
  for (const auto& [name, node] : table) {
    const auto* key = find_key(name.str());
    if (key == nullptr) {
      throw config_error(where + ": unknown key \"" + std::string{name.str()} + "\"" +
                         suggestion(name.str(), false));
    }
    const std::string key_where = where + ": key \"" + std::string{key->name} + "\"";
    auto text = toml_text(*key, node);
    if (!text) {
      throw config_error(key_where + " must be " + expected_toml_type(key->kind) + ", not " +
                         node_type_name(node));
    }
    apply(*key, s, *text, key_where);
    explicit_keys.insert(std::string{key->name});
  }
}

void apply_environment(const std::map<std::string, std::string>& env, settings& s,
                       std::set<std::string>& explicit_keys) {
  for (const auto& [name, value] : env) {
    if (name.compare(0, env_prefix.size(), env_prefix) != 0) continue;
    if (is_allowed_foreign_variable(name)) continue;
    const auto& table = key_table();
    auto it = std::find_if(table.begin(), table.end(),
                           [&name = name](const auto& k) { return env_name(k.name) == name; });
    if (it == table.end()) throw config_error(name + ": unknown setting" + suggestion(name, true));
    apply(*it, s, value, name);
    explicit_keys.insert(std::string{it->name});
  }
}

[[noreturn]] void fail(std::string_view key, const std::string& problem) {
  throw config_error(env_name(key) + " (" + std::string{key} + "): " + problem);
}

void validate(const settings& s, const std::set<std::string>& explicit_keys) {
  if (s.supervisor_backoff_max_ms < s.supervisor_backoff_ms)
    fail("supervisor_backoff_max_ms", "must not be smaller than supervisor_backoff_ms");
  if (s.env != "production") return;
  if (explicit_keys.count("database_url") == 0)
    fail("database_url", "must be set explicitly in production");
  if (s.ops_token.empty()) fail("ops_token", "must be set in production");
  if (s.ops_token.size() < 16) fail("ops_token", "must be at least 16 characters in production");
  if (s.data_key.empty()) fail("data_key", "must be set in production");
  if (s.auth_jwks_url.empty() && s.auth_jwt_key.empty())
    fail("auth_jwks_url", "production needs auth_jwks_url or auth_jwt_key to verify tokens");
  if (s.auth_issuer.empty()) fail("auth_issuer", "must be set in production");
}

}  // namespace

settings load_settings(const std::optional<std::string>& toml_path,
                       const std::map<std::string, std::string>& env) {
  settings s;
  std::set<std::string> explicit_keys;
  if (toml_path) apply_toml_file(*toml_path, s, explicit_keys);
  apply_environment(env, s, explicit_keys);
  validate(s, explicit_keys);
  return s;
}

std::map<std::string, std::string> environment_snapshot() {
  std::map<std::string, std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text{*entry};
    auto eq = text.find('=');
    if (eq == std::string_view::npos || text.substr(0, env_prefix.size()) != env_prefix) continue;
    out.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  return out;
}

std::size_t cpu_cores() { return std::max(1u, std::thread::hardware_concurrency()); }

std::vector<std::string> effective_cors_origins(const settings& s) {
  if (!s.cors_origins.empty()) return s.cors_origins;
  if (s.env != "development" && s.env != "test") return {};
  std::vector<std::string> out;
  for (const char* host : {"http://localhost:", "http://127.0.0.1:"})
    for (const char* port : {"5173", "5174", "3000"}) out.push_back(std::string{host} + port);
  return out;
}

}  // namespace mundoctor::config
