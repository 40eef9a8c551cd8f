// The patient's favourite professionals and emergency contacts (API.md "Patients"). Everything
// is scoped to the caller: another patient's contact or favourite is not found.

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "http/router.hpp"
#include "http/routes/patient_requests.hpp"
#include "http/routes/patient_routes.hpp"
#include "persistence/patients/patient_repository.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;

std::string page_text(const persistence::json_page& p) {
  return json{{"items", p.items}, {"total", p.total}}.dump();
}

// Runs a paginated list read: `list(conn, patient, offset, limit)`.
template <class List>
void list_own(request_context& ctx, const responder& res, const char* name, List list) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  auto patient = ctx.user_id();
  ask_pool(ctx, res,
           actors::make_job(name,
                            [patient, page, list](pqxx::connection_base& conn) {
                              return caf::make_message(
                                  page_text(list(conn, patient, page.offset(), page.limit)));
                            }),
           [res, page](std::string& text) { answer_items(res, page, text); });
}

void list_favorites(request_context& ctx, responder res) {
  list_own(ctx, res, "patients.favorites", persistence::list_favorites);
}

// Adding a favourite twice is idempotent: 201 the first time, 200 afterwards, same body.
void post_favorite(request_context& ctx, responder res) {
  auto patient = ctx.user_id();
  auto ref = ctx.param("id");
  ask_pool(
      ctx, res,
      actors::make_job("patients.favorite_add",
                       [patient, ref](pqxx::connection_base& conn) {
                         auto added = persistence::add_favorite(conn, patient, ref);
                         return caf::make_message(
                             json{{"data", added.professional}, {"created", added.created}}.dump());
                       }),
      [res](std::string& text) {
        auto body = json::parse(text, nullptr, false);
        if (body.is_discarded()) return res.fail(errc::internal);
        if (body.value("created", false)) return res.created(std::move(body["data"]));
        res.ok(std::move(body["data"]), "Already a favourite");
      });
}

void delete_favorite(request_context& ctx, responder res) {
  auto patient = ctx.user_id();
  auto ref = ctx.param("id");
  ask_pool(ctx, res,
           actors::make_job("patients.favorite_remove",
                            [patient, ref](pqxx::connection_base& conn) {
                              persistence::remove_favorite(conn, patient, ref);
                              return caf::make_message(json{{"id", ref}, {"deleted", true}}.dump());
                            }),
           [res](std::string& text) { answer_data(res, text); });
}

void list_contacts(request_context& ctx, responder res) {
  list_own(ctx, res, "patients.contacts", persistence::list_contacts);
}

void post_contact(request_context& ctx, responder res) {
  auto parsed = parse_contact(ctx.json, true);
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  auto patient = ctx.user_id();
  ask_pool(ctx, res,
           actors::make_job("patients.contact_create",
                            [patient, fields = parsed.fields](pqxx::connection_base& conn) {
                              return caf::make_message(
                                  persistence::create_contact(conn, patient, fields).dump());
                            }),
           [res](std::string& text) { answer_data(res, text, 201); });
}

void put_contact(request_context& ctx, responder res) {
  auto parsed = parse_contact(ctx.json, false);
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  auto patient = ctx.user_id();
  auto id = ctx.param("id");
  ask_pool(ctx, res,
           actors::make_job("patients.contact_update",
                            [patient, id, fields = parsed.fields](pqxx::connection_base& conn) {
                              return caf::make_message(
                                  persistence::update_contact(conn, patient, id, fields).dump());
                            }),
           [res](std::string& text) { answer_data(res, text); });
}

void delete_contact(request_context& ctx, responder res) {
  auto patient = ctx.user_id();
  auto id = ctx.param("id");
  ask_pool(ctx, res,
           actors::make_job("patients.contact_delete",
                            [patient, id](pqxx::connection_base& conn) {
                              persistence::delete_contact(conn, patient, id);
                              return caf::make_message(json{{"id", id}, {"deleted", true}}.dump());
                            }),
           [res](std::string& text) { answer_data(res, text); });
}

}  // namespace

void register_patient_list_routes(router& r) {
  route_options patient;
  patient.auth = auth_rule{};
  patient.auth->roles = {"patient"};
  r.add(verb::get, "/api/patients/favorite-professionals", list_favorites, patient);
  r.add(verb::post, "/api/patients/favorite-professionals/:id", post_favorite, patient);
  r.add(verb::del, "/api/patients/favorite-professionals/:id", delete_favorite, patient);
  r.add(verb::get, "/api/patients/emergency-contacts", list_contacts, patient);
  r.add(verb::post, "/api/patients/emergency-contacts", post_contact, patient);
  r.add(verb::put, "/api/patients/emergency-contacts/:id", put_contact, patient);
  r.add(verb::del, "/api/patients/emergency-contacts/:id", delete_contact, patient);
}

}  // namespace mundoctor::http
