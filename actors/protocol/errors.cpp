#include "actors/protocol/errors.hpp"

#include <caf/sec.hpp>

namespace mundoctor {

const char* to_string(errc code) noexcept {
  switch (code) {
    case errc::none:
      return "none";
    case errc::bad_request:
      return "bad_request";
    case errc::unauthenticated:
      return "unauthenticated";
    case errc::forbidden:
      return "forbidden";
    case errc::not_found:
      return "not_found";
    case errc::method_not_allowed:
      return "method_not_allowed";
    case errc::conflict:
      return "conflict";
    case errc::already_exists:
      return "already_exists";
    case errc::slot_taken:
      return "slot_taken";
    case errc::payload_too_large:
      return "payload_too_large";
    case errc::unsupported_media_type:
      return "unsupported_media_type";
    case errc::invalid_argument:
      return "invalid_argument";
    case errc::rate_limited:
      return "rate_limited";
    case errc::storage_busy:
      return "storage_busy";
    case errc::storage_unavailable:
      return "storage_unavailable";
    case errc::actor_timeout:
      return "actor_timeout";
    case errc::unavailable:
      return "unavailable";
    case errc::internal:
      return "internal";
  }
  return "internal";
}

error_info inspect_error(const caf::error& err) {
  error_info info;
  if (!err) {
    info.code = errc::none;
    return info;
  }
  if (err.category() == error_category) {
    info.code = static_cast<errc>(err.code());
    const auto& ctx = err.context();
    if (ctx.match_elements<std::string, std::string, std::string>()) {
      info.message = ctx.get_as<std::string>(0);
      info.machine_code = ctx.get_as<std::string>(1);
      info.details = ctx.get_as<std::string>(2);
    }
    return info;
  }
  if (err.category() == caf::atom("system")) {
    auto sec = static_cast<caf::sec>(err.code());
    if (sec == caf::sec::request_timeout || sec == caf::sec::request_receiver_down) {
      info.code = errc::actor_timeout;
      return info;
    }
  }
  info.code = errc::internal;
  return info;
}

}  // namespace mundoctor
