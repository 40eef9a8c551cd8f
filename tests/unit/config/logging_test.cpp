// JSON-lines logging: every line parses, text round-trips, event fields are top-level keys.

#include "config/logging.hpp"

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "config/config.hpp"

namespace mundoctor::config {
namespace {

using nlohmann::json;

class logging_test : public ::testing::Test {
 protected:
  void SetUp() override {
    logger_ = make_json_logger("mundoctor", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
    logger_->set_level(spdlog::level::trace);
  }

  // Every line of the output, parsed; a line that is not JSON fails the test.
  std::vector<json> lines() const {
    std::vector<json> out;
    std::istringstream in{out_.str()};
    for (std::string line; std::getline(in, line);) {
      try {
        out.push_back(json::parse(line));
      } catch (const json::exception& e) {
        ADD_FAILURE() << "not JSON: " << line << " (" << e.what() << ")";
      }
    }
    return out;
  }

  json only_line() const {
    auto all = lines();
    EXPECT_EQ(all.size(), 1u) << out_.str();
    return all.empty() ? json{} : all.front();
  }

  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> logger_;
};

TEST_F(logging_test, writes_ts_level_logger_and_msg) {
  logger_->info("hello {}", 42);
  auto line = only_line();
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("logger"), "mundoctor");
  EXPECT_EQ(line.at("msg"), "hello 42");
  auto ts = line.at("ts").get<std::string>();
  EXPECT_EQ(ts.size(), std::string{"2026-11-27T05:56:37.537Z"}.size()) << ts;
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts.back(), 'Z');
}

TEST_F(logging_test, message_with_quotes_newlines_and_non_ascii_round_trips) {
  const std::string text = "say \"hola\"\nse\xC3\xB1or\t\\ end\r {} \x01 \xE2\x82\xAC";
  logger_->warn(text);
  auto line = only_line();
  EXPECT_EQ(line.at("msg"), text);
  EXPECT_EQ(line.at("level"), "warn");
}

TEST_F(logging_test, invalid_utf8_becomes_replacement_characters_and_stays_valid_json) {
  logger_->error(std::string{"bad \xC3 byte \xFF\xFE and \xED\xA0\x80 surrogate"});
  auto line = only_line();
  auto msg = line.at("msg").get<std::string>();
  EXPECT_NE(msg.find("bad \xEF\xBF\xBD byte"), std::string::npos) << msg;
  EXPECT_EQ(msg.find('\xFF'), std::string::npos) << msg;
}

TEST_F(logging_test, event_fields_are_top_level_keys_with_their_types) {
  log_event(*logger_, spdlog::level::info, "http_request",
            {{"method", "GET"},
             {"route", "/api/x/:id"},
             {"status", 200},
             {"duration_ms", 1.25},
             {"request_id", "r-\"1\"\nse\xC3\xB1or"},
             {"tags", {"a", "b"}}});
  auto line = only_line();
  EXPECT_EQ(line.at("event"), "http_request");
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("method"), "GET");
  EXPECT_EQ(line.at("route"), "/api/x/:id");
  EXPECT_EQ(line.at("status"), 200);
  EXPECT_DOUBLE_EQ(line.at("duration_ms").get<double>(), 1.25);
  EXPECT_EQ(line.at("request_id"), "r-\"1\"\nse\xC3\xB1or");
  EXPECT_EQ(line.at("tags"), json({"a", "b"}));
  EXPECT_TRUE(line.contains("ts"));
  EXPECT_FALSE(line.contains("msg"));
}

TEST_F(logging_test, event_fields_cannot_overwrite_the_fixed_keys) {
  log_event(*logger_, spdlog::level::info, "login", {{"level", "spoofed"}, {"event", "other"}});
  auto line = only_line();
  EXPECT_EQ(line.at("level"), "info");
  EXPECT_EQ(line.at("event"), "login");
  EXPECT_EQ(line.at("field_level"), "spoofed");
  EXPECT_EQ(line.at("field_event"), "other");
}

TEST_F(logging_test, event_with_a_non_object_payload_keeps_it_under_fields) {
  log_event(*logger_, spdlog::level::debug, "batch", json::array({1, 2}));
  EXPECT_EQ(only_line().at("fields"), json::array({1, 2}));
}

TEST_F(logging_test, event_with_invalid_utf8_in_a_field_is_still_one_json_line) {
  log_event(*logger_, spdlog::level::info, "odd\xFF", {{"name", std::string{"x\xC3"}}});
  auto line = only_line();
  EXPECT_EQ(line.at("event"), "odd\xEF\xBF\xBD");
  EXPECT_EQ(line.at("name"), "x\xEF\xBF\xBD");
}

TEST_F(logging_test, lines_below_the_level_are_dropped) {
  logger_->set_level(spdlog::level::warn);
  logger_->info("quiet");
  log_event(*logger_, spdlog::level::info, "quiet_event");
  log_event(*logger_, spdlog::level::err, "loud_event");
  auto line = only_line();
  EXPECT_EQ(line.at("event"), "loud_event");
  EXPECT_EQ(line.at("level"), "error");
}

TEST_F(logging_test, concurrent_writers_produce_whole_lines) {
  constexpr int threads = 4;
  constexpr int per_thread = 200;
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([this, t] {
      for (int i = 0; i < per_thread; ++i) {
        if (i % 2 == 0)
          logger_->info("thread {} line {} \"quoted\"", t, i);
        else
          log_event(*logger_, spdlog::level::info, "tick", {{"thread", t}, {"i", i}});
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(lines().size(), static_cast<std::size_t>(threads * per_thread));
}

TEST(init_logging, installs_the_default_logger_and_log_event_uses_it) {
  std::ostringstream out;
  init_logging("debug", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  spdlog::debug("starting {}", "up");
  spdlog::trace("hidden");
  log_event(spdlog::level::info, "started", {{"port", 8000}});
  auto text = out.str();
  init_logging("info");  // back to stderr before `out` goes away

  std::istringstream in{text};
  std::vector<json> parsed;
  for (std::string line; std::getline(in, line);) parsed.push_back(json::parse(line));
  ASSERT_EQ(parsed.size(), 2u) << text;
  EXPECT_EQ(parsed[0].at("msg"), "starting up");
  EXPECT_EQ(parsed[0].at("level"), "debug");
  EXPECT_EQ(parsed[1].at("event"), "started");
  EXPECT_EQ(parsed[1].at("port"), 8000);
  EXPECT_EQ(parsed[1].at("logger"), "mundoctor");
}

TEST(init_logging, rejects_an_unknown_level) {
  EXPECT_THROW(init_logging("verbose"), config_error);
  EXPECT_EQ(parse_log_level("warn"), spdlog::level::warn);
  EXPECT_EQ(parse_log_level("off"), spdlog::level::off);
}

TEST(append_json_escaped, escapes_control_characters) {
  std::string out;
  append_json_escaped(out, "a\"b\\c\n\x1f");
  EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u001f");
}

}  // namespace
}  // namespace mundoctor::config
