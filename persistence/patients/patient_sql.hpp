#pragma once

// Helpers shared by the patient repository's translation units (not part of its interface).

#include <optional>
#include <pqxx/pqxx>
#include <string>

#include <nlohmann/json.hpp>

#include "persistence/crypto/data_cipher.hpp"
#include "persistence/crypto/sealed_columns.hpp"
#include "persistence/uuid_text.hpp"

namespace mundoctor::persistence::patients_detail {

/// Encrypts `plaintext` (persistence/crypto/sealed_columns.hpp); throws domain_error
/// unavailable DATA_KEY_MISSING without a cipher.
inline sealed_text seal(const data_cipher* cipher, const std::string& plaintext) {
  return seal_text(cipher, plaintext);
}

/// The JSON value sealed in the columns (null when NULL, unreadable or without a cipher).
nlohmann::json open_json(const data_cipher* cipher, const pqxx::field& blob,
                         const pqxx::field& key_id);

using persistence::is_uuid;  // persistence/uuid_text.hpp

/// SQL rendering `column` (timestamptz) as RFC 3339 UTC text.
std::string utc_text(const std::string& column);

/// The field as text, or JSON null when NULL.
nlohmann::json text_or_null(const pqxx::field& f);

}  // namespace mundoctor::persistence::patients_detail
