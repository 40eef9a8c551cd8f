#include "http/middleware/request_id.hpp"

#include <array>
#include <cctype>
#include <random>

namespace mundoctor::http {

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id)
    if (!std::isalnum(c) && c != '.' && c != '_' && c != '-' && c != ':') return false;
  return true;
}

std::string random_id() {
  thread_local std::mt19937_64 gen{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(32, '0');
  for (std::size_t i = 0; i < out.size(); i += 16) {
    auto bits = gen();
    for (std::size_t j = 0; j < 16; ++j) out[i + j] = digits[(bits >> (j * 4)) & 0xF];
  }
  return out;
}

std::string request_id_for(const request& req) {
  if (auto id = req.headers.get("x-request-id"); id && valid_request_id(*id))
    return std::string{*id};
  return random_id();
}

}  // namespace mundoctor::http
