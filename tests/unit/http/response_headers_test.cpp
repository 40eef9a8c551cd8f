// Compression, JSON content types and security headers.

#include "http/middleware/response_headers.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/envelope.hpp"
#include "http/pipeline.hpp"
#include "tests/support/http/test_client.hpp"

namespace mundoctor::http {
namespace {

// -- gzip ----------------------------------------------------------------------------------------

TEST(accepts_gzip, reads_the_accept_encoding_list) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("deflate, gzip;q=0.8, br"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("gzip; q=1"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("deflate, br"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
}

response big_json(std::size_t bytes) {
  return json_response(200, success_body(nlohmann::json{{"text", std::string(bytes, 'x')}}));
}

request accepting(const std::string& encoding) {
  request req;
  if (!encoding.empty()) req.headers.set("Accept-Encoding", encoding);
  return req;
}

TEST(maybe_gzip, compresses_large_json_and_round_trips) {
  auto res = big_json(5000);
  auto original = res.body;
  ASSERT_TRUE(maybe_gzip(accepting("gzip, deflate"), res, 1024));
  EXPECT_EQ(res.headers.get("content-encoding"), "gzip");
  EXPECT_NE(std::string{res.headers.get("vary").value_or("")}.find("Accept-Encoding"),
            std::string::npos);
  EXPECT_LT(res.body.size(), original.size());
  EXPECT_EQ(mundoctor::testing::gunzip(res.body), original);
}

TEST(maybe_gzip, leaves_small_bodies_untouched) {
  auto res = big_json(10);
  auto original = res.body;
  EXPECT_FALSE(maybe_gzip(accepting("gzip"), res, 1024));
  EXPECT_EQ(res.body, original);
  EXPECT_FALSE(res.headers.has("content-encoding"));
}

TEST(maybe_gzip, respects_a_refusal_or_absent_header) {
  for (const char* enc : {"gzip;q=0", "br", "", "gzip;q=abc"}) {
    auto res = big_json(5000);
    auto original = res.body;
    EXPECT_FALSE(maybe_gzip(accepting(enc), res, 1024)) << enc;
    EXPECT_EQ(res.body, original) << enc;
    EXPECT_FALSE(res.headers.has("content-encoding")) << enc;
  }
}

TEST(maybe_gzip, skips_binary_types_and_already_encoded_bodies) {
  response png;
  png.headers.set("content-type", "image/png");
  png.body = std::string(5000, 'p');
  EXPECT_FALSE(maybe_gzip(accepting("gzip"), png, 1024));
  auto encoded = big_json(5000);
  encoded.headers.set("content-encoding", "br");
  EXPECT_FALSE(maybe_gzip(accepting("gzip"), encoded, 1024));
  response text;
  text.headers.set("content-type", "text/plain; version=0.0.4");
  text.body = std::string(5000, 't');
  EXPECT_TRUE(maybe_gzip(accepting("gzip"), text, 1024));
}

// -- content types and security headers ------------------------------------------------------

TEST(is_json_content_type, accepts_json_and_suffixed_json_with_parameters) {
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("application/json; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("Application/JSON;charset=UTF-8"));
  EXPECT_TRUE(is_json_content_type("application/merge-patch+json"));
  EXPECT_TRUE(is_json_content_type("application/json ; charset=utf-8"));
}

TEST(is_json_content_type, refuses_everything_else) {
  EXPECT_FALSE(is_json_content_type("text/plain"));
  EXPECT_FALSE(is_json_content_type("text/json"));
  EXPECT_FALSE(is_json_content_type("application/x-www-form-urlencoded"));
  EXPECT_FALSE(is_json_content_type("multipart/form-data; boundary=x"));
  EXPECT_FALSE(is_json_content_type("application/jsonp"));
  EXPECT_FALSE(is_json_content_type(""));
  EXPECT_FALSE(is_json_content_type("+json"));
}

TEST(security_headers, are_set_and_a_handlers_own_csp_is_kept) {
  response res;
  res.headers.set("content-security-policy", "default-src 'self'");
  apply_security_headers(res, true);
  EXPECT_EQ(res.headers.get("x-content-type-options"), "nosniff");
  EXPECT_EQ(res.headers.get("x-frame-options"), "DENY");
  EXPECT_TRUE(res.headers.has("referrer-policy"));
  EXPECT_EQ(res.headers.get("content-security-policy"), "default-src 'self'");
  EXPECT_EQ(res.headers.get("cache-control"), "no-store");
  EXPECT_TRUE(res.headers.has("strict-transport-security"));
  response plain;
  apply_security_headers(plain, false);
  EXPECT_FALSE(plain.headers.has("strict-transport-security"));
  EXPECT_TRUE(plain.headers.has("content-security-policy"));
}

}  // namespace
}  // namespace mundoctor::http
