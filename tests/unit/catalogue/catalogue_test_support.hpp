#pragma once

// Helpers shared by the catalogue request tests.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mundoctor::testing {

/// The `field` of every validationErrors entry, in order.
inline std::vector<std::string> fields_of(const nlohmann::json& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.value("field", std::string{}));
  return out;
}

/// The code of the only entry for `field`, or "" when there is none (or several).
inline std::string code_of(const nlohmann::json& errors, const std::string& field) {
  std::string code;
  int seen = 0;
  for (const auto& e : errors)
    if (e.value("field", std::string{}) == field) {
      code = e.value("code", std::string{});
      ++seen;
    }
  return seen == 1 ? code : std::string{};
}

/// `n` copies of `piece`.
inline std::string repeat(const std::string& piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

}  // namespace mundoctor::testing
