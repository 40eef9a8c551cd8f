#pragma once

// JSON-lines logging on top of spdlog. Every line is one JSON object:
//   {"ts":"2026-11-27T05:56:37.537Z","level":"info","logger":"mundoctor","msg":"..."}
// and log_event() lines carry their fields as top-level keys instead of "msg":
//   {"ts":"...","level":"info","logger":"mundoctor","event":"http_request","status":200,...}
// Text is escaped (quotes, control characters); invalid UTF-8 becomes U+FFFD, so every line
// parses whatever the content. Sinks are the thread-safe (_mt) ones.

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <spdlog/common.h>
#include <spdlog/logger.h>

namespace mundoctor::config {

/// Installs the default spdlog logger "mundoctor", writing JSON lines to stderr.
/// `level` is one of trace|debug|info|warn|error|critical|off (throws config_error otherwise).
void init_logging(const std::string& level);

/// Same, writing to `sink` instead of stderr (tests pass an ostream_sink_mt).
void init_logging(const std::string& level, spdlog::sink_ptr sink);

/// A logger with the JSON-lines format that is not installed as the default.
std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink);

/// Writes one line on the default logger whose keys are "event" plus the members of `fields`
/// (an object; any other non-null value appears under "fields"). Members named like the fixed
/// keys (ts, level, logger, event) are renamed field_<name>.
void log_event(spdlog::level::level_enum level, std::string_view event,
               const nlohmann::json& fields = nlohmann::json::object());

/// Same on a given logger.
void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view event,
               const nlohmann::json& fields = nlohmann::json::object());

/// Appends `text` as the inside of a JSON string (no surrounding quotes).
void append_json_escaped(std::string& out, std::string_view text);

/// "warn" -> spdlog::level::warn; throws config_error for an unknown name.
spdlog::level::level_enum parse_log_level(std::string_view name);

}  // namespace mundoctor::config
