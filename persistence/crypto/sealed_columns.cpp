#include "persistence/crypto/sealed_columns.hpp"

#include <pqxx/pqxx>

#include <spdlog/spdlog.h>

#include "persistence/domain_error.hpp"

namespace mundoctor::persistence {

sealed_text seal_text(const data_cipher* cipher, const std::string& plaintext) {
  if (plaintext.empty()) return {};
  if (cipher == nullptr)
    throw domain_error(errc::unavailable, "medical data cannot be stored: no data key configured",
                       "DATA_KEY_MISSING");
  static constexpr char hex[] = "0123456789abcdef";
  auto blob = cipher->encrypt(plaintext);
  std::string out = "\\x";
  out.reserve(2 + blob.size() * 2);
  for (unsigned char c : blob) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0x0F]);
  }
  return {std::move(out), cipher->key_id()};
}

std::optional<std::string> open_text(const data_cipher* cipher, const pqxx::field& blob,
                                     const pqxx::field& key_id) {
  if (cipher == nullptr || blob.is_null() || key_id.is_null()) return std::nullopt;
  auto id = key_id.as<std::string>();
  auto plain = cipher->decrypt(pqxx::binarystring{blob}.str(), id);
  if (!plain) spdlog::warn("an encrypted column could not be decrypted under key id {}", id);
  return plain;
}

}  // namespace mundoctor::persistence
