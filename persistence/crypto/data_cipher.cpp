#include "persistence/crypto/data_cipher.hpp"

#include <array>
#include <stdexcept>
#include <utility>

#include <openssl/evp.h>
#include <openssl/rand.h>

namespace mundoctor::persistence {

namespace {

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_value(char c) {
  auto pos = base64_alphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

struct ctx_deleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using ctx_ptr = std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

std::optional<std::string> gcm_decrypt(const std::string& key, std::string_view blob) {
  constexpr auto overhead = data_cipher::nonce_size + data_cipher::tag_size;
  if (blob.size() < overhead) return std::nullopt;
  auto nonce = blob.substr(0, data_cipher::nonce_size);
  auto body = blob.substr(data_cipher::nonce_size, blob.size() - overhead);
  std::string tag{blob.substr(blob.size() - data_cipher::tag_size)};
  ctx_ptr ctx{EVP_CIPHER_CTX_new()};
  if (!ctx) return std::nullopt;
  std::string out(body.size(), '\0');
  int len = 0;
  int total = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, data_cipher::nonce_size, nullptr) !=
          1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce)) != 1)
    return std::nullopt;
  if (!body.empty()) {
    if (EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(body),
                          static_cast<int>(body.size())) != 1)
      return std::nullopt;
    total = len;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, data_cipher::tag_size, tag.data()) != 1)
    return std::nullopt;
  // The tag check happens here: a modified nonce, body or tag, or a wrong key, fails.
  if (EVP_DecryptFinal_ex(ctx.get(), bytes(out) + total, &len) != 1) return std::nullopt;
  out.resize(static_cast<std::size_t>(total + len));
  return out;
}

}  // namespace

std::optional<std::string> decode_base64(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = base64_value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFFu));
    }
  }
  return out;
}

std::string encode_base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (static_cast<uint32_t>(static_cast<unsigned char>(data[i])) << 16) |
                 (static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8) |
                 static_cast<uint32_t>(static_cast<unsigned char>(data[i + 2]));
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(base64_alphabet[(n >> shift) & 63u]);
  }
  auto rest = data.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(data[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
    out.push_back(base64_alphabet[(n >> 18) & 63u]);
    out.push_back(base64_alphabet[(n >> 12) & 63u]);
    out.push_back(rest == 2 ? base64_alphabet[(n >> 6) & 63u] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<data_cipher> data_cipher::from_base64_key(const std::string& key_b64,
                                                        std::string key_id) {
  auto key = decode_base64(key_b64);
  if (!key || key->size() != key_size || key_id.empty()) return std::nullopt;
  return data_cipher{std::move(key_id), std::move(*key)};
}

std::string data_cipher::encrypt(std::string_view plaintext) const {
  std::string out(nonce_size + plaintext.size() + tag_size, '\0');
  if (RAND_bytes(bytes(out), static_cast<int>(nonce_size)) != 1)
    throw std::runtime_error("random nonce generation failed");
  ctx_ptr ctx{EVP_CIPHER_CTX_new()};
  int len = 0;
  int total = 0;
  auto* body = bytes(out) + nonce_size;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, nonce_size, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, bytes(std::string_view{key_}), bytes(out)) !=
          1)
    throw std::runtime_error("cipher initialization failed");
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), body, &len, bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1)
      throw std::runtime_error("encryption failed");
    total = len;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), body + total, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_size, body + plaintext.size()) != 1)
    throw std::runtime_error("encryption failed");
  return out;
}

std::optional<std::string> data_cipher::decrypt(std::string_view blob) const {
  return gcm_decrypt(key_, blob);
}

std::optional<std::string> data_cipher::decrypt(std::string_view blob,
                                                const std::string& key_id) const {
  if (key_id == key_id_) return gcm_decrypt(key_, blob);
  if (!others_) return std::nullopt;
  auto it = others_->find(key_id);
  if (it == others_->end()) return std::nullopt;
  return gcm_decrypt(it->second, blob);
}

bool data_keyring::add(const std::string& key_id, const std::string& key_b64) {
  auto cipher = data_cipher::from_base64_key(key_b64, key_id);
  if (!cipher) return false;
  keys_[key_id] = cipher->key_;
  if (current_.empty()) current_ = key_id;
  return true;
}

bool data_keyring::set_current(const std::string& key_id) {
  if (keys_.count(key_id) == 0) return false;
  current_ = key_id;
  return true;
}

std::optional<data_keyring> data_keyring::parse(const std::string& text) {
  data_keyring ring;
  if (text.find(':') == std::string::npos) {
    if (!ring.add("k1", text)) return std::nullopt;
    return ring;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    auto entry = text.substr(start, end - start);
    auto colon = entry.find(':');
    if (colon == std::string::npos) return std::nullopt;
    auto id = entry.substr(0, colon);
    if (!ring.add(id, entry.substr(colon + 1))) return std::nullopt;
    ring.current_ = id;
    start = end + 1;
  }
  return ring;
}

std::optional<data_cipher> data_keyring::cipher() const {
  auto it = keys_.find(current_);
  if (it == keys_.end()) return std::nullopt;
  data_cipher out{it->first, it->second};
  out.others_ = std::make_shared<const data_cipher::key_map>(keys_);
  return out;
}

}  // namespace mundoctor::persistence
