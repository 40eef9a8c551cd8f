// The public professional profile, the specialties with their counts, and the professional's
// own patients (API.md "Public directory and search"; the search endpoint lives elsewhere).
// Reads run on the DB pool. Static segments (/specialties, /patients) win over /:id.

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes/calendar_client.hpp"
#include "http/routes/catalogue_requests.hpp"
#include "http/routes/routes.hpp"
#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/professionals/professional_repository.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;
using persistence::domain_error;

constexpr int max_listed_services = 100;

[[noreturn]] void professional_not_found() {
  throw domain_error(errc::not_found, "Professional not found", "PROFESSIONAL_NOT_FOUND");
}

std::string page_text(const persistence::json_page& p) {
  return json{{"items", json::parse(p.items_json)}, {"total", p.total}}.dump();
}

std::function<void(std::string&)> answer_page(const responder& res, const page_request& page) {
  return [res, page](std::string& text) {
    auto body = json::parse(text, nullptr, false);
    if (body.is_discarded()) return res.fail(errc::internal);
    res.ok(std::move(body["items"]), {},
           pagination_metadata(page, body.value("total", int64_t{0})));
  };
}

// The profile JSON with `services` (names) and `available_services` (objects).
std::string profile_with_services(pqxx::connection_base& conn, const std::string& ref) {
  auto id = persistence::resolve_professional_id(conn, ref);
  if (!id) professional_not_found();
  auto profile = persistence::public_profile(conn, *id);
  if (!profile) professional_not_found();
  persistence::service_filter filter;
  filter.professional_id = *id;
  filter.active_only = true;
  filter.limit = max_listed_services;
  auto names = json::array();
  auto objects = json::array();
  for (const auto& r : persistence::list_services(conn, filter).items) {
    names.push_back(r.info.name);
    objects.push_back(service_json(r.professional_id, r.info));
  }
  auto out = json::parse(*profile);
  out["services"] = std::move(names);
  out["available_services"] = std::move(objects);
  return out.dump();
}

void get_professional(request_context& ctx, responder res) {
  auto ref = ctx.param("id");
  ask_pool(ctx, res,
           actors::make_job("professionals.profile",
                            [ref](pqxx::connection_base& conn) {
                              return caf::make_message(profile_with_services(conn, ref));
                            }),
           answer_json(res));
}

void list_specialties(request_context& ctx, responder res) {
  page_request page;
  page.limit = 100;  // the whole list unless the client pages it
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  ask_pool(
      ctx, res,
      actors::make_job("professionals.specialties",
                       [offset = page.offset(), limit = page.limit](pqxx::connection_base& conn) {
                         return caf::make_message(
                             page_text(persistence::specialties_with_counts(conn, offset, limit)));
                       }),
      answer_page(res, page));
}

void list_patients(request_context& ctx, responder res) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  ask_pool(ctx, res,
           actors::make_job("professionals.patients",
                            [user = ctx.user_id(), offset = page.offset(),
                             limit = page.limit](pqxx::connection_base& conn) {
                              return caf::make_message(page_text(
                                  persistence::professional_patients(conn, user, offset, limit)));
                            }),
           answer_page(res, page));
}

}  // namespace

void register_professional_routes(router& r) {
  route_options pro;
  pro.auth = auth_rule{};
  pro.auth->roles = {"professional"};
  r.add(verb::get, "/api/professionals/specialties", list_specialties);
  r.add(verb::get, "/api/professionals/patients", list_patients, pro);
  r.add(verb::get, "/api/professionals/:id", get_professional);
}

}  // namespace mundoctor::http
