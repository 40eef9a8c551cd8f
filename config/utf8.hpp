#pragma once

// UTF-8 checks shared by the log formatter, upload names and the audit trail.

#include <cstddef>
#include <string>
#include <string_view>

namespace mundoctor::config {

/// The length of the well-formed UTF-8 sequence (RFC 3629) starting at text[i]: 1 for any ASCII
/// byte (NUL included), 2 to 4 for a valid multi-byte sequence, 0 for an invalid or cut one
/// (overlong forms, surrogates, above U+10FFFF). `i` must be < text.size().
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

/// `text` with every byte that does not start a well-formed sequence, and every NUL, replaced by
/// U+FFFD: text PostgreSQL stores as it is.
std::string utf8_or_replacement(std::string_view text);

}  // namespace mundoctor::config
