#include "http/message.hpp"

#include <algorithm>
#include <cctype>

namespace mundoctor::http {

verb parse_verb(std::string_view text) noexcept {
  if (text == "GET") return verb::get;
  if (text == "HEAD") return verb::head;
  if (text == "POST") return verb::post;
  if (text == "PUT") return verb::put;
  if (text == "PATCH") return verb::patch;
  if (text == "DELETE") return verb::del;
  if (text == "OPTIONS") return verb::options;
  return verb::other;
}

std::string_view to_string(verb v) noexcept {
  switch (v) {
    case verb::get:
      return "GET";
    case verb::head:
      return "HEAD";
    case verb::post:
      return "POST";
    case verb::put:
      return "PUT";
    case verb::patch:
      return "PATCH";
    case verb::del:
      return "DELETE";
    case verb::options:
      return "OPTIONS";
    case verb::other:
      break;
  }
  return "OTHER";
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void header_list::set(std::string name, std::string value) {
  erase(name);
  add(std::move(name), std::move(value));
}

void header_list::add(std::string name, std::string value) {
  items_.emplace_back(to_lower(name), std::move(value));
}

void header_list::erase(std::string_view name) {
  auto key = to_lower(name);
  items_.erase(
      std::remove_if(items_.begin(), items_.end(), [&](const auto& kv) { return kv.first == key; }),
      items_.end());
}

std::optional<std::string_view> header_list::get(std::string_view name) const {
  auto key = to_lower(name);
  for (const auto& [k, v] : items_)
    if (k == key) return std::string_view{v};
  return std::nullopt;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::string> request::query_param(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    return percent_decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

}  // namespace mundoctor::http
