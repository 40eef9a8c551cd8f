// The "Services" endpoints of API.md: the professional's catalogue. Changes go through the
// professional's calendar actor (apply_atom), so the services it books against are never stale;
// reads run on the DB pool.

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes/calendar_client.hpp"
#include "http/routes/catalogue_requests.hpp"
#include "http/routes/routes.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;
using persistence::domain_error;

[[noreturn]] void service_not_found() {
  throw domain_error(errc::not_found, "Service not found", "SERVICE_NOT_FOUND");
}

std::string render(const persistence::service_record& r) {
  return service_json(r.professional_id, r.info).dump();
}

// Runs a change of `professional`'s catalogue through its calendar actor.
void change(request_context& ctx, const responder& res, const std::string& professional,
            persistence::db_job job, unsigned status = 200) {
  ask_calendar(ctx, res, professional, caf::make_message(apply_atom::value, std::move(job)),
               answer_json(res, status));
}

// The professional whose service `id` is changed: the caller's own profile (a service of
// someone else is then not found), or for an admin the service's owner.
void with_owner(request_context& ctx, const responder& res, const std::string& id,
                std::function<void(const std::string&)> next) {
  if (!is_admin(*ctx.user)) return resolve_professional(ctx, res, ctx.user_id(), std::move(next));
  ask_pool(ctx, res,
           actors::make_job("services.find",
                            [id](pqxx::connection_base& conn) {
                              auto found = persistence::find_service(conn, id);
                              if (!found) service_not_found();
                              return caf::make_message(found->professional_id);
                            }),
           [next](std::string& professional) { next(professional); });
}

void answer_page(const responder& res, const page_request& page, std::string& text) {
  auto body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return res.fail(errc::internal);
  res.ok(std::move(body["items"]), {}, pagination_metadata(page, body.value("total", int64_t{0})));
}

persistence::db_job list_job(const persistence::service_filter& filter,
                             const std::string& professional_ref) {
  return actors::make_job("services.list", [filter, professional_ref](pqxx::connection_base& conn) {
    auto f = filter;
    auto items = json::array();
    int64_t total = 0;
    if (!professional_ref.empty()) {
      f.professional_id = persistence::resolve_professional_id(conn, professional_ref);
      if (!f.professional_id)
        return caf::make_message(json{{"items", items}, {"total", total}}.dump());
    }
    auto page = persistence::list_services(conn, f);
    for (const auto& r : page.items) items.push_back(service_json(r.professional_id, r.info));
    return caf::make_message(json{{"items", std::move(items)}, {"total", page.total}}.dump());
  });
}

void post_service(request_context& ctx, responder res) {
  auto parsed = parse_service(ctx.json, true);
  std::string ref = ctx.user_id();
  if (is_admin(*ctx.user)) {
    auto pro = ctx.json.is_object() ? ctx.json.value("professionalId", json{}) : json{};
    if (!pro.is_string() || pro.get<std::string>().empty())
      parsed.errors.push_back(validation_entry(
          "professionalId", "administrators name the professional", "REQUIRED", pro));
    else
      ref = pro.get<std::string>();
  }
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  auto service = apply_patch(parsed.patch, calendar::service_info{});
  resolve_professional(ctx, res, ref, [&ctx, res, service](const std::string& professional) {
    change(ctx, res, professional,
           actors::make_job("services.create",
                            [professional, service](pqxx::connection_base& conn) {
                              return caf::make_message(
                                  render(persistence::create_service(conn, professional, service)));
                            }),
           201);
  });
}

void list_services(request_context& ctx, responder res) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  auto query =
      parse_service_query([&ctx](const std::string& key) { return ctx.req->query_param(key); });
  if (!query.errors.empty()) return res.invalid(std::move(query.errors));
  query.filter.page = static_cast<int>(page.page);
  query.filter.limit = static_cast<int>(page.limit);
  ask_pool(ctx, res, list_job(query.filter, query.professional_ref),
           [res, page](std::string& text) { answer_page(res, page, text); });
}

