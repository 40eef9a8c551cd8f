// CORS policy and request ids.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/middleware/cors.hpp"
#include "http/middleware/request_id.hpp"

namespace mundoctor::http {
namespace {

constexpr auto dev_origin = "http://localhost:5173";

request from_origin(verb method, const std::string& origin) {
  request req;
  req.method = method;
  req.path = "/api/things";
  if (!origin.empty()) req.headers.set("Origin", origin);
  return req;
}

request preflight_from(const std::string& origin) {
  auto req = from_origin(verb::options, origin);
  req.headers.set("Access-Control-Request-Method", "POST");
  req.headers.set("Access-Control-Request-Headers", "content-type, authorization");
  return req;
}

// -- CORS ----------------------------------------------------------------------------------------

TEST(cors_policy, allowed_origin_is_echoed_with_credentials) {
  cors_policy cors{{dev_origin}};
  response res;
  cors.apply(from_origin(verb::get, dev_origin), res);
  EXPECT_EQ(res.headers.get("access-control-allow-origin"), dev_origin);
  EXPECT_EQ(res.headers.get("access-control-allow-credentials"), "true");
  auto exposed = std::string{res.headers.get("access-control-expose-headers").value_or("")};
  EXPECT_NE(exposed.find("X-Request-Id"), std::string::npos);
  EXPECT_EQ(res.headers.get("vary"), "Origin");
}

TEST(cors_policy, unknown_origin_gets_no_cors_headers) {
  cors_policy cors{{dev_origin}};
  response res;
  cors.apply(from_origin(verb::get, "https://evil.example"), res);
  for (const auto& [name, value] : res.headers.all())
    EXPECT_NE(name.rfind("access-control-", 0), 0u) << name << ": " << value;
  EXPECT_FALSE(cors.allowed("http://localhost:5173.evil.example"));
  EXPECT_FALSE(cors.allowed("HTTP://LOCALHOST:5173"));
}

TEST(cors_policy, request_without_origin_gets_no_cors_headers) {
  cors_policy cors{{dev_origin}};
  response res;
  cors.apply(from_origin(verb::get, ""), res);
  EXPECT_FALSE(res.headers.has("access-control-allow-origin"));
}

TEST(cors_policy, preflight_from_allowed_origin_is_204_with_methods_and_headers) {
  cors_policy cors{{dev_origin}};
  auto res = cors.preflight(preflight_from(dev_origin));
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 204u);
  EXPECT_TRUE(res->body.empty());
  EXPECT_EQ(res->headers.get("access-control-allow-origin"), dev_origin);
  EXPECT_EQ(res->headers.get("access-control-allow-credentials"), "true");
  auto methods = std::string{res->headers.get("access-control-allow-methods").value_or("")};
  for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"})
    EXPECT_NE(methods.find(m), std::string::npos) << m;
  auto headers = to_lower(res->headers.get("access-control-allow-headers").value_or(""));
  for (const char* h : {"authorization", "content-type", "idempotency-key", "clerk-db-jwt"})
    EXPECT_NE(headers.find(h), std::string::npos) << h;
}

TEST(cors_policy, preflight_from_unknown_origin_is_403) {
  cors_policy cors{{dev_origin}};
  auto res = cors.preflight(preflight_from("https://evil.example"));
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 403u);
  EXPECT_FALSE(res->headers.has("access-control-allow-origin"));
  EXPECT_EQ(nlohmann::json::parse(res->body).at("success"), false);
}

TEST(cors_policy, options_without_request_method_is_not_a_preflight) {
  cors_policy cors{{dev_origin}};
  EXPECT_FALSE(cors.preflight(from_origin(verb::options, dev_origin)).has_value());
  auto no_origin = preflight_from(dev_origin);
  no_origin.headers.erase("origin");
  EXPECT_FALSE(cors.preflight(no_origin).has_value());
  auto get = preflight_from(dev_origin);
  get.method = verb::get;
  EXPECT_FALSE(cors.preflight(get).has_value());
}

TEST(cors_policy, wildcard_allows_any_origin) {
  cors_policy cors{{"*"}};
  EXPECT_TRUE(cors.allowed("https://anything.example"));
}

// -- request ids ---------------------------------------------------------------------------------

TEST(request_id, valid_client_id_is_echoed) {
  request req;
  req.headers.set("X-Request-Id", "abc-123_x.y:z");
  EXPECT_EQ(request_id_for(req), "abc-123_x.y:z");
}

TEST(request_id, invalid_or_missing_client_id_is_replaced) {
  for (std::string bad : {std::string{"has space"}, std::string{"quote\"inject"},
                          std::string{"line\nbreak"}, std::string(129, 'a'), std::string{}}) {
    request req;
    req.headers.set("X-Request-Id", bad);
    auto id = request_id_for(req);
    EXPECT_NE(id, bad);
    EXPECT_TRUE(valid_request_id(id)) << id;
    EXPECT_EQ(id.size(), 32u);
  }
  request none;
  auto a = request_id_for(none);
  auto b = request_id_for(none);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
}

TEST(request_id, length_limit_is_inclusive) {
  EXPECT_TRUE(valid_request_id(std::string(128, 'a')));
  EXPECT_FALSE(valid_request_id(std::string(129, 'a')));
}

}  // namespace
}  // namespace mundoctor::http
