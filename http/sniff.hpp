#pragma once

// File type by content (magic bytes), never by name or declared Content-Type.

#include <cstdint>
#include <string_view>

namespace mundoctor::http {

enum class file_type : uint8_t { unknown, jpeg, png, pdf };

/// JPEG: FF D8 FF; PNG: 89 50 4E 47 0D 0A 1A 0A; PDF: "%PDF-" at the very start.
file_type sniff_file_type(std::string_view bytes) noexcept;

/// "image/jpeg", "image/png", "application/pdf"; "" for unknown.
std::string_view mime_type_of(file_type t) noexcept;

/// "jpg", "png", "pdf"; "" for unknown.
std::string_view extension_of(file_type t) noexcept;

}  // namespace mundoctor::http
