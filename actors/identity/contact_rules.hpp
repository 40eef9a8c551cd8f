#pragma once

// Normalization of the contact data users give us.

#include <optional>
#include <string>
#include <string_view>

namespace mundoctor::actors::identity {

/// Trims, checks local@domain.tld (no spaces, one '@', a dot in the domain, at most 254
/// characters) and lower-cases the domain; the local part keeps its case. nullopt when invalid.
std::optional<std::string> normalize_email(std::string_view input);

/// E.164: drops spaces, dashes, dots and parentheses; "00" becomes "+"; a Spanish number without
/// prefix (9 digits starting with 6, 7, 8 or 9) gets +34. nullopt unless the result is + and 7
/// to 15 digits with a non-zero first digit.
std::optional<std::string> normalize_phone(std::string_view input);

}  // namespace mundoctor::actors::identity
