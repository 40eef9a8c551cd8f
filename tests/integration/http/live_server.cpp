#include "tests/integration/http/live_server.hpp"

#include <chrono>

#include "config/logging.hpp"
#include "http/router.hpp"

namespace mundoctor::testing {

namespace {

// Warnings and errors of the server go to stderr; the per-request access log stays quiet.
class server_logging : public ::testing::Environment {
 public:
  void SetUp() override { config::init_logging("warn"); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new server_logging);

}  // namespace

std::unique_ptr<scratch_database> live_server::database_;
std::string live_server::database_error_;

void live_server::SetUpTestSuite() {
  if (!test_database_admin_url() || database_) return;
  try {
    database_ = std::make_unique<scratch_database>(migrated_database());
  } catch (const std::exception& e) {
    database_error_ = e.what();
  }
}

void live_server::TearDownTestSuite() { database_.reset(); }

void live_server::SetUp() {
  REQUIRE_DATABASE();
  ASSERT_TRUE(database_) << "the scratch database could not be prepared: " << database_error_;
  settings_ = test_settings(database_->url());
  settings_.body_limit_bytes = 1024;
  settings_.header_timeout_ms = 300;
  settings_.ops_token = ops_token;
  settings_.shutdown_grace_ms = 5'000;
  start();
}

void live_server::TearDown() {
  join_workers();  // a worker answers through the runtime, so it goes first
  if (runtime_) {
    EXPECT_TRUE(runtime_->stop());
  }
  runtime_.reset();
}

void live_server::start() {
  runtime_ = std::make_unique<http::runtime>(settings_,
                                             [this](http::router& r) { add_test_routes(r); });
  auto ports = runtime_->start();
  ASSERT_EQ(ports.size(), 1u);
  port_ = ports.front();
  ASSERT_NE(port_, 0);
}

void live_server::restart() {
  join_workers();
  if (runtime_) runtime_->stop();
  runtime_.reset();
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

void live_server::add_test_routes(http::router& r) {
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
