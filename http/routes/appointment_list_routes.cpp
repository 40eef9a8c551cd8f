// Appointment lists: the caller's appointments with filters and paging, the professional's
// calendar view and the patient page of the frontend.

#include <caf/all.hpp>

#include "actors/calendar/local_time.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes/calendar_client.hpp"
#include "http/routes/routes.hpp"

namespace mundoctor::http {

namespace {

constexpr int64_t max_calendar_days = 62;

// `name` as an RFC 3339 instant or a YYYY-MM-DD date (its UTC midnight); 0 when absent.
bool read_bound(const request& req, const char* name, int64_t& out, nlohmann::json& errors) {
  auto text = req.query_param(name);
  if (!text || text->empty()) return true;
  if (auto t = calendar::parse_rfc3339(*text)) {
    out = t->time_since_epoch().count();
    return true;
  }
  if (auto d = calendar::parse_date(*text)) {
    out = date::sys_seconds{date::sys_days{*d}}.time_since_epoch().count();
    return true;
  }
  errors.push_back(field_error(name, "must be an RFC 3339 instant or a YYYY-MM-DD date",
                               "INVALID_DATETIME", *text));
  return false;
}

void list_appointments(request_context& ctx, responder res) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  appointment_query q;
  q.viewer_id = ctx.user_id();
  q.viewer_role = ctx.user->role;
  q.status = ctx.req->query_param("status").value_or("");
  q.professional_id = ctx.req->query_param("professionalId").value_or("");
  q.patient_id = ctx.req->query_param("patientId").value_or("");
  q.page = page.page;
  q.limit = page.limit;
  auto errors = nlohmann::json::array();
  read_bound(*ctx.req, "from", q.from_unix, errors);
  read_bound(*ctx.req, "to", q.to_unix, errors);
  if (!errors.empty()) return res.invalid(std::move(errors));
  ask(ctx, ctx.svc->lookup(names::appointments), caf::make_message(list_atom::value, q), res,
      [&ctx, res, page](std::string& json) {
        auto body = nlohmann::json::parse(json, nullptr, false);
        if (body.is_discarded()) return res.fail(errc::internal);
        // Other people's appointments (a professional's patients, an admin's view) are audited.
        std::string others;
        for (const auto& item : body["items"])
          if (item.value("patient_id", std::string{}) != ctx.user_id())
            others += (others.empty() ? "" : ",") + item.value("id", std::string{});
        if (!others.empty()) ctx.audited_reads.emplace_back("appointment_list", others);
        res.ok(std::move(body["items"]), {},
               pagination_metadata(page, body.value("total", int64_t{0})));
      });
}

// All occupying appointments and holds in range, for the professional or an admin.
void get_calendar(request_context& ctx, responder res) {
  int64_t from = 0, to = 0;
  auto errors = nlohmann::json::array();
  read_bound(*ctx.req, "from", from, errors);
  read_bound(*ctx.req, "to", to, errors);
  if (!errors.empty()) return res.invalid(std::move(errors));
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  if (!from) from = now;
  if (!to) to = from + 7 * 86400;
  if (to <= from || to - from > max_calendar_days * 86400)
    return res.invalid(nlohmann::json::array(
        {field_error("to", "the range must be positive and at most 62 days", "INVALID_RANGE")}));
  auto ref = ctx.param("professionalId");
  auto payload = caf::make_message(calendar_atom::value, from, to);
  auto answer = [res](std::string& json) {
    auto body = nlohmann::json::parse(json, nullptr, false);
    if (body.is_discarded()) return res.fail(errc::internal);
    auto total = static_cast<int64_t>(body["appointments"].size());
    page_request all;
    all.limit = std::max<int64_t>(1, total);
    res.ok(std::move(body), {}, pagination_metadata(all, total));
  };
  const auto& who = *ctx.user;
  if (is_admin(who)) return ask_calendar(ctx, res, ref, payload, answer);
  resolve_professional(
      ctx, res, who.user_id, [&ctx, res, ref, payload, answer](const std::string& own) {
        resolve_professional(ctx, res, ref,
                             [&ctx, res, own, payload, answer](const std::string& target) {
                               if (own != target)
                                 return res.fail(errc::not_found, "Professional not found");
                               ask_calendar(ctx, res, target, payload, answer);
                             });
      });
}

void get_patient_appointments(request_context& ctx, responder res) {
  auto start = ctx.req->query_param("startDate").value_or("");
  auto end = ctx.req->query_param("endDate").value_or("");
  auto errors = nlohmann::json::array();
  if (!start.empty() && !calendar::parse_date(start))
    errors.push_back(field_error("startDate", "must be YYYY-MM-DD", "INVALID_DATE", start));
  if (!end.empty() && !calendar::parse_date(end))
    errors.push_back(field_error("endDate", "must be YYYY-MM-DD", "INVALID_DATE", end));
  if (!errors.empty()) return res.invalid(std::move(errors));
  auto language = ctx.req->query_param("lang").value_or(
      std::string{ctx.req->headers.get("accept-language").value_or("es")}.substr(0, 2));
  ask(ctx, ctx.svc->lookup(names::appointments),
      caf::make_message(patient_atom::value, ctx.user_id(), start, end,
                        ctx.req->query_param("status").value_or(""), language),
      res, answer_json(res));
}

}  // namespace

void register_appointment_list_routes(router& r) {
  route_options any;
  any.auth = auth_rule{};
  route_options pro = any;
  pro.auth->roles = {"professional", "admin"};
  route_options patient = any;
  patient.auth->roles = {"patient"};
  r.add(verb::get, "/api/appointments", list_appointments, any);
  r.add(verb::get, "/api/appointments/calendar/:professionalId", get_calendar, pro);
  r.add(verb::get, "/api/patients/appointments", get_patient_appointments, patient);
}

}  // namespace mundoctor::http