void list_professional_services(request_context& ctx, responder res) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  persistence::service_filter filter;
  filter.active_only = true;
  filter.page = static_cast<int>(page.page);
  filter.limit = static_cast<int>(page.limit);
  auto ref = ctx.param("id");
  ask_pool(ctx, res,
           actors::make_job("services.by_professional",
                            [filter, ref](pqxx::connection_base& conn) mutable {
                              filter.professional_id =
                                  persistence::resolve_professional_id(conn, ref);
                              if (!filter.professional_id)
                                throw domain_error(errc::not_found, "Professional not found");
                              auto found = persistence::list_services(conn, filter);
                              auto items = json::array();
                              for (const auto& r : found.items)
                                items.push_back(service_json(r.professional_id, r.info));
                              return caf::make_message(
                                  json{{"items", std::move(items)}, {"total", found.total}}.dump());
                            }),
           [res, page](std::string& text) { answer_page(res, page, text); });
}

void get_service(request_context& ctx, responder res) {
  auto id = ctx.param("id");
  ask_pool(ctx, res,
           actors::make_job("services.find",
                            [id](pqxx::connection_base& conn) {
                              auto found = persistence::find_service(conn, id);
                              if (!found) service_not_found();
                              return caf::make_message(render(*found));
                            }),
           answer_json(res));
}

void put_service(request_context& ctx, responder res) {
  auto parsed = parse_service(ctx.json, false);
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  auto id = ctx.param("id");
  with_owner(ctx, res, id, [&ctx, res, id, patch = parsed.patch](const std::string& professional) {
    change(
        ctx, res, professional,
        actors::make_job("services.update", [professional, id, patch](pqxx::connection_base& conn) {
          auto found = persistence::find_service(conn, id);
          if (!found || found->professional_id != professional) service_not_found();
          auto updated =
              persistence::update_service(conn, professional, apply_patch(patch, found->info));
          if (!updated) service_not_found();
          return caf::make_message(render(*updated));
        }));
  });
}

void delete_service(request_context& ctx, responder res) {
  auto id = ctx.param("id");
  with_owner(ctx, res, id, [&ctx, res, id](const std::string& professional) {
    change(ctx, res, professional,
           actors::make_job("services.delete", [professional, id](pqxx::connection_base& conn) {
             if (!persistence::delete_service(conn, professional, id)) service_not_found();
             return caf::make_message(json{{"id", id}, {"deleted", true}}.dump());
           }));
  });
}

void patch_service_status(request_context& ctx, responder res) {
  auto active = ctx.json.is_object() ? ctx.json.value("is_active", json{}) : json{};
  if (!active.is_boolean())
    return res.invalid(json::array(
        {validation_entry("is_active", "is_active must be true or false", "REQUIRED", active)}));
  auto id = ctx.param("id");
  with_owner(ctx, res, id,
             [&ctx, res, id, on = active.get<bool>()](const std::string& professional) {
               change(ctx, res, professional,
                      actors::make_job(
                          "services.status", [professional, id, on](pqxx::connection_base& conn) {
                            if (!persistence::set_service_active(conn, professional, id, on))
                              service_not_found();
                            auto found = persistence::find_service(conn, id);
                            if (!found) service_not_found();
                            return caf::make_message(render(*found));
                          }));
             });
}

}  // namespace

void register_service_routes(router& r) {
  route_options owner;
  owner.auth = auth_rule{};
  owner.auth->roles = {"professional", "admin"};
  owner.changes_directory = true;  // services are part of the search document
  r.add(verb::post, "/api/services", post_service, owner);
  r.add(verb::get, "/api/services", list_services);
  r.add(verb::get, "/api/services/professional/:id", list_professional_services);
  r.add(verb::get, "/api/services/:id", get_service);
  r.add(verb::put, "/api/services/:id", put_service, owner);
  r.add(verb::del, "/api/services/:id", delete_service, owner);
  r.add(verb::patch, "/api/services/:id/status", patch_service_status, owner);
}

}  // namespace mundoctor::http
