// The per-authenticated-user rate limit: in process without Redis, and shared by several nodes
// through Redis.

#include <chrono>
#include <thread>

#include "tests/integration/http_identity/identity_server.hpp"

namespace mundoctor::testing {
namespace {

constexpr auto profile = "/api/users/profile";

class user_rate_limit : public identity_test {
 protected:
  void SetUp() override {
    identity_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    settings_.user_rate_limit_rps = 1;
    settings_.user_rate_limit_burst = 3;
  }

  static void expect_limited(const http_result& r) {
    expect_error_envelope(r, 429, "RATE_LIMITED");
    ASSERT_TRUE(r.has_header("retry-after")) << r.body;
    EXPECT_GE(std::stoi(r.header("retry-after")), 1);
  }
};

TEST_F(user_rate_limit, the_fourth_quick_request_of_a_user_is_429_and_others_go_on) {
  start();
  auto busy = unique_user("busy");
  auto token = token_for(busy);
  for (int i = 0; i < 3; ++i) {
    auto r = call("GET", profile, token);
    ASSERT_EQ(r.status, 200u) << "request " << i + 1 << ": " << r.body;
  }
  expect_limited(call("GET", profile, token));

  auto calm = unique_user("calm");
  auto other = call("GET", profile, token_for(calm));
  EXPECT_EQ(other.status, 200u) << other.body;
}

// The Redis counter has fixed windows of burst / rps seconds (3 s here); wait for the start of
// one so that the four requests fall into the same window.
void wait_for_window_start(std::chrono::milliseconds window) {
  auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  auto into = now_ms % window.count();
  if (into > window.count() / 3)
    std::this_thread::sleep_for(std::chrono::milliseconds{window.count() - into + 20});
}

TEST_F(user_rate_limit, nodes_sharing_redis_count_one_user_together) {
  REQUIRE_REDIS();
  settings_.redis_url = *test_redis_url();
  start();
  auto second = launch(settings_);
  // Both nodes have connected to Redis once this passes through each of them.
  ASSERT_EQ(call("GET", profile, token_for(unique_user("warm"))).status, 200u);
  ASSERT_EQ(call_on(second->port(), "GET", profile, token_for(unique_user("warm"))).status, 200u);

  auto busy = unique_user("busy");
  auto token = token_for(busy);
  wait_for_window_start(std::chrono::milliseconds{3'000});
  auto r1 = call("GET", profile, token);
  auto r2 = call("GET", profile, token);
  auto r3 = call_on(second->port(), "GET", profile, token);
  auto r4 = call_on(second->port(), "GET", profile, token);
  EXPECT_EQ(r1.status, 200u) << r1.body;
  EXPECT_EQ(r2.status, 200u) << r2.body;
  EXPECT_EQ(r3.status, 200u) << r3.body;
  expect_limited(r4);

  auto calm = call_on(second->port(), "GET", profile, token_for(unique_user("calm")));
  EXPECT_EQ(calm.status, 200u) << calm.body;
  EXPECT_TRUE(second->stop());
}

}  // namespace
}  // namespace mundoctor::testing
