#include "http/sniff.hpp"

namespace mundoctor::http {

namespace {

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

}  // namespace

file_type sniff_file_type(std::string_view bytes) noexcept {
  using namespace std::string_view_literals;
  if (starts_with(bytes, "\xFF\xD8\xFF"sv)) return file_type::jpeg;
  if (starts_with(bytes, "\x89PNG\r\n\x1A\n"sv)) return file_type::png;
  if (starts_with(bytes, "%PDF-"sv)) return file_type::pdf;
  return file_type::unknown;
}

std::string_view mime_type_of(file_type t) noexcept {
  switch (t) {
    case file_type::jpeg:
      return "image/jpeg";
    case file_type::png:
      return "image/png";
    case file_type::pdf:
      return "application/pdf";
    case file_type::unknown:
      break;
  }
  return {};
}

std::string_view extension_of(file_type t) noexcept {
  switch (t) {
    case file_type::jpeg:
      return "jpg";
    case file_type::png:
      return "png";
    case file_type::pdf:
      return "pdf";
    case file_type::unknown:
      break;
  }
  return {};
}

}  // namespace mundoctor::http
