// AES-256-GCM for medical free text: round trip, authentication, keys and rotation.

#include "persistence/crypto/data_cipher.hpp"

#include <string>

#include <gtest/gtest.h>

namespace mundoctor::persistence {
namespace {

std::string key_of(char fill) { return encode_base64(std::string(32, fill)); }

data_cipher cipher_of(char fill, const std::string& id = "k1") {
  auto c = data_cipher::from_base64_key(key_of(fill), id);
  EXPECT_TRUE(c.has_value());
  return *c;
}

TEST(data_cipher, round_trips_spanish_text_and_binary_bytes) {
  auto c = cipher_of('a');
  std::string text = "Alergia a la penicilina; niño de 7 años, dosis 250 € \n";
  text.push_back('\0');
  text += "tail";
  auto blob = c.encrypt(text);
  EXPECT_EQ(blob.size(), data_cipher::nonce_size + text.size() + data_cipher::tag_size);
  EXPECT_EQ(blob.find("penicilina"), std::string::npos);
  auto back = c.decrypt(blob);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, text);
}

TEST(data_cipher, empty_plaintext_round_trips_to_a_tag_only_blob) {
  auto c = cipher_of('e');
  auto blob = c.encrypt("");
  EXPECT_EQ(blob.size(), data_cipher::nonce_size + data_cipher::tag_size);
  auto back = c.decrypt(blob);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, "");
}

TEST(data_cipher, every_tampered_byte_is_detected) {
  auto c = cipher_of('b');
  auto blob = c.encrypt("diagnóstico: migraña");
  for (std::size_t i = 0; i < blob.size(); ++i) {
    auto bad = blob;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(c.decrypt(bad).has_value()) << "byte " << i;
  }
  EXPECT_FALSE(c.decrypt(blob.substr(0, blob.size() - 1)).has_value());
  EXPECT_FALSE(c.decrypt(blob.substr(0, 10)).has_value());
  EXPECT_FALSE(c.decrypt("").has_value());
}

TEST(data_cipher, a_wrong_key_does_not_decrypt) {
  auto blob = cipher_of('c').encrypt("tratamiento");
  EXPECT_FALSE(cipher_of('d').decrypt(blob).has_value());
  EXPECT_FALSE(cipher_of('d', "k2").decrypt(blob, "k1").has_value());
}

TEST(data_cipher, each_encryption_uses_a_fresh_nonce) {
  auto c = cipher_of('f');
  auto a = c.encrypt("same text");
  auto b = c.encrypt("same text");
  EXPECT_NE(a.substr(0, data_cipher::nonce_size), b.substr(0, data_cipher::nonce_size));
  EXPECT_NE(a, b);
  EXPECT_EQ(c.decrypt(a), c.decrypt(b));
}

TEST(data_cipher, rejects_keys_that_are_not_32_bytes_of_base64) {
  EXPECT_FALSE(data_cipher::from_base64_key(encode_base64(std::string(31, 'x'))).has_value());
  EXPECT_FALSE(data_cipher::from_base64_key(encode_base64(std::string(33, 'x'))).has_value());
  EXPECT_FALSE(data_cipher::from_base64_key("not base64 at all!").has_value());
  EXPECT_FALSE(data_cipher::from_base64_key("").has_value());
  EXPECT_FALSE(data_cipher::from_base64_key(key_of('x'), "").has_value());
  auto ok = data_cipher::from_base64_key(key_of('x'), "2026-01");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->key_id(), "2026-01");
}

TEST(data_cipher, base64_round_trips_every_length) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    auto back = decode_base64(encode_base64(bytes));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, bytes);
    bytes.push_back(static_cast<char>(i * 37));
  }
  EXPECT_EQ(encode_base64("Ma"), "TWE=");
  EXPECT_EQ(decode_base64("TWE"), std::string{"Ma"});
}

TEST(data_keyring, the_current_key_encrypts_and_older_keys_still_decrypt) {
  data_keyring ring;
  ASSERT_TRUE(ring.add("k1", key_of('1')));
  auto old_blob = ring.cipher()->encrypt("historia clínica");
  ASSERT_TRUE(ring.add("k2", key_of('2')));
  EXPECT_EQ(ring.current_id(), "k1");
  ASSERT_TRUE(ring.set_current("k2"));
  EXPECT_FALSE(ring.set_current("k9"));
  auto c = ring.cipher();
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->key_id(), "k2");
  auto new_blob = c->encrypt("nueva nota");
  EXPECT_EQ(c->decrypt(old_blob, "k1"), std::optional<std::string>{"historia clínica"});
  EXPECT_EQ(c->decrypt(new_blob, "k2"), std::optional<std::string>{"nueva nota"});
  EXPECT_FALSE(c->decrypt(old_blob).has_value());  // own key only
  EXPECT_FALSE(c->decrypt(old_blob, "k2").has_value());
  EXPECT_FALSE(c->decrypt(old_blob, "unknown").has_value());
}

TEST(data_keyring, parses_a_key_list_and_a_bare_key) {
  auto ring = data_keyring::parse("old:" + key_of('1') + ",new:" + key_of('2'));
  ASSERT_TRUE(ring.has_value());
  EXPECT_EQ(ring->size(), 2u);
  EXPECT_EQ(ring->current_id(), "new");
  auto bare = data_keyring::parse(key_of('3'));
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->current_id(), "k1");
  EXPECT_FALSE(data_keyring::parse("").has_value());
  EXPECT_FALSE(data_keyring::parse("a:" + key_of('1') + ",broken").has_value());
  EXPECT_FALSE(data_keyring::parse("a:short").has_value());
  EXPECT_FALSE(data_keyring{}.cipher().has_value());
}

}  // namespace
}  // namespace mundoctor::persistence
