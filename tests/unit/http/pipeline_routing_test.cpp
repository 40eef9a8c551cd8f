// The pipeline: routing, request bodies and response headers.

#include <gtest/gtest.h>

#include "tests/support/http/test_client.hpp"
#include "tests/unit/http/pipeline_fixture.hpp"

namespace mundoctor::http {
namespace {

using nlohmann::json;
using pipeline_routing = pipeline_fixture;

// -- routing -------------------------------------------------------------------------------------

TEST_F(pipeline_routing, unknown_route_is_a_404_envelope) {
  auto res = serve(make_test_request(verb::get, "/nowhere"));
  EXPECT_EQ(res.status, 404u);
  auto body = envelope_of(res);
  EXPECT_EQ(body.at("success"), false);
  EXPECT_EQ(body.at("code"), "NOT_FOUND");
  EXPECT_FALSE(body.at("message").get<std::string>().empty());
  EXPECT_TRUE(body.contains("timestamp"));
}

TEST_F(pipeline_routing, wrong_method_is_a_405_envelope_with_allow) {
  auto res = serve(make_test_request(verb::put, "/items/3"));
  EXPECT_EQ(res.status, 405u);
  EXPECT_EQ(envelope_of(res).at("code"), "METHOD_NOT_ALLOWED");
  auto allow = std::string{res.headers.get("allow").value_or("")};
  EXPECT_NE(allow.find("GET"), std::string::npos) << allow;
  EXPECT_NE(allow.find("DELETE"), std::string::npos) << allow;
  EXPECT_EQ(allow.find("PUT"), std::string::npos) << allow;
}

TEST_F(pipeline_routing, path_parameters_and_pattern_reach_the_handler) {
  auto res = serve(make_test_request(verb::get, "/items/a%20b"));
  ASSERT_EQ(res.status, 200u);
  auto data = envelope_of(res).at("data");
  EXPECT_EQ(data.at("id"), "a b");
  EXPECT_EQ(data.at("route"), "/items/:id");
}

TEST_F(pipeline_routing, success_is_an_envelope) {
  auto res = serve(make_test_request(verb::get, "/hello"));
  ASSERT_EQ(res.status, 200u);
  auto body = envelope_of(res);
  EXPECT_EQ(body.at("success"), true);
  EXPECT_EQ(body.at("data"), (json{{"hello", "world"}}));
  EXPECT_EQ(res.headers.get("content-type"), "application/json; charset=utf-8");
}

TEST_F(pipeline_routing, no_content_has_an_empty_body) {
  auto res = serve(make_test_request(verb::del, "/items/3"));
  EXPECT_EQ(res.status, 204u);
  EXPECT_TRUE(res.body.empty());
}

// -- bodies --------------------------------------------------------------------------------------

TEST_F(pipeline_routing, json_body_is_parsed_for_the_handler) {
  auto res = serve(make_test_request(verb::post, "/echo", R"({"name":"Mu\u00f1oz","n":3})",
                                     {{"Content-Type", "application/json; charset=utf-8"}}));
  ASSERT_EQ(res.status, 201u);
  EXPECT_EQ(envelope_of(res).at("data"), (json{{"name", "Mu\xC3\xB1oz"}, {"n", 3}}));
}

TEST_F(pipeline_routing, text_plain_body_on_a_json_route_is_415) {
  auto res =
      serve(make_test_request(verb::post, "/echo", "hello", {{"Content-Type", "text/plain"}}));
  EXPECT_EQ(res.status, 415u);
  EXPECT_EQ(envelope_of(res).at("code"), "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_EQ(handler_runs_, 0);
}

TEST_F(pipeline_routing, body_without_content_type_on_a_json_route_is_415) {
  auto res = serve(make_test_request(verb::post, "/echo", R"({"a":1})"));
  EXPECT_EQ(res.status, 415u);
  EXPECT_EQ(handler_runs_, 0);
}

TEST_F(pipeline_routing, malformed_json_is_400) {
  for (const char* bad : {"{\"a\":", "{a:1}", "[1,2", "nul"}) {
    auto res =
        serve(make_test_request(verb::post, "/echo", bad, {{"Content-Type", "application/json"}}));
    EXPECT_EQ(res.status, 400u) << bad;
    auto body = envelope_of(res);
    EXPECT_EQ(body.at("success"), false);
    EXPECT_FALSE(body.at("code").get<std::string>().empty());
  }
  EXPECT_EQ(handler_runs_, 0);
}

TEST_F(pipeline_routing, empty_body_on_a_json_route_reaches_the_handler_as_null) {
  auto res = serve(make_test_request(verb::post, "/echo"));
  ASSERT_EQ(res.status, 201u);
  EXPECT_TRUE(envelope_of(res).at("data").is_null());
}

TEST_F(pipeline_routing, routes_without_a_json_body_accept_any_content_type) {
  auto res = serve(make_test_request(verb::post, "/raw", "abc", {{"Content-Type", "text/plain"}}));
  ASSERT_EQ(res.status, 200u);
  EXPECT_EQ(envelope_of(res).at("data").at("size"), 3);
}

// -- headers -------------------------------------------------------------------------------------

TEST_F(pipeline_routing, valid_request_id_is_echoed) {
  auto res = serve(make_test_request(verb::get, "/hello", {}, {{"X-Request-Id", "trace-42.a:b"}}));
  EXPECT_EQ(res.headers.get("x-request-id"), "trace-42.a:b");
}

TEST_F(pipeline_routing, missing_or_invalid_request_id_is_generated) {
  auto generated = serve(make_test_request(verb::get, "/hello"));
  auto id = std::string{generated.headers.get("x-request-id").value_or("")};
  EXPECT_EQ(id.size(), 32u);
  auto replaced =
      serve(make_test_request(verb::get, "/nowhere", {}, {{"X-Request-Id", "bad id\r"}}));
  auto other = std::string{replaced.headers.get("x-request-id").value_or("")};
  EXPECT_EQ(other.size(), 32u);
  EXPECT_NE(other, id);
}

TEST_F(pipeline_routing, security_headers_are_on_successes_and_errors) {
  for (const char* target : {"/hello", "/nowhere", "/throws"}) {
    auto res = serve(make_test_request(verb::get, target));
    EXPECT_EQ(res.headers.get("x-content-type-options"), "nosniff") << target;
    EXPECT_EQ(res.headers.get("x-frame-options"), "DENY") << target;
    EXPECT_TRUE(res.headers.has("content-security-policy")) << target;
    EXPECT_TRUE(res.headers.has("referrer-policy")) << target;
    EXPECT_TRUE(res.headers.has("x-request-id")) << target;
  }
}

TEST_F(pipeline_routing, cors_preflight_and_actual_request_from_a_dev_origin) {
  auto pre = serve(make_test_request(
      verb::options, "/echo", {},
      {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "POST"}}));
  EXPECT_EQ(pre.status, 204u);
  EXPECT_EQ(pre.headers.get("access-control-allow-origin"), "http://localhost:5173");
  auto actual =
      serve(make_test_request(verb::get, "/hello", {}, {{"Origin", "http://localhost:5173"}}));
  EXPECT_EQ(actual.headers.get("access-control-allow-origin"), "http://localhost:5173");
  EXPECT_EQ(actual.headers.get("access-control-allow-credentials"), "true");
  auto foreign =
      serve(make_test_request(verb::get, "/hello", {}, {{"Origin", "https://evil.example"}}));
  EXPECT_FALSE(foreign.headers.has("access-control-allow-origin"));
  auto denied = serve(make_test_request(
      verb::options, "/echo", {},
      {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}}));
  EXPECT_EQ(denied.status, 403u);
}

TEST_F(pipeline_routing, large_json_is_gzipped_when_accepted) {
  auto res = serve(make_test_request(verb::get, "/big", {}, {{"Accept-Encoding", "gzip"}}));
  ASSERT_EQ(res.headers.get("content-encoding"), "gzip");
  auto plain = mundoctor::testing::gunzip(res.body);
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(json::parse(*plain).at("data").at("text").get<std::string>().size(), 8000u);
  auto identity = serve(make_test_request(verb::get, "/big"));
  EXPECT_FALSE(identity.headers.has("content-encoding"));
}

}  // namespace
}  // namespace mundoctor::http
