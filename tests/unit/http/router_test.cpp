#include "http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include <gtest/gtest.h>

namespace mundoctor::http {
namespace {

handler_fn tagged(int tag, int& hit) {
  return [tag, &hit](request_context&, responder) { hit = tag; };
}

class router_test : public ::testing::Test {
 protected:
  void call(const route_match& m) {
    ASSERT_NE(m.matched, nullptr);
    request_context ctx;
    m.matched->handler(ctx, responder{});
  }

  router r;
  int hit = 0;
};

TEST(split_path, drops_empty_segments) {
  EXPECT_EQ(split_path("/a/b/"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_path("//a//b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(split_path("/").empty());
  EXPECT_TRUE(split_path("").empty());
}

TEST_F(router_test, static_segment_beats_parameter_whatever_the_registration_order) {
  r.add(verb::get, "/api/items/:id", tagged(1, hit));
  r.add(verb::get, "/api/items/mine", tagged(2, hit));
  auto m = r.match(verb::get, "/api/items/mine");
  ASSERT_EQ(m.result, route_match::outcome::found);
  call(m);
  EXPECT_EQ(hit, 2);
  EXPECT_EQ(m.matched->pattern, "/api/items/mine");
  EXPECT_TRUE(m.params.empty());

  auto other = r.match(verb::get, "/api/items/42");
  ASSERT_EQ(other.result, route_match::outcome::found);
  call(other);
  EXPECT_EQ(hit, 1);
}

TEST_F(router_test, extracts_every_parameter_by_name) {
  r.add(verb::get, "/api/professionals/:pid/services/:sid", tagged(1, hit));
  auto m = r.match(verb::get, "/api/professionals/user_2abc/services/77");
  ASSERT_EQ(m.result, route_match::outcome::found);
  using param = std::pair<std::string, std::string>;
  EXPECT_EQ(m.params, (std::vector<param>{{"pid", "user_2abc"}, {"sid", "77"}}));
}

TEST_F(router_test, unknown_path_is_not_found) {
  r.add(verb::get, "/health", tagged(1, hit));
  auto m = r.match(verb::get, "/nope");
  EXPECT_EQ(m.result, route_match::outcome::not_found);
  EXPECT_EQ(m.matched, nullptr);
  EXPECT_TRUE(m.allowed.empty());
  // A path with more segments than any pattern is not found either.
  EXPECT_EQ(r.match(verb::get, "/health/x").result, route_match::outcome::not_found);
}

TEST_F(router_test, known_path_with_another_method_lists_the_allowed_methods) {
  r.add(verb::get, "/api/things/:id", tagged(1, hit));
  r.add(verb::put, "/api/things/:id", tagged(2, hit));
  r.add(verb::del, "/api/things/:id", tagged(3, hit));
  auto m = r.match(verb::post, "/api/things/9");
  EXPECT_EQ(m.result, route_match::outcome::method_not_allowed);
  EXPECT_EQ(m.matched, nullptr);
  auto allowed = m.allowed;
  std::sort(allowed.begin(), allowed.end());
  EXPECT_EQ(allowed, (std::vector<verb>{verb::get, verb::put, verb::del}));
}

TEST_F(router_test, allowed_methods_are_listed_once) {
  r.add(verb::get, "/a/:x", tagged(1, hit));
  r.add(verb::get, "/a/fixed", tagged(2, hit));
  auto m = r.match(verb::post, "/a/fixed");
  ASSERT_EQ(m.result, route_match::outcome::method_not_allowed);
  EXPECT_EQ(m.allowed, std::vector<verb>{verb::get});
}

TEST_F(router_test, head_is_served_by_the_get_route) {
  r.add(verb::get, "/health", tagged(1, hit));
  auto m = r.match(verb::head, "/health");
  ASSERT_EQ(m.result, route_match::outcome::found);
  EXPECT_EQ(m.matched->method, verb::get);
}

TEST_F(router_test, head_on_a_post_only_path_is_method_not_allowed) {
  r.add(verb::post, "/submit", tagged(1, hit));
  auto m = r.match(verb::head, "/submit");
  EXPECT_EQ(m.result, route_match::outcome::method_not_allowed);
  EXPECT_EQ(m.allowed, std::vector<verb>{verb::post});
}

TEST_F(router_test, duplicate_method_and_pattern_throws) {
  r.add(verb::get, "/x/:id", tagged(1, hit));
  EXPECT_THROW(r.add(verb::get, "/x/:id", tagged(2, hit)), std::logic_error);
  EXPECT_NO_THROW(r.add(verb::post, "/x/:id", tagged(3, hit)));
  EXPECT_EQ(r.routes().size(), 2u);
}

TEST_F(router_test, trailing_slash_matches_the_same_route) {
  r.add(verb::get, "/api/items", tagged(1, hit));
  auto m = r.match(verb::get, "/api/items/");
  ASSERT_EQ(m.result, route_match::outcome::found);
  EXPECT_EQ(m.matched->pattern, "/api/items");
}

TEST_F(router_test, root_path_matches_only_the_root_pattern) {
  r.add(verb::get, "/", tagged(1, hit));
  r.add(verb::get, "/:name", tagged(2, hit));
  auto root = r.match(verb::get, "/");
  ASSERT_EQ(root.result, route_match::outcome::found);
  EXPECT_EQ(root.matched->pattern, "/");
  auto named = r.match(verb::get, "/bob");
  ASSERT_EQ(named.result, route_match::outcome::found);
  EXPECT_EQ(named.matched->pattern, "/:name");
}

}  // namespace
}  // namespace mundoctor::http
