#pragma once

// Base64 in the standard alphabet (RFC 4648 section 4, padded) and the URL alphabet (section 5,
// unpadded, as JWTs use it).

#include <optional>
#include <string>
#include <string_view>

namespace mundoctor::actors::identity {

/// Standard alphabet with '=' padding.
std::string base64_encode(std::string_view bytes);

/// Standard alphabet; padding is optional but, when present, must be correct. Whitespace and any
/// character outside the alphabet are rejected (nullopt).
std::optional<std::string> base64_decode(std::string_view text);

/// URL alphabet ('-' and '_'), no padding.
std::string base64url_encode(std::string_view bytes);

/// URL alphabet, no padding accepted. nullopt on any character outside the alphabet or on an
/// impossible length (a single trailing character).
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace mundoctor::actors::identity
