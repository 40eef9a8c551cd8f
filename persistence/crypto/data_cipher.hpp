#pragma once

// AES-256-GCM for medical free text (OpenSSL EVP). A blob is
//   12-byte random nonce || ciphertext || 16-byte tag
// and is stored in a bytea `<field>_ciphertext` column next to `<field>_key_id`, the id of the
// key that produced it. Empty plaintext is stored as NULL (no blob, no key id).
//
// Keys rotate through data_keyring: the current key encrypts, every key of the ring decrypts.
// A data_cipher obtained from a keyring carries the whole ring, so repositories that receive a
// `const data_cipher*` can still read rows written under an older key.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace mundoctor::persistence {

class data_cipher {
 public:
  static constexpr std::size_t key_size = 32;
  static constexpr std::size_t nonce_size = 12;
  static constexpr std::size_t tag_size = 16;

  /// nullopt unless `key_b64` is standard base64 (padding optional) of exactly 32 bytes and
  /// `key_id` is non-empty.
  static std::optional<data_cipher> from_base64_key(const std::string& key_b64,
                                                    std::string key_id = "k1");

  /// nonce || ciphertext || tag under this cipher's key, with a fresh random nonce.
  /// Throws std::runtime_error only if OpenSSL itself fails.
  std::string encrypt(std::string_view plaintext) const;

  /// The plaintext under this cipher's key; nullopt when the blob is too short, was tampered
  /// with or was written under another key.
  std::optional<std::string> decrypt(std::string_view blob) const;

  /// The plaintext under the key named `key_id`: this cipher's key or any key of the ring it
  /// came from. nullopt when the key is unknown or authentication fails.
  std::optional<std::string> decrypt(std::string_view blob, const std::string& key_id) const;

  /// The id stored next to blobs this cipher encrypts.
  const std::string& key_id() const { return key_id_; }

 private:
  friend class data_keyring;
  using key_map = std::map<std::string, std::string>;  // key id -> 32 raw bytes

  data_cipher(std::string key_id, std::string key)
      : key_id_(std::move(key_id)), key_(std::move(key)) {}

  std::string key_id_;
  std::string key_;                        // 32 raw bytes
  std::shared_ptr<const key_map> others_;  // the ring's keys, for decrypt(blob, key_id)
};

/// Several keys by id; the current one encrypts, any of them decrypts.
class data_keyring {
 public:
  /// Adds (or replaces) a key; false when the key is not base64 of 32 bytes or the id is empty.
  /// The first key added becomes the current one.
  bool add(const std::string& key_id, const std::string& key_b64);

  /// Makes a known key the one that encrypts; false when the id is unknown.
  bool set_current(const std::string& key_id);

  /// Parses "id1:BASE64,id2:BASE64" (the last entry is current) or a bare base64 key (id
  /// "k1"). nullopt when any entry is malformed or the text is empty.
  static std::optional<data_keyring> parse(const std::string& text);

  /// The current key, able to decrypt under every key of the ring; nullopt when empty.
  std::optional<data_cipher> cipher() const;

  const std::string& current_id() const { return current_; }
  std::size_t size() const { return keys_.size(); }

 private:
  data_cipher::key_map keys_;
  std::string current_;
};

/// Standard base64 (RFC 4648, padding optional, whitespace not allowed); nullopt when invalid.
std::optional<std::string> decode_base64(std::string_view text);
std::string encode_base64(std::string_view bytes);

}  // namespace mundoctor::persistence
