// The "Appointments" endpoints of API.md. Decisions go to the professional's calendar actor;
// reads go to the appointment reader.

#include <algorithm>
#include <string_view>

#include <caf/all.hpp>

#include "actors/calendar/local_time.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes/appointment_requests.hpp"
#include "http/routes/calendar_client.hpp"
#include "http/routes/routes.hpp"

namespace mundoctor::http {

namespace {

constexpr std::size_t max_idempotency_key = 255;

void invalid(const responder& res, nlohmann::json errors) { res.invalid(std::move(errors)); }

// Today and the next 6 days (UTC dates) when the client names no range.
std::pair<std::string, std::string> default_range() {
  auto today = date::floor<date::days>(std::chrono::system_clock::now());
  return {date::format("%F", today), date::format("%F", today + date::days{6})};
}

void get_availability(request_context& ctx, responder res) {
  auto service = ctx.req->query_param("serviceId");
  if (!service || service->empty())
    return invalid(res, nlohmann::json::array(
                            {field_error("serviceId", "serviceId is required", "REQUIRED")}));
  auto [from, to] = default_range();
  from = ctx.req->query_param("from").value_or(from);
  to = ctx.req->query_param("to").value_or(to);
  ask_calendar(ctx, res, ctx.param("professionalId"),
               caf::make_message(availability_atom::value, *service, from, to), answer_json(res));
}

void post_check_availability(request_context& ctx, responder res) {
  auto parsed = parse_booking(ctx.json.is_object() ? ctx.json : nlohmann::json::object(), false);
  if (!parsed.errors.empty()) return invalid(res, parsed.errors);
  ask_calendar(ctx, res, parsed.professional_ref,
               caf::make_message(check_atom::value, parsed.request.service_id,
                                 parsed.request.start_unix, ctx.user_id()),
               answer_json(res));
}

// Books (or holds) for the caller; a professional or an admin books for a named patient.
handler_fn booking(bool hold) {
  return [hold](request_context& ctx, responder res) {
    const auto& who = *ctx.user;
    bool for_patient = !hold && who.role != "patient";
    auto parsed =
        parse_booking(ctx.json.is_object() ? ctx.json : nlohmann::json::object(), for_patient);
    if (!parsed.errors.empty()) return invalid(res, parsed.errors);
    auto& req = parsed.request;
    if (!for_patient) req.patient_id = who.user_id;
    req.created_by = who.user_id;
    auto key = ctx.req->headers.get("idempotency-key");
    auto visible_ascii = [](std::string_view k) {
      return std::all_of(k.begin(), k.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
    };
    if (key && (key->empty() || key->size() > max_idempotency_key || !visible_ascii(*key)))
      return invalid(res, nlohmann::json::array({field_error(
                              "Idempotency-Key", "1 to 255 visible ASCII characters", "INVALID")}));
    if (key) req.idempotency_key = std::string{*key};
    auto payload =
        hold ? caf::make_message(hold_atom::value, req) : caf::make_message(book_atom::value, req);
    if (!for_patient || is_admin(who))
      return ask_calendar(ctx, res, parsed.professional_ref, std::move(payload),
                          answer_json(res, 201));
    // A professional books only into their own calendar.
    auto ref = parsed.professional_ref;
    resolve_professional(ctx, res, who.user_id, [&ctx, res, ref, payload](const std::string& own) {
      resolve_professional(ctx, res, ref, [&ctx, res, own, payload](const std::string& target) {
        if (own != target)
          return res.fail(errc::forbidden, "Professionals book only into their own calendar");
        ask_calendar(ctx, res, target, payload, answer_json(res, 201));
      });
    });
  };
}

// Locates the appointment (and checks that the caller may see it), then asks its calendar.
void change(request_context& ctx, const responder& res, caf::message payload) {
  auto reader = ctx.svc->lookup(names::appointments);
  ask(ctx, reader, caf::make_message(locate_atom::value, ctx.param("id"), *ctx.user), res,
      [&ctx, res, payload](std::string& professional) {
        ask_calendar(ctx, res, professional, payload, answer_json(res));
      });
}

void put_appointment(request_context& ctx, responder res) {
  auto start = ctx.json.is_object() ? read_instant(ctx.json, "startTime") : std::nullopt;
  if (!start)
    return invalid(res,
                   nlohmann::json::array({field_error(
                       "startTime", "startTime must be an RFC 3339 instant", "INVALID_DATETIME")}));
  change(ctx, res, caf::make_message(reschedule_atom::value, ctx.param("id"), *start, *ctx.user));
}

void delete_appointment(request_context& ctx, responder res) {
  std::string reason = ctx.req->query_param("reason").value_or("");
  auto body = nlohmann::json::parse(ctx.req->body, nullptr, false);
  if (body.is_object() && body.value("reason", nlohmann::json()).is_string())
    reason = body["reason"].get<std::string>();
  if (reason.size() > 500)
    return invalid(
        res, nlohmann::json::array({field_error("reason", "at most 500 characters", "TOO_LONG")}));
  change(ctx, res, caf::make_message(cancel_atom::value, ctx.param("id"), reason, *ctx.user));
}

void patch_status(request_context& ctx, responder res) {
  auto status =
      ctx.json.is_object() ? ctx.json.value("status", nlohmann::json()) : nlohmann::json();
  static const std::vector<std::string> known{"pending",   "confirmed", "in_progress",
                                              "completed", "cancelled", "no_show"};
  if (!status.is_string() ||
      std::find(known.begin(), known.end(), status.get<std::string>()) == known.end())
    return invalid(res, nlohmann::json::array(
                            {field_error("status", "unknown status", "INVALID_ENUM", status)}));
  change(
      ctx, res,
      caf::make_message(status_atom::value, ctx.param("id"), status.get<std::string>(), *ctx.user));
}

void post_waitlist(request_context& ctx, responder res) {
  const auto& body = ctx.json.is_object() ? ctx.json : nlohmann::json::object();
  auto errors = nlohmann::json::array();
  auto professional = read_id(body, "professionalId");
  if (!professional)
    errors.push_back(field_error("professionalId", "professionalId is required", "REQUIRED"));
  waitlist_request req;
  req.patient_id = ctx.user_id();
  if (body.contains("serviceId") && !body["serviceId"].is_null()) {
    if (auto id = read_id(body, "serviceId"))
      req.service_id = *id;
    else
      errors.push_back(field_error("serviceId", "serviceId must be an id", "INVALID"));
  }
  auto from = read_instant(body, "from");
  auto to = read_instant(body, "to");
  if (!from)
    errors.push_back(field_error("from", "from must be an RFC 3339 instant", "INVALID_DATETIME"));
  if (!to)
    errors.push_back(field_error("to", "to must be an RFC 3339 instant", "INVALID_DATETIME"));
  if (!errors.empty()) return invalid(res, std::move(errors));
  req.from_unix = *from;
  req.to_unix = *to;
  ask_calendar(ctx, res, *professional, caf::make_message(waitlist_atom::value, req),
               answer_json(res, 201));
}

// A professional's or an admin's read of a patient's appointment (it holds medical notes) is
// audited.
void get_appointment(request_context& ctx, responder res) {
  ask(ctx, ctx.svc->lookup(names::appointments),
      caf::make_message(get_atom::value, ctx.param("id"), *ctx.user), res,
      [&ctx, res](std::string& json) {
        auto data = nlohmann::json::parse(json, nullptr, false);
        if (data.is_discarded()) return res.fail(errc::internal);
        if (data.value("patient_id", std::string{}) != ctx.user_id())
          ctx.audited_reads.emplace_back("appointment", data.value("id", std::string{}));
        res.ok(std::move(data));
      });
}

}  // namespace

void register_appointment_routes(router& r) {
  // Every route here but the read of one appointment decides in a calendar actor (and the
  // changes commit): admission applies to them.
  route_options open;
  open.admission = true;
  route_options any = open;
  any.auth = auth_rule{};
  route_options booker = any;
  booker.auth->roles = {"patient", "professional", "admin"};
  route_options patient = any;
  patient.auth->roles = {"patient"};
  r.add(verb::get, "/api/appointments/availability/:professionalId", get_availability, open);
  r.add(verb::post, "/api/appointments/check-availability", post_check_availability, any);
  r.add(verb::post, "/api/appointments", booking(false), booker);
  r.add(verb::post, "/api/appointments/holds", booking(true), patient);
  r.add(verb::post, "/api/appointments/waitlist", post_waitlist, patient);
  route_options reader;
  reader.auth = auth_rule{};
  r.add(verb::get, "/api/appointments/:id", get_appointment, reader);
  r.add(verb::put, "/api/appointments/:id", put_appointment, any);
  r.add(verb::del, "/api/appointments/:id", delete_appointment, any);
  r.add(verb::patch, "/api/appointments/:id/status", patch_status, any);
}

}  // namespace mundoctor::http
