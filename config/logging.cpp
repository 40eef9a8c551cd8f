#include "config/logging.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "config/config.hpp"
#include "config/utf8.hpp"

namespace mundoctor::config {
namespace {

// log_event() passes this pointer as the source file name; the formatter recognises it by
// identity and writes the payload as ready-made JSON members instead of an escaped "msg".
constexpr char event_marker[] = "mundoctor.log_event";

constexpr std::array<std::string_view, 7> level_names{"trace", "debug",    "info", "warn",
                                                      "error", "critical", "off"};

template <class Out>
void append(Out& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

template <class Out>
void escape_into(Out& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      auto len = utf8_sequence_length(text, i);
      append(out, len == 0 ? std::string_view{"\xEF\xBF\xBD"} : text.substr(i, len));
      i += len == 0 ? 1 : len;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        append(out, "\\\"");
        break;
      case '\\':
        append(out, "\\\\");
        break;
      case '\n':
        append(out, "\\n");
        break;
      case '\r':
        append(out, "\\r");
        break;
      case '\t':
        append(out, "\\t");
        break;
      default:
        if (c < 0x20) {
          const char esc[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
          append(out, std::string_view{esc, sizeof esc});
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
}

// Writes `"level":"..","logger":"..",` and then the event members or `"msg":"..."`.
class json_body_flag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& m, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    append(dest, "\"level\":\"");
    append(dest, level_names.at(static_cast<std::size_t>(m.level)));
    append(dest, "\",\"logger\":\"");
    escape_into(dest, std::string_view{m.logger_name.data(), m.logger_name.size()});
    append(dest, "\",");
    std::string_view payload{m.payload.data(), m.payload.size()};
    if (m.source.filename == event_marker) {
      append(dest, payload);
      return;
    }
    append(dest, "\"msg\":\"");
    escape_into(dest, payload);
    append(dest, "\"");
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_body_flag>();
  }
};

std::string event_payload(std::string_view event, const nlohmann::json& fields) {
  static constexpr std::array<std::string_view, 4> fixed{"ts", "level", "logger", "event"};
  auto dump = [](const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  std::string out = "\"event\":\"";
  escape_into(out, event);
  out += '"';
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      bool taken = std::find(fixed.begin(), fixed.end(), key) != fixed.end();
      out += ",\"";
      escape_into(out, taken ? "field_" + key : key);
      out += "\":" + dump(value);
    }
  } else if (!fields.is_null()) {
    out += ",\"fields\":" + dump(fields);
  }
  return out;
}

void report_logging_error(const std::string& problem) {
  std::string line = R"({"level":"error","logger":"spdlog","msg":")";
  escape_into(line, problem);
  line += "\"}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) { escape_into(out, text); }

spdlog::level::level_enum parse_log_level(std::string_view name) {
  auto it = std::find(level_names.begin(), level_names.end(), name);
  if (it == level_names.end()) {
    throw config_error("log level \"" + std::string{name} +
                       "\" is not one of trace|debug|info|warn|error|critical|off");
  }
  return static_cast<spdlog::level::level_enum>(it - level_names.begin());
}

std::shared_ptr<spdlog::logger> make_json_logger(std::string name, spdlog::sink_ptr sink) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc,
                                                               std::string{"\n"});
  formatter->add_flag<json_body_flag>('*').set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ",%*})");
  auto logger = std::make_shared<spdlog::logger>(std::move(name), std::move(sink));
  logger->set_formatter(std::move(formatter));
  logger->set_error_handler(report_logging_error);
  logger->flush_on(spdlog::level::warn);
  return logger;
}

void init_logging(const std::string& level) {
  init_logging(level, std::make_shared<spdlog::sinks::stderr_sink_mt>());
}

void init_logging(const std::string& level, spdlog::sink_ptr sink) {
  auto threshold = parse_log_level(level);
  auto logger = make_json_logger("mundoctor", std::move(sink));
  logger->set_level(threshold);
  spdlog::set_default_logger(std::move(logger));
}

void log_event(spdlog::level::level_enum level, std::string_view event,
               const nlohmann::json& fields) {
  log_event(*spdlog::default_logger_raw(), level, event, fields);
}

void log_event(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view event,
               const nlohmann::json& fields) {
  if (!logger.should_log(level)) return;
  auto payload = event_payload(event, fields);
  logger.log(spdlog::source_loc{event_marker, 1, event_marker}, level,
             spdlog::string_view_t{payload.data(), payload.size()});
}

}  // namespace mundoctor::config
