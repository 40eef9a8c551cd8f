#include "http/error_response.hpp"

#include <nlohmann/json.hpp>

#include "http/envelope.hpp"

namespace mundoctor::http {

http_error describe(errc code) noexcept {
  switch (code) {
    case errc::bad_request:
      return {400, "BAD_REQUEST", "The request is malformed"};
    case errc::unauthenticated:
      return {401, "UNAUTHORIZED", "Authentication required"};
    case errc::forbidden:
      return {403, "FORBIDDEN", "You are not allowed to do this"};
    case errc::not_found:
      return {404, "NOT_FOUND", "Resource not found"};
    case errc::method_not_allowed:
      return {405, "METHOD_NOT_ALLOWED", "Method not allowed on this resource"};
    case errc::conflict:
      return {409, "CONFLICT", "The request conflicts with the current state"};
    case errc::already_exists:
      return {409, "ALREADY_EXISTS", "The resource already exists"};
    case errc::slot_taken:
      return {409, "SLOT_TAKEN", "That time slot is no longer available"};
    case errc::payload_too_large:
      return {413, "PAYLOAD_TOO_LARGE", "The request body is too large"};
    case errc::unsupported_media_type:
      return {415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json"};
    case errc::invalid_argument:
      return {422, "VALIDATION_ERROR", "The request is not valid"};
    case errc::rate_limited:
      return {429, "RATE_LIMITED", "Too many requests, slow down"};
    case errc::storage_busy:
      return {503, "STORAGE_BUSY", "The service is busy, please retry shortly"};
    case errc::storage_unavailable:
      return {503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable"};
    case errc::actor_timeout:
      return {503, "ACTOR_TIMEOUT", "The service did not answer in time, please retry"};
    case errc::unavailable:
      return {503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable"};
    case errc::none:
    case errc::internal:
      break;
  }
  return {};
}

response error_response(const error_info& info) {
  auto d = describe(info.code);
  bool internal = d.status >= 500 && d.status != 503;
  std::string message = internal || info.message.empty() ? d.message : info.message;
  std::string code = info.machine_code.empty() || internal ? d.code : info.machine_code;
  nlohmann::json metadata;
  if (!info.details.empty() && !internal) {
    metadata = nlohmann::json::parse(info.details, nullptr, false);
    if (metadata.is_discarded()) metadata = nullptr;
  }
  auto res = json_response(d.status, error_body(message, code, std::move(metadata)));
  if (d.status == 429 || d.status == 503) res.headers.set("retry-after", "1");
  return res;
}

response error_response(errc code, const std::string& message, const std::string& machine_code) {
  error_info info;
  info.code = code;
  info.message = message;
  info.machine_code = machine_code;
  return error_response(info);
}

}  // namespace mundoctor::http
