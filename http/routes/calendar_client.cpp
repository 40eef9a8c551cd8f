#include "http/routes/calendar_client.hpp"

#include <optional>

#include <caf/all.hpp>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"

namespace mundoctor::http {

namespace {

// The profile uuid of a professional id the directory resolved before, without asking it.
std::optional<std::string> known_uuid(const request_context& ctx, const std::string& ref) {
  if (!ctx.svc->professional_ids) return std::nullopt;
  return ctx.svc->professional_ids->find(ref);
}

}  // namespace

void resolve_professional(const request_context& ctx, const responder& res,
                          const std::string& professional_ref,
                          std::function<void(const std::string&)> next) {
  if (auto uuid = known_uuid(ctx, professional_ref)) return next(*uuid);
  auto directory = ctx.svc->lookup(names::professionals);
  if (!directory) return res.fail(errc::unavailable, "The calendar service is not running");
  auto timeout = ctx.svc->request_timeout();
  ctx.system().spawn([directory, timeout, professional_ref, res,
                      next = std::move(next)](caf::event_based_actor* self) {
    self->request(directory, timeout, resolve_pro_atom::value, professional_ref)
        .then([next](std::string& uuid) { next(uuid); }, [res](caf::error& err) { res.fail(err); });
  });
}

void ask_calendar(const request_context& ctx, const responder& res,
                  const std::string& professional_ref, caf::message payload,
                  std::function<void(std::string&)> on_ok) {
  auto calendars = ctx.svc->lookup(names::calendars);
  if (!calendars) return res.fail(errc::unavailable, "The calendar service is not running");
  // The responder keeps the request (and `ctx`) alive until it answers.
  resolve_professional(ctx, res, professional_ref,
                       [&ctx, res, calendars, payload = std::move(payload),
                        on_ok = std::move(on_ok)](const std::string& uuid) {
                         ask(ctx, calendars, caf::make_message(route_atom::value, uuid, payload),
                             res, [on_ok](std::string& json) { on_ok(json); });
                       });
}

std::function<void(std::string&)> answer_json(const responder& res, unsigned status) {
  // The calendar actors reply with JSON they serialized themselves: wrapped, not parsed again.
  return [res, status](std::string& json) { res.send(json_text_response(status, json, {})); };
}

nlohmann::json field_error(const std::string& field, const std::string& message,
                           const std::string& code, const nlohmann::json& received) {
  nlohmann::json e{{"field", field}, {"message", message}, {"code", code}};
  if (!received.is_null()) e["received"] = received;
  return e;
}

}  // namespace mundoctor::http
