#include "persistence/professionals/validation_rules.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace mundoctor::persistence {

namespace {

constexpr std::size_t max_filename = 200;

}  // namespace

bool is_validation_status(const std::string& status) {
  static const std::array<const char*, 5> all{"pending", "under_review", "approved", "rejected",
                                              "requires_info"};
  return std::any_of(all.begin(), all.end(), [&](const char* s) { return status == s; });
}

bool is_open_validation_status(const std::string& status) {
  return status == "pending" || status == "under_review" || status == "requires_info";
}

bool validation_transition_allowed(const std::string& from, const std::string& to) {
  if (from == "pending")
    return to == "under_review" || to == "approved" || to == "rejected" || to == "requires_info";
  if (from == "under_review") return to == "approved" || to == "rejected" || to == "requires_info";
  if (from == "requires_info") return to == "under_review" || to == "approved" || to == "rejected";
  return false;
}

std::string admin_action_of(const std::string& to_status) {
  if (to_status == "under_review") return "validation.review";
  if (to_status == "approved") return "validation.approve";
  if (to_status == "rejected") return "validation.reject";
  if (to_status == "requires_info") return "validation.request_info";
  return {};
}

bool notes_required(const std::string& to_status) { return to_status == "rejected"; }

std::string upload_filename(const std::string& reference) {
  auto end = reference.find_first_of("?#");
  auto path = reference.substr(0, end);
  auto slash = path.find_last_of('/');
  auto name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty() || name.size() > max_filename || name == "." || name == "..") return {};
  bool safe = std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
  });
  return safe ? name : std::string{};
}

}  // namespace mundoctor::persistence
