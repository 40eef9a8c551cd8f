// Parsers and renderers for the text form of configuration values.

#include <algorithm>
#include <cctype>
#include <limits>
#include <string>

#include <arpa/inet.h>

#include "config/config.hpp"

namespace mundoctor::config {
namespace {

std::string_view trim(std::string_view text) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out{text};
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_ipv4(const std::string& host) {
  in_addr addr{};
  return inet_pton(AF_INET, host.c_str(), &addr) == 1;
}

bool is_ipv6(const std::string& host) {
  in6_addr addr{};
  return inet_pton(AF_INET6, host.c_str(), &addr) == 1;
}

bool is_hostname_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
    return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
}

bool is_hostname(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  // Digits and dots only: it must be a dotted IPv4 address, not a "numeric hostname".
  if (host.find_first_not_of("0123456789.") == std::string_view::npos) return false;
  std::size_t start = 0;
  while (true) {
    auto dot = host.find('.', start);
    if (!is_hostname_label(host.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

listen_address parse_listen_item(std::string_view item) {
  auto fail = [item](std::string_view why) {
    return value_error("is not a valid host:port list (" + std::string{why} + " in \"" +
                       std::string{item} + "\")");
  };
  auto colon = item.rfind(':');
  if (colon == std::string_view::npos) throw fail("missing :port");
  std::string_view host = item.substr(0, colon);
  std::string_view port_text = item.substr(colon + 1);
  listen_address out;
  if (!host.empty() && host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') throw fail("unbalanced [ ] around the address");
    out.host = std::string{host.substr(1, host.size() - 2)};
    if (!is_ipv6(out.host)) throw fail("bad IPv6 address");
  } else {
    out.host = std::string{host};
    if (out.host.find(':') != std::string::npos) throw fail("IPv6 addresses need [brackets]");
    if (!is_ipv4(out.host) && !is_hostname(out.host)) throw fail("bad host");
  }
  if (port_text.empty() || port_text.find_first_not_of("0123456789") != std::string_view::npos ||
      port_text.size() > 5)
    throw fail("bad port");
  auto port = std::stoul(std::string{port_text});
  if (port > 65535) throw fail("port out of range 0..65535");
  out.port = static_cast<uint16_t>(port);
  return out;
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

// Replaces the value of every password=... parameter (URL query or libpq key=value string).
std::string redact_password_parameters(std::string text) {
  static constexpr std::string_view key = "password=";
  std::size_t pos = 0;
  while ((pos = lower(text).find(key, pos)) != std::string::npos) {
    auto begin = pos + key.size();
    auto end = begin;
    if (end < text.size() && text[end] == '\'') {
      end = begin + 1;
      while (end < text.size() && text[end] != '\'') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, text.size());
    } else {
      end = std::min(text.find_first_of("& \t#", begin), text.size());
    }
    text.replace(begin, end - begin, "***");
    pos = begin + 3;
  }
  return text;
}

}  // namespace

bool parse_bool(std::string_view text) {
  auto v = lower(trim(text));
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no") return false;
  throw value_error("is not a boolean (true/false/1/0/yes/no)");
}

uint64_t parse_unsigned(std::string_view text, uint64_t min, uint64_t max) {
  auto v = trim(text);
  if (v.empty() || v.find_first_not_of("0123456789") != std::string_view::npos)
    throw value_error("is not a whole number");
  uint64_t out = 0;
  for (char c : v) {
    auto digit = static_cast<uint64_t>(c - '0');
    if (out > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      out = std::numeric_limits<uint64_t>::max();
      break;
    }
    out = out * 10 + digit;
  }
  if (out < min || out > max)
    throw value_error("is out of range " + std::to_string(min) + ".." + std::to_string(max));
  return out;
}

std::vector<std::string> parse_list(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = std::min(text.find(',', start), text.size());
    auto item = trim(text.substr(start, comma - start));
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

std::vector<listen_address> parse_listen_list(std::string_view text) {
  std::vector<listen_address> out;
  for (const auto& item : parse_list(text)) out.push_back(parse_listen_item(item));
  if (out.empty()) throw value_error("is not a valid host:port list (no address given)");
  return out;
}

std::string render_listen_list(const std::vector<listen_address>& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out += ',';
    bool v6 = a.host.find(':') != std::string::npos;
    out += v6 ? "[" + a.host + "]" : a.host;
    out += ':' + std::to_string(a.port);
  }
  return out;
}

std::string redact_url(std::string_view url) {
  std::string out{url};
  auto scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    auto authority = scheme_end + 3;
    auto authority_end = std::min(out.find_first_of("/?#", authority), out.size());
    auto at = out.rfind('@', authority_end);
    if (at != std::string::npos && at >= authority) {
      auto colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  return redact_password_parameters(std::move(out));
}

std::optional<std::size_t> base64_decoded_size(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  for (std::size_t i = 0; i < text.size() - padding; ++i)
    if (base64_value(text[i]) < 0) return std::nullopt;
  return text.size() / 4 * 3 - padding;
}

}  // namespace mundoctor::config
