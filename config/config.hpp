#pragma once

// Loading, validating and describing the server settings.
//
// Precedence: defaults (settings.hpp) < TOML file < MUNDOCTOR_* environment. Every field of
// `settings` has exactly one key, listed once in `key_table()`: the TOML name is the field name
// (`listen`), the environment name is MUNDOCTOR_ plus the upper-case name (`MUNDOCTOR_LISTEN`).
// Unknown keys are errors, in the file and in the environment alike.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/settings.hpp"

namespace mundoctor::config {

/// A configuration problem. what() is one line naming the key (or file) and the problem.
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads the file (when given) and the environment over the defaults, then validates the result.
/// Throws config_error on the first problem.
settings load_settings(const std::optional<std::string>& toml_path,
                       const std::map<std::string, std::string>& env);

/// The MUNDOCTOR_* variables of the process environment (all other variables are dropped).
std::map<std::string, std::string> environment_snapshot();

/// Every key with its effective value as text, in table order. Secrets render as "(set)" or
/// "(unset)"; passwords inside URLs render as ***.
std::vector<std::pair<std::string, std::string>> describe(const settings& s);

/// All keys with their environment names, kinds, defaults and help, for `--help`.
std::string help_text();

/// The machine's cores, at least 1: what the "0 = cores" settings (threads, pools, admission)
/// count.
std::size_t cpu_cores();

/// The CORS origins in force: the configured ones, or, when none are configured and env is
/// development or test, the local development servers on ports 5173, 5174 and 3000.
std::vector<std::string> effective_cors_origins(const settings& s);

// -- the key table ---------------------------------------------------------------------------

enum class value_kind { string, list, integer, boolean, enumeration, listen };

/// One configuration key. `assign` parses and validates the text form of a value and stores it;
/// on a bad value it throws value_error with a message that does not repeat the value.
struct key_descriptor {
  std::string_view name;
  value_kind kind;
  bool secret;         // never printed: describe() shows only "(set)" or "(unset)"
  std::string format;  // accepted values, for help: "1..128", "development|test|production"
  std::string_view help;
  std::function<void(settings&, std::string_view)> assign;
  std::function<std::string(const settings&)> render;
};

/// Thrown by the value parsers; load_settings turns it into a config_error naming the key.
class value_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const std::vector<key_descriptor>& key_table();

/// "listen" -> "MUNDOCTOR_LISTEN".
std::string env_name(std::string_view key);

/// True for MUNDOCTOR_* variables that belong to scripts and tests, not to the server.
bool is_allowed_foreign_variable(std::string_view name);

// -- value parsers (throw value_error) -------------------------------------------------------

bool parse_bool(std::string_view text);
uint64_t parse_unsigned(std::string_view text, uint64_t min, uint64_t max);
/// Comma-separated items, each trimmed; empty items are dropped.
std::vector<std::string> parse_list(std::string_view text);
/// "host:port[,host:port...]" where host is IPv4, a hostname or [IPv6]; the port may be 0.
std::vector<listen_address> parse_listen_list(std::string_view text);
std::string render_listen_list(const std::vector<listen_address>& list);
/// The URL (or libpq key=value string) with any password replaced by ***.
std::string redact_url(std::string_view url);
/// Bytes encoded by standard base64 (with padding); nullopt when the text is not base64.
std::optional<std::size_t> base64_decoded_size(std::string_view text);

}  // namespace mundoctor::config
