#pragma once

// Reaching a professional's calendar actor from a handler: the id the client used (profile
// uuid or user id) is resolved to the profile uuid first, so one professional always maps to
// one actor. An id the professional directory resolved before is taken from its map without a
// message.

#include <functional>
#include <string>

#include <caf/message.hpp>

#include "http/handler.hpp"

namespace mundoctor::http {

/// Sends `payload` to the calendar of `professional_ref`; `on_ok` gets the JSON reply text.
/// An unknown professional is a 404.
void ask_calendar(const request_context& ctx, const responder& res,
                  const std::string& professional_ref, caf::message payload,
                  std::function<void(std::string&)> on_ok);

/// Same, for a caller that first needs the uuid (ownership checks): `next(uuid)` runs in the
/// asking actor, or at once on the caller's thread for a known id, and may call ask_calendar.
void resolve_professional(const request_context& ctx, const responder& res,
                          const std::string& professional_ref,
                          std::function<void(const std::string&)> next);

/// Answers `res` with the JSON text (as a calendar actor serialized it) as `data` and status
/// `status` (200 or 201), without parsing it again.
std::function<void(std::string&)> answer_json(const responder& res, unsigned status = 200);

/// {field, message, code, received} for 422 validationErrors.
nlohmann::json field_error(const std::string& field, const std::string& message,
                           const std::string& code, const nlohmann::json& received = nullptr);

}  // namespace mundoctor::http
