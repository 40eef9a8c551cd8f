#include "tests/integration/http/live_server.hpp"

#include <chrono>

#include "http/router.hpp"

namespace mundoctor::testing {

void live_server::configure(config::settings& s) const {
  s = test_settings(database_url());
  s.body_limit_bytes = 1024;
  s.header_timeout_ms = 300;
  s.ops_token = ops_token;
  s.shutdown_grace_ms = 5'000;
}

void live_server::TearDown() {
  join_workers();  // a worker answers through the runtime, so it goes first
  api_test::TearDown();
}

void live_server::restart() {
  join_workers();
  stop();
  start();
}

std::future<void> live_server::slow_started() {
  std::lock_guard<std::mutex> guard{mutex_};
  slow_started_ = std::promise<void>{};
  return slow_started_.get_future();
}

void live_server::join_workers() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

void live_server::add_routes(http::router& r) {
  r.add(http::verb::post, "/test/echo",
        [](http::request_context& ctx, http::responder res) { res.created(ctx.json); });
  r.add(http::verb::get, "/test/slow", [this](http::request_context&, http::responder res) {
    std::lock_guard<std::mutex> guard{mutex_};
    workers_.emplace_back([res] {
      std::this_thread::sleep_for(std::chrono::milliseconds{500});
      res.ok({{"slow", true}});
    });
    try {
      slow_started_.set_value();
    } catch (const std::future_error&) {
      // nobody is waiting for this one
    }
  });
  r.add(http::verb::get, "/test/big", [](http::request_context&, http::responder res) {
    auto items = nlohmann::json::array();
    for (int i = 0; i < 400; ++i)
      items.push_back({{"id", i}, {"name", "Profesional n\xC3\xBAmero " + std::to_string(i)}});
    res.ok(std::move(items));
  });
}

}  // namespace mundoctor::testing
