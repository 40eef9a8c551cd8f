// Operations endpoints over real HTTP: metrics, actor introspection and the probe canary.

#include <string>

#include <gtest/gtest.h>

#include "tests/integration/http/live_server.hpp"

namespace mundoctor::testing {
namespace {

using ops_api = live_server;

http_result post_probe(uint16_t port, const std::string& key) {
  return request(port, "POST", "/ops/probe/" + key, "",
                 {{"Authorization", std::string{"Bearer "} + ops_token}});
}

TEST_F(ops_api, metrics_count_requests_by_route_pattern) {
  ASSERT_EQ(get("/health").status, 200u);
  ASSERT_EQ(get("/api/nothing-here").status, 404u);
  auto res = get("/metrics", with_ops_token());
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(res.header("content-type").rfind("text/plain", 0), 0u) << res.header("content-type");
  EXPECT_NE(res.body.find(
                R"(mundoctor_http_requests_total{method="GET",route="/health",status="200"} 1)"),
            std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("mundoctor_http_request_duration_seconds_bucket{route=\"/health\""),
            std::string::npos);
  EXPECT_EQ(res.body.find("/api/nothing-here"), std::string::npos) << "raw paths are not labels";
  EXPECT_NE(res.body.find("mundoctor_actors{kind=\"probe\"}"), std::string::npos);
}

TEST_F(ops_api, actors_without_or_with_a_wrong_token_are_401) {
  auto none = get("/ops/actors");
  EXPECT_EQ(none.status, 401u);
  EXPECT_EQ(none.json.value("success", true), false);
  auto wrong = get("/ops/actors", {{"Authorization", "Bearer not-the-token"}});
  EXPECT_EQ(wrong.status, 401u);
  auto basic = get("/ops/actors", {{"Authorization", std::string{"Basic "} + ops_token}});
  EXPECT_EQ(basic.status, 401u);
}

TEST_F(ops_api, actors_with_the_token_list_the_probe_kind) {
  auto res = get("/ops/actors", with_ops_token());
  ASSERT_EQ(res.status, 200u) << res.body;
  const auto& kinds = res.json.at("data").at("kinds");
  ASSERT_TRUE(kinds.is_array());
  bool probe = false;
  for (const auto& k : kinds) probe = probe || k.value("kind", "") == "probe";
  EXPECT_TRUE(probe) << kinds.dump();
}

TEST_F(ops_api, every_database_pool_is_visible) {
  auto res = get("/ops/actors", with_ops_token());
  ASSERT_EQ(res.status, 200u) << res.body;
  const auto& data = res.json.at("data");
  EXPECT_GE(data.at("db_pool").value("size", 0), 1) << data.dump();
  EXPECT_GE(data.at("db_read_pool").value("size", 0), 1) << data.dump();
  EXPECT_EQ(data.at("db_log_pool").value("size", 0), 1) << data.dump();
  auto metrics = get("/metrics", with_ops_token());
  EXPECT_NE(metrics.body.find("mundoctor_db_pool_size "), std::string::npos);
  EXPECT_NE(metrics.body.find("mundoctor_db_read_pool_size "), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("mundoctor_db_log_pool_size 1\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("mundoctor_calendar_admission{state=\"limit\"} "), std::string::npos)
      << metrics.body;
}

TEST_F(ops_api, probe_counts_per_key_and_is_inspectable) {
  auto first = post_probe(port_, "abc");
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.json.at("data").at("value"), 1);
  auto second = post_probe(port_, "abc");
  ASSERT_EQ(second.status, 200u) << second.body;
  EXPECT_EQ(second.json.at("data").at("value"), 2);
  EXPECT_EQ(post_probe(port_, "other").json.at("data").at("value"), 1);

  auto summary = get("/ops/actors/probe/abc", with_ops_token());
  ASSERT_EQ(summary.status, 200u) << summary.body;
  EXPECT_EQ(summary.json.at("data").at("key"), "abc");
  EXPECT_EQ(summary.json.at("data").at("value"), 2);

  auto listing = get("/ops/actors", with_ops_token());
  ASSERT_EQ(listing.status, 200u);
  for (const auto& k : listing.json.at("data").at("kinds")) {
    if (k.value("kind", "") == "probe") {
      EXPECT_EQ(k.at("count"), 2) << k.dump();
    }
  }
}

TEST_F(ops_api, unknown_actor_kind_or_key_is_404) {
  EXPECT_EQ(get("/ops/actors/nokind/abc", with_ops_token()).status, 404u);
  EXPECT_EQ(get("/ops/actors/probe/never-started", with_ops_token()).status, 404u);
}

TEST_F(ops_api, probe_needs_the_token) {
  EXPECT_EQ(request(port_, "POST", "/ops/probe/abc").status, 401u);
}

}  // namespace
}  // namespace mundoctor::testing
