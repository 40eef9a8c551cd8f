#include "actors/identity/base64.hpp"

#include <string>

#include <gtest/gtest.h>

namespace mundoctor::actors::identity {
namespace {

TEST(base64, encodes_the_rfc_4648_vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
}

TEST(base64, round_trips_every_byte_value_in_both_alphabets) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  for (size_t len = 0; len <= bytes.size(); len += 37) {
    auto chunk = bytes.substr(bytes.size() - len);
    EXPECT_EQ(base64_decode(base64_encode(chunk)), chunk);
    EXPECT_EQ(base64url_decode(base64url_encode(chunk)), chunk);
  }
}

TEST(base64, the_alphabets_differ_in_two_characters) {
  std::string bytes{"\xfb\xff\xfe", 3};
  EXPECT_EQ(base64_encode(bytes), "+//+");
  EXPECT_EQ(base64url_encode(bytes), "-__-");
  EXPECT_EQ(base64url_decode("+//+"), std::nullopt);
  EXPECT_EQ(base64_decode("-__-"), std::nullopt);
}

TEST(base64, standard_decoding_accepts_optional_padding) {
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm8"), "fo");
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8=="), std::nullopt);
  EXPECT_EQ(base64_decode("Z==="), std::nullopt);
  EXPECT_EQ(base64_decode("Zm=8"), std::nullopt);
}

TEST(base64, url_decoding_rejects_padding_and_invalid_characters) {
  EXPECT_EQ(base64url_decode("Zm8="), std::nullopt);
  EXPECT_EQ(base64url_decode("Zm 8"), std::nullopt);
  EXPECT_EQ(base64url_decode("Zm8\n"), std::nullopt);
  EXPECT_EQ(base64url_decode("Z"), std::nullopt);
  EXPECT_EQ(base64url_decode("Zh"), std::nullopt);  // non-zero unused bits
  EXPECT_EQ(base64url_decode(""), std::string{});
}

}  // namespace
}  // namespace mundoctor::actors::identity
