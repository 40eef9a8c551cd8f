#include "http/message.hpp"

#include <gtest/gtest.h>

namespace mundoctor::http {
namespace {

request with_query(std::string query) {
  request req;
  req.query = std::move(query);
  return req;
}

TEST(percent_decode, decodes_escapes_in_either_case) {
  EXPECT_EQ(percent_decode("a%20b%2Fc%2f", false), "a b/c/");
  EXPECT_EQ(percent_decode("%C3%B1and%c3%a1", false),
            "\xC3\xB1"
            "and"
            "\xC3\xA1");
}

TEST(percent_decode, plus_is_a_space_only_when_asked) {
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");
}

TEST(percent_decode, rejects_malformed_escapes) {
  EXPECT_FALSE(percent_decode("%", false).has_value());
  EXPECT_FALSE(percent_decode("abc%", false).has_value());
  EXPECT_FALSE(percent_decode("abc%4", false).has_value());
  EXPECT_FALSE(percent_decode("%zz", false).has_value());
  EXPECT_FALSE(percent_decode("%4g", false).has_value());
  EXPECT_FALSE(percent_decode("%g4", false).has_value());
}

TEST(percent_decode, escape_at_the_very_end_is_decoded) {
  EXPECT_EQ(percent_decode("x%41", false), "xA");
  EXPECT_EQ(percent_decode("%41", false), "A");
}

TEST(percent_decode, keeps_plain_text_and_empty_input) {
  EXPECT_EQ(percent_decode("", false), "");
  EXPECT_EQ(percent_decode("plain-text_1.2~", true), "plain-text_1.2~");
}

TEST(query_param, returns_the_decoded_first_occurrence) {
  auto req = with_query("q=caf%C3%A9+con+leche&page=2&page=3");
  EXPECT_EQ(req.query_param("q"), "caf\xC3\xA9 con leche");
  EXPECT_EQ(req.query_param("page"), "2");
}

TEST(query_param, missing_parameter_is_nullopt_and_bare_key_is_empty) {
  auto req = with_query("flag&limit=");
  EXPECT_EQ(req.query_param("flag"), "");
  EXPECT_EQ(req.query_param("limit"), "");
  EXPECT_FALSE(req.query_param("page").has_value());
  EXPECT_FALSE(with_query("").query_param("page").has_value());
}

TEST(query_param, encoded_keys_are_matched_after_decoding) {
  EXPECT_EQ(with_query("sort%20by=name").query_param("sort by"), "name");
}

TEST(query_param, malformed_value_is_nullopt) {
  EXPECT_FALSE(with_query("q=%zz").query_param("q").has_value());
}

TEST(query_param, does_not_match_a_key_prefix) {
  auto req = with_query("pages=9&page=4");
  EXPECT_EQ(req.query_param("page"), "4");
}

TEST(header_list, lookup_is_case_insensitive_and_set_replaces) {
  header_list h;
  h.add("Vary", "Origin");
  h.add("VARY", "Accept-Encoding");
  EXPECT_EQ(h.get("vary"), "Origin");
  h.set("Content-Type", "text/plain");
  h.set("content-type", "application/json");
  EXPECT_EQ(h.get("CONTENT-TYPE"), "application/json");
  std::size_t count = 0;
  for (const auto& kv : h.all()) count += kv.first == "content-type";
  EXPECT_EQ(count, 1u);
  h.erase("Vary");
  EXPECT_FALSE(h.has("vary"));
}

TEST(verbs, parse_and_print_round_trip) {
  for (auto v :
       {verb::get, verb::head, verb::post, verb::put, verb::patch, verb::del, verb::options})
    EXPECT_EQ(parse_verb(to_string(v)), v);
  EXPECT_EQ(parse_verb("get"), verb::other);  // methods are case-sensitive
  EXPECT_EQ(parse_verb("TRACE"), verb::other);
}

}  // namespace
}  // namespace mundoctor::http
