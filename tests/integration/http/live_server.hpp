#pragma once

// A real mundoctor::http::runtime on 127.0.0.1:<ephemeral>, over a migrated scratch database
// shared by the test suite, plus test routes added through runtime's extra_routes:
//   POST /test/echo   JSON route: answers 201 with the parsed body
//   GET  /test/slow   answers after ~500 ms from a worker thread (never blocks the I/O thread)
//   GET  /test/big    a JSON body of about 20 kB (for gzip)

#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "http/runtime.hpp"
#include "tests/support/http/test_client.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

constexpr auto ops_token = "ops-secret-for-tests";

class live_server : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  void SetUp() override;
  void TearDown() override;

  /// Settings of the runtime; a test may change them and call restart().
  config::settings settings_;
  uint16_t port_ = 0;
  std::unique_ptr<http::runtime> runtime_;

  void start();
  void restart();

  /// Resolved when /test/slow has entered its handler.
  std::future<void> slow_started();

  http_result get(const std::string& target, const header_fields& headers = {}) {
    return request(port_, "GET", target, "", headers);
  }
  static header_fields with_ops_token() {
    return {{"Authorization", std::string{"Bearer "} + ops_token}};
  }

 private:
  void add_test_routes(http::router& r);
  void join_workers();

  std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::promise<void> slow_started_;

  static std::unique_ptr<scratch_database> database_;
  static std::string database_error_;
};

}  // namespace mundoctor::testing
