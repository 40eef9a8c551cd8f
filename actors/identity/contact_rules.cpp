#include "actors/identity/contact_rules.hpp"

#include <algorithm>
#include <cctype>

namespace mundoctor::actors::identity {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos)
    return false;
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string_view::npos)
    return false;
  return std::all_of(domain.begin(), domain.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '.' || c >= 0x80;
  });
}

}  // namespace

std::optional<std::string> normalize_email(std::string_view input) {
  auto s = trim(input);
  if (s.empty() || s.size() > 254) return std::nullopt;
  auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
    return std::nullopt;
  auto local = s.substr(0, at);
  auto domain = s.substr(at + 1);
  bool bad_local = std::any_of(local.begin(), local.end(), [](unsigned char c) {
    return std::isspace(c) || std::iscntrl(c) || c == '"' || c == ',' || c == '<' || c == '>';
  });
  if (bad_local || local.size() > 64 || !valid_domain(domain)) return std::nullopt;
  std::string out{local};
  out.push_back('@');
  for (unsigned char c : domain) out.push_back(static_cast<char>(std::tolower(c)));
  return out;
}

std::optional<std::string> normalize_phone(std::string_view input) {
  auto s = trim(input);
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = s[i];
    if (c == '+' && i == 0) {
      plus = true;
    } else if (std::isdigit(c)) {
      digits.push_back(static_cast<char>(c));
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  if (!plus && digits.rfind("00", 0) == 0) {
    digits.erase(0, 2);
    plus = true;
  }
  if (!plus) {
    bool spanish =
        digits.size() == 9 && std::string_view{"6789"}.find(digits[0]) != std::string_view::npos;
    if (!spanish) return std::nullopt;
    digits.insert(0, "34");
  }
  if (digits.size() < 7 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
  return "+" + digits;
}

}  // namespace mundoctor::actors::identity
