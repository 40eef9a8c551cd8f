#include "http/envelope.hpp"

#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace mundoctor::http {
namespace {

using nlohmann::json;

bool is_rfc3339_utc_millis(const std::string& s) {
  static const std::regex pattern{R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"};
  return std::regex_match(s, pattern);
}

request with_query(std::string query) {
  request req;
  req.query = std::move(query);
  return req;
}

TEST(envelope, success_body_has_the_contract_fields) {
  auto body = success_body(json{{"id", 7}});
  EXPECT_EQ(body.at("success"), true);
  EXPECT_EQ(body.at("data"), (json{{"id", 7}}));
  EXPECT_TRUE(is_rfc3339_utc_millis(body.at("timestamp").get<std::string>()))
      << body.at("timestamp");
  EXPECT_FALSE(body.contains("message"));
  EXPECT_FALSE(body.contains("metadata"));
}

TEST(envelope, success_body_carries_message_and_metadata_when_given) {
  auto body = success_body(json::array({1, 2}), "Listed", json{{"k", 1}});
  EXPECT_EQ(body.at("message"), "Listed");
  EXPECT_EQ(body.at("metadata"), (json{{"k", 1}}));
  EXPECT_EQ(body.at("data"), json::array({1, 2}));
  EXPECT_FALSE(success_body(json::object(), "", json()).contains("metadata"));
}

TEST(envelope, error_body_has_the_contract_fields) {
  auto body = error_body("Nope", "NOT_FOUND");
  EXPECT_EQ(body.at("success"), false);
  EXPECT_EQ(body.at("message"), "Nope");
  EXPECT_EQ(body.at("code"), "NOT_FOUND");
  EXPECT_TRUE(is_rfc3339_utc_millis(body.at("timestamp").get<std::string>()));
  EXPECT_FALSE(body.contains("data"));
  EXPECT_FALSE(body.contains("metadata"));
  auto with_meta = error_body("Bad", "VALIDATION_ERROR", json{{"validationErrors", json::array()}});
  EXPECT_TRUE(with_meta.at("metadata").contains("validationErrors"));
}

TEST(envelope, json_response_sets_status_content_type_and_valid_utf8) {
  auto res = json_response(201, success_body(json{{"name", "Mu\xC3\xB1oz \xE2\x82\xAC"}}));
  EXPECT_EQ(res.status, 201u);
  EXPECT_EQ(res.headers.get("content-type"), "application/json; charset=utf-8");
  auto parsed = json::parse(res.body);
  EXPECT_EQ(parsed.at("data").at("name"), "Mu\xC3\xB1oz \xE2\x82\xAC");
}

TEST(envelope, json_response_survives_invalid_utf8) {
  auto res = json_response(200, success_body(json{{"bad", std::string{"a\xFFz"}}}));
  auto parsed = json::parse(res.body, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << res.body;
}

TEST(envelope, text_response_is_the_same_envelope_as_the_json_one) {
  json data{{"items", json::array({1, 2})}, {"name", "Mu\xC3\xB1oz"}};
  json metadata{{"pagination", {{"page", 1}, {"total", 2}}}};
  auto res = json_text_response(200, data.dump(), metadata.dump());
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(res.headers.get("content-type"), "application/json; charset=utf-8");
  auto parsed = json::parse(res.body);
  auto expected = success_body(data, {}, metadata);
  EXPECT_EQ(parsed.at("data"), expected.at("data"));
  EXPECT_EQ(parsed.at("metadata"), expected.at("metadata"));
  EXPECT_EQ(parsed.at("success"), true);
  EXPECT_TRUE(parsed.at("timestamp").is_string());
  EXPECT_EQ(parsed.size(), expected.size());
  auto bare = json::parse(json_text_response(200, "[]", "").body);
  EXPECT_FALSE(bare.contains("metadata")) << bare.dump();
  EXPECT_EQ(bare.at("data"), json::array());
}

TEST(pagination, metadata_math) {
  page_request p;
  p.page = 2;
  p.limit = 20;
  auto m = pagination_metadata(p, 45).at("pagination");
  EXPECT_EQ(m.at("page"), 2);
  EXPECT_EQ(m.at("limit"), 20);
  EXPECT_EQ(m.at("total"), 45);
  EXPECT_EQ(m.at("totalPages"), 3);
  EXPECT_EQ(m.at("hasNext"), true);
  EXPECT_EQ(m.at("hasPrev"), true);
  EXPECT_EQ(p.offset(), 20);
}

TEST(pagination, exact_multiple_and_last_page) {
  page_request p;
  p.page = 2;
  p.limit = 20;
  auto m = pagination_metadata(p, 40).at("pagination");
  EXPECT_EQ(m.at("totalPages"), 2);
  EXPECT_EQ(m.at("hasNext"), false);
  EXPECT_EQ(m.at("hasPrev"), true);
}

TEST(pagination, total_zero_has_no_pages) {
  page_request p;
  auto m = pagination_metadata(p, 0).at("pagination");
  EXPECT_EQ(m.at("total"), 0);
  EXPECT_EQ(m.at("totalPages"), 0);
  EXPECT_EQ(m.at("hasNext"), false);
  EXPECT_EQ(m.at("hasPrev"), false);
  EXPECT_EQ(m.at("page"), 1);
}

TEST(pagination, first_page_of_one) {
  page_request p;
  p.limit = 10;
  auto m = pagination_metadata(p, 1).at("pagination");
  EXPECT_EQ(m.at("totalPages"), 1);
  EXPECT_EQ(m.at("hasNext"), false);
  EXPECT_EQ(m.at("hasPrev"), false);
}

TEST(parse_page, defaults_when_absent) {
  page_request p;
  std::string problem;
  ASSERT_TRUE(parse_page(with_query(""), p, problem));
  EXPECT_EQ(p.page, 1);
  EXPECT_EQ(p.limit, 20);
  EXPECT_EQ(p.offset(), 0);
}

TEST(parse_page, reads_page_and_limit) {
  page_request p;
  std::string problem;
  ASSERT_TRUE(parse_page(with_query("page=3&limit=15"), p, problem)) << problem;
  EXPECT_EQ(p.page, 3);
  EXPECT_EQ(p.limit, 15);
  EXPECT_EQ(p.offset(), 30);
}

TEST(parse_page, limit_over_the_maximum_is_clamped_not_refused) {
  for (const char* q : {"limit=101", "limit=5000", "limit=999999999999"}) {
    page_request p;
    std::string problem;
    ASSERT_TRUE(parse_page(with_query(q), p, problem)) << q << ": " << problem;
    EXPECT_EQ(p.limit, 100) << q;
  }
}

TEST(parse_page, non_numeric_or_non_positive_values_are_refused) {
  for (const char* q : {"page=abc", "page=0", "page=-1", "page=1.5", "page=", "limit=x", "limit=0",
                        "limit=-5", "limit=10abc", "limit="}) {
    page_request p;
    std::string problem;
    EXPECT_FALSE(parse_page(with_query(q), p, problem)) << q;
    EXPECT_FALSE(problem.empty()) << q;
  }
}

}  // namespace
}  // namespace mundoctor::http
