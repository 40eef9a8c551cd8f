#include "http/envelope.hpp"

#include <charconv>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

namespace mundoctor::http {

std::string rfc3339_now() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = time_point_cast<seconds>(now);
  auto ms = duration_cast<milliseconds>(now - secs).count();
  std::time_t t = system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

nlohmann::json success_body(nlohmann::json data, const std::string& message) {
  nlohmann::json body{{"success", true}, {"timestamp", rfc3339_now()}, {"data", std::move(data)}};
  if (!message.empty()) body["message"] = message;
  return body;
}

nlohmann::json success_body(nlohmann::json data, const std::string& message,
                            nlohmann::json metadata) {
  auto body = success_body(std::move(data), message);
  if (!metadata.is_null()) body["metadata"] = std::move(metadata);
  return body;
}

nlohmann::json error_body(const std::string& message, const std::string& code) {
  return {{"success", false}, {"timestamp", rfc3339_now()}, {"message", message}, {"code", code}};
}

nlohmann::json error_body(const std::string& message, const std::string& code,
                          nlohmann::json metadata) {
  auto body = error_body(message, code);
  if (!metadata.is_null()) body["metadata"] = std::move(metadata);
  return body;
}

response json_response(unsigned status, const nlohmann::json& body) {
  response res;
  res.status = status;
  res.headers.set("content-type", "application/json; charset=utf-8");
  res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

response json_text_response(unsigned status, const std::string& data_json,
                            const std::string& metadata_json) {
  response res;
  res.status = status;
  res.headers.set("content-type", "application/json; charset=utf-8");
  // The keys in the order json_response writes them (sorted).
  auto& b = res.body;
  b.reserve(data_json.size() + metadata_json.size() + 80);
  b += "{\"data\":";
  b += data_json;
  if (!metadata_json.empty()) {
    b += ",\"metadata\":";
    b += metadata_json;
  }
  b += ",\"success\":true,\"timestamp\":\"";
  b += rfc3339_now();
  b += "\"}";
  return res;
}

namespace {

bool parse_positive(const std::string& text, int64_t& out) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size() || value < 1) return false;
  out = value;
  return true;
}

}  // namespace

bool parse_page(const request& req, page_request& out, std::string& problem) {
  constexpr int64_t max_limit = 100;
  if (auto page = req.query_param("page")) {
    if (!parse_positive(*page, out.page) || out.page > 1'000'000) {
      problem = "page must be a positive integer";
      return false;
    }
  }
  if (auto limit = req.query_param("limit")) {
    // Values past the maximum are clamped, but anything that is not a number is bad syntax.
    if (limit->size() > 18 || !parse_positive(*limit, out.limit)) {
      problem = "limit must be a positive integer";
      return false;
    }
    if (out.limit > max_limit) out.limit = max_limit;
  }
  return true;
}

nlohmann::json pagination_metadata(const page_request& page, int64_t total) {
  int64_t pages = total == 0 ? 0 : (total + page.limit - 1) / page.limit;
  return {{"pagination",
           {{"page", page.page},
            {"limit", page.limit},
            {"total", total},
            {"totalPages", pages},
            {"hasNext", page.page < pages},
            {"hasPrev", page.page > 1}}}};
}

}  // namespace mundoctor::http
