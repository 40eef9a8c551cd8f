// The per-route body limit the server asks the pipeline for after reading a request head.

#include <memory>

#include <gtest/gtest.h>

#include "config/settings.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"

namespace mundoctor::http {
namespace {

TEST(body_limit, is_the_matched_routes_own_limit_or_the_global_default) {
  config::settings settings;
  settings.body_limit_bytes = 1000;
  services svc;
  svc.settings = &settings;
  auto routes = std::make_shared<router>();
  auto noop = [](request_context&, responder) {};
  route_options big;
  big.max_body_bytes = 5000;
  routes->add(verb::post, "/api/files/:kind", noop, big);
  routes->add(verb::post, "/api/json", noop);
  pipeline p{svc, routes};
  EXPECT_EQ(p.body_limit(verb::post, "/api/files/avatar"), 5000u);
  EXPECT_EQ(p.body_limit(verb::post, "/api/files/avatar?x=1"), 5000u);
  EXPECT_EQ(p.body_limit(verb::post, "/api/files/%61vatar"), 5000u)
      << "matched on the decoded path";
  EXPECT_EQ(p.body_limit(verb::put, "/api/files/avatar"), 1000u) << "another method";
  EXPECT_EQ(p.body_limit(verb::post, "/api/json"), 1000u);
  EXPECT_EQ(p.body_limit(verb::post, "/nowhere"), 1000u);
  EXPECT_EQ(p.body_limit(verb::post, "/api/files/%zz"), 1000u) << "malformed escape";
}

TEST(body_watch, only_multipart_routes_with_a_part_limit_are_watched) {
  config::settings settings;
  services svc;
  svc.settings = &settings;
  auto routes = std::make_shared<router>();
  auto noop = [](request_context&, responder) {};
  route_options files;
  files.max_part_bytes = 1024 * 1024;
  routes->add(verb::post, "/api/files", noop, files);
  routes->add(verb::post, "/api/json", noop);
  pipeline p{svc, routes};
  const std::string type = "multipart/form-data; boundary=zz";
  EXPECT_FALSE(p.body_watch(verb::post, "/api/json", type));
  EXPECT_FALSE(p.body_watch(verb::post, "/api/files", "application/json"));
  EXPECT_FALSE(p.body_watch(verb::post, "/api/files", "multipart/form-data"))
      << "no boundary: the handler answers it";
  auto watch = p.body_watch(verb::post, "/api/files", type);
  ASSERT_TRUE(watch);
  EXPECT_EQ(watch("--zz\r\nContent-Disposition: form-data; name=\"scan\"; filename=\"a\"\r\n\r\n"),
            "");
  EXPECT_EQ(watch(std::string(512 * 1024, 'x')), "");
  EXPECT_EQ(watch(std::string(600 * 1024, 'x')), "The file scan is larger than 1 MB");
}

}  // namespace
}  // namespace mundoctor::http
