#pragma once

// The raw server on the shared HTTP fixture (tests/support/http/api_fixture.hpp), with the plain
// test settings (no token key, the test Redis when configured), a 1 kB body limit, a 300 ms
// header timeout, and test routes added next to the real ones:
//   POST /test/echo   JSON route: answers 201 with the parsed body
//   GET  /test/slow   answers after ~500 ms from a worker thread (never blocks the I/O thread)
//   GET  /test/big    a JSON body of about 20 kB (for gzip)

#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

constexpr auto ops_token = "ops-secret-for-tests";

class live_server : public api_test {
 protected:
  /// The runtime starts without waiting for the services.
  live_server() { wait_for_services_ = false; }

  void configure(config::settings& s) const override;
  void add_routes(http::router& r) override;
  void TearDown() override;

  /// Stops the runtime and starts it again with settings_.
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
  void join_workers();

  std::mutex mutex_;
  std::vector<std::thread> workers_;
  std::promise<void> slow_started_;
};

}  // namespace mundoctor::testing
