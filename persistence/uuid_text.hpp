#pragma once

// Ids as they arrive in paths and bodies: checked before they reach a `$1::uuid` cast, so a
// malformed id is a not-found, never an SQL error.

#include <string>

namespace mundoctor::persistence {

/// 8-4-4-4-12 hexadecimal digits (any case).
bool is_uuid(const std::string& text);

}  // namespace mundoctor::persistence
