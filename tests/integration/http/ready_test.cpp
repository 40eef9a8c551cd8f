// /ready without a reachable database: needs no test database, so it always runs.

#include <gtest/gtest.h>

#include "http/runtime.hpp"
#include "tests/support/http/test_client.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {
namespace {

TEST(runtime_without_database, is_alive_but_not_ready) {
  auto settings = test_settings("postgresql://postgres@127.0.0.1:1/nowhere");
  settings.redis_url.clear();
  http::runtime rt{settings};
  auto ports = rt.start();
  ASSERT_EQ(ports.size(), 1u);
  EXPECT_FALSE(rt.migrations_applied());

  auto health = request(ports[0], "GET", "/health");
  EXPECT_EQ(health.status, 200u);
  auto ready = request(ports[0], "GET", "/ready");
  EXPECT_EQ(ready.status, 503u) << ready.body;
  EXPECT_EQ(ready.json.value("success", true), false);
  EXPECT_FALSE(ready.json.value("code", "").empty());
  EXPECT_FALSE(ready.header("retry-after").empty());

  EXPECT_TRUE(rt.stop());
  EXPECT_FALSE(can_connect(ports[0]));
}

}  // namespace
}  // namespace mundoctor::testing
