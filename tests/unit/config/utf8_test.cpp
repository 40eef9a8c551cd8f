// The shared UTF-8 checks: RFC 3629's edges and the replacement of what is not UTF-8.

#include "config/utf8.hpp"

#include <string>

#include <gtest/gtest.h>

namespace mundoctor::config {
namespace {

std::size_t first_length(const std::string& text) { return utf8_sequence_length(text, 0); }

TEST(utf8, sequence_lengths_follow_rfc_3629) {
  EXPECT_EQ(first_length(std::string(1, '\0')), 1U);
  EXPECT_EQ(first_length("a"), 1U);
  EXPECT_EQ(first_length("\xC3\xB1"), 2U);          // ñ
  EXPECT_EQ(first_length("\xE2\x82\xAC"), 3U);      // €
  EXPECT_EQ(first_length("\xF0\x9F\x98\x80"), 4U);  // 😀
  EXPECT_EQ(first_length("\xF4\x8F\xBF\xBF"), 4U);  // U+10FFFF
  EXPECT_EQ(first_length("\xC1\xBF"), 0U);          // overlong
  EXPECT_EQ(first_length("\xE0\x9F\xBF"), 0U);      // overlong
  EXPECT_EQ(first_length("\xED\xA0\x80"), 0U);      // a surrogate
  EXPECT_EQ(first_length("\xF0\x8F\xBF\xBF"), 0U);  // overlong
  EXPECT_EQ(first_length("\xF4\x90\x80\x80"), 0U);  // above U+10FFFF
  EXPECT_EQ(first_length("\xF5\x80\x80\x80"), 0U);
  EXPECT_EQ(first_length("\x80"), 0U);          // a continuation byte alone
  EXPECT_EQ(first_length("\xE2\x82"), 0U);      // cut
  EXPECT_EQ(first_length("\xE2\x28\xA1"), 0U);  // not a continuation
}

TEST(utf8, what_is_not_utf8_and_nul_become_replacement_characters) {
  EXPECT_EQ(utf8_or_replacement("ñandú 😀"), "ñandú 😀");
  EXPECT_EQ(utf8_or_replacement(std::string("a\0b", 3)), "a\uFFFDb");
  EXPECT_EQ(utf8_or_replacement("caf\xE9"), "caf\uFFFD");
  EXPECT_EQ(utf8_or_replacement("\xE2\x82"), "\uFFFD\uFFFD");
  EXPECT_EQ(utf8_or_replacement(""), "");
}

}  // namespace
}  // namespace mundoctor::config
