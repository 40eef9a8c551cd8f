#pragma once

// Encrypted text columns: a `<field>_ciphertext` bytea next to `<field>_key_id` (see
// data_cipher.hpp). Shared by every repository that stores medical free text.

#include <optional>
#include <string>

#include "persistence/crypto/data_cipher.hpp"

namespace pqxx {
class field;
}

namespace mundoctor::persistence {

/// The two column values as statement parameters: the ciphertext in PostgreSQL's bytea hex
/// input form ("\x..."), and the key id; both nullopt (NULL) for an empty plaintext.
struct sealed_text {
  std::optional<std::string> bytea_hex;
  std::optional<std::string> key_id;
};

/// Encrypts `plaintext` under the cipher's current key. Throws domain_error unavailable
/// DATA_KEY_MISSING when the plaintext is not empty and there is no cipher.
sealed_text seal_text(const data_cipher* cipher, const std::string& plaintext);

/// The plaintext of (ciphertext, key id) columns; nullopt when NULL, without a cipher, or when
/// the blob does not authenticate under the named key (logged with the key id only).
std::optional<std::string> open_text(const data_cipher* cipher, const pqxx::field& blob,
                                     const pqxx::field& key_id);

}  // namespace mundoctor::persistence
