// The "Professional validation" endpoints of API.md (uploads excepted) and
// POST /api/users/professional-validation. Reads and submissions run on the DB pool; every
// decision runs through the professional's calendar actor (apply_atom), so an approval makes
// the professional bookable in the actor's state before the reply. Decisions are written to
// the admin action log by the repository and to the audit trail by the pipeline.

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "actors/identity/verified_cache.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes/calendar_client.hpp"
#include "http/routes/catalogue_requests.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/validation_requests.hpp"
#include "persistence/professionals/validation_repository.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;
using persistence::domain_error;

[[noreturn]] void request_not_found() {
  throw domain_error(errc::not_found, "Validation request not found",
                     "VALIDATION_REQUEST_NOT_FOUND");
}

// After a decision: the user's cached principal is dropped (its status may have changed) and
// Clerk's public metadata follows the verification status when the Clerk API is configured.
void announce_decision(const services& svc, const json& item) {
  auto user = item.value("user_id", std::string{});
  auto status = item.value("validation_status", std::string{});
  // Forgotten here at once (the next request reads the cache on its I/O thread), and told to
  // the service so that a lookup still in flight is not cached.
  if (svc.principals) svc.principals->forget(user);
  if (auto users = svc.lookup(names::users)) caf::anon_send(users, invalidate_atom::value, user);
  if (auto clerk = svc.lookup(names::clerk)) {
    json pub{{"role", "professional"},
             {"verified", status == "approved"},
             {"verificationStatus", status}};
    caf::anon_send(clerk, clerk_metadata_atom::value, user, pub.dump(),
                   json{{"role", "professional"}}.dump());
  }
}

void submit(request_context& ctx, responder res) {
  auto parsed = parse_submission(ctx.json, ctx.user_id());
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  ask_pool(ctx, res,
           actors::make_job(
               "validation.submit",
               [s = std::move(parsed.value)](pqxx::connection_base& conn) {
                 auto r = persistence::submit_validation(conn, s);
                 return caf::make_message(
                     json{{"created", r.created}, {"item", json::parse(r.item_json)}}.dump());
               }),
           [res](std::string& text) {
             auto body = json::parse(text, nullptr, false);
             if (body.is_discarded()) return res.fail(errc::internal);
             if (body.value("created", false))
               res.created(std::move(body["item"]), "Validation request submitted");
             else
               res.ok(std::move(body["item"]), "Validation request updated and pending review");
           });
}

void list_with(request_context& ctx, const responder& res, std::vector<std::string> statuses) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  auto errors = json::array();
  auto filter = parse_validation_query(
      [&ctx](const std::string& key) { return ctx.req->query_param(key); }, errors);
  if (!errors.empty()) return res.invalid(std::move(errors));
  if (!statuses.empty()) filter.statuses = std::move(statuses);
  filter.viewer_id = ctx.user_id();
  filter.admin = is_admin(*ctx.user);
  filter.offset = page.offset();
  filter.limit = page.limit;
  ask_pool(ctx, res,
           actors::make_job(
               "validation.list",
               [filter](pqxx::connection_base& conn) {
                 auto found = persistence::list_validations(conn, filter);
                 return caf::make_message(
                     json{{"items", json::parse(found.items_json)}, {"total", found.total}}.dump());
               }),
           [res, page](std::string& text) {
             auto body = json::parse(text, nullptr, false);
             if (body.is_discarded()) return res.fail(errc::internal);
             auto items = std::move(body["items"]);
             auto out = success_body(items, {},
                                     pagination_metadata(page, body.value("total", int64_t{0})));
             out["requests"] = std::move(items);
             res.send(json_response(200, out));
           });
}

void list_requests(request_context& ctx, responder res) { list_with(ctx, res, {}); }

void list_pending(request_context& ctx, responder res) {
  list_with(ctx, res, {"pending", "under_review"});
}

void get_request(request_context& ctx, responder res) {
  auto id = ctx.param("id");
  bool admin = is_admin(*ctx.user);
  if (admin) ctx.audited_reads.emplace_back("validation_request", id);
  ask_pool(ctx, res,
           actors::make_job("validation.find",
                            [id, viewer = ctx.user_id(), admin](pqxx::connection_base& conn) {
                              auto found = persistence::find_validation(conn, id, viewer, admin);
                              if (!found) request_not_found();
                              return caf::make_message(*found);
                            }),
           answer_json(res));
}

// Moves request `id` to `to` through the professional's calendar actor.
void decide(request_context& ctx, const responder& res, const std::string& to,
            const std::string& notes, const std::string& message) {
  auto id = ctx.param("id");
  ask_pool(
      ctx, res,
      actors::make_job("validation.locate",
                       [id](pqxx::connection_base& conn) {
                         auto professional = persistence::validation_professional(conn, id);
                         if (!professional) request_not_found();
                         return caf::make_message(*professional);
                       }),
      [&ctx, res, id, to, notes, message](std::string& professional) {
        auto job = actors::make_job("validation.decide", [id, to, notes, admin = ctx.user_id()](
                                                             pqxx::connection_base& conn) {
          return caf::make_message(persistence::decide_validation(conn, id, admin, to, notes));
        });
        const services* svc = ctx.svc;
        ask_calendar(ctx, res, professional, caf::make_message(apply_atom::value, std::move(job)),
                     [svc, res, message](std::string& text) {
                       auto item = json::parse(text, nullptr, false);
                       if (item.is_discarded()) return res.fail(errc::internal);
                       announce_decision(*svc, item);
                       res.ok(std::move(item), message);
                     });
      });
}

handler_fn decision(std::string to, std::string message) {
  return [to, message](request_context& ctx, responder res) {
    auto errors = json::array();
    auto notes = parse_review_notes(ctx.json, to, errors);
    if (!errors.empty()) return res.invalid(std::move(errors));
    decide(ctx, res, to, notes, message);
  };
}

void put_status(request_context& ctx, responder res) {
  auto status = ctx.json.is_object() ? ctx.json.value("status", json{}) : json{};
  if (!status.is_string() || (status != "under_review" && status != "approved" &&
                              status != "rejected" && status != "requires_info"))
    return res.invalid(json::array(
        {validation_entry("status", "must be under_review, approved, rejected or requires_info",
                          "INVALID_ENUM", status)}));
  auto to = status.get<std::string>();
  auto errors = json::array();
  auto notes = parse_review_notes(ctx.json, to, errors);
  if (!errors.empty()) return res.invalid(std::move(errors));
  decide(ctx, res, to, notes, "Validation status updated");
}

void get_stats(request_context& ctx, responder res) {
  ask_pool(ctx, res,
           actors::make_job("validation.stats",
                            [](pqxx::connection_base& conn) {
                              return caf::make_message(persistence::validation_stats(conn));
                            }),
           answer_json(res));
}

}  // namespace

void register_validation_routes(router& r) {
  route_options pro;
  pro.auth = auth_rule{};
  pro.auth->roles = {"professional"};
  route_options admin;
  admin.auth = auth_rule{};
  admin.auth->roles = {"admin"};
  route_options both;
  both.auth = auth_rule{};
  both.auth->roles = {"professional", "admin"};
  r.add(verb::post, "/api/validation/request", submit, pro);
  // Every Users endpoint admits any signed-in user; without a professional profile the
  // submission is a 409 PROFESSIONAL_ROLE_REQUIRED.
  route_options any;
  any.auth = auth_rule{};
  r.add(verb::post, "/api/users/professional-validation", submit, any);
  r.add(verb::get, "/api/validation/requests", list_requests, both);
  r.add(verb::get, "/api/validation/requests/:id", get_request, both);
  r.add(verb::get, "/api/validation/pending", list_pending, admin);
  r.add(verb::get, "/api/validation/stats", get_stats, admin);
  // Decisions change who is verified, so who the directory shows.
  route_options decide = admin;
  decide.changes_directory = true;
  r.add(verb::put, "/api/validation/:id/status", put_status, decide);
  r.add(verb::post, "/api/validation/:id/approve",
        decision("approved", "The professional is now verified"), decide);
  r.add(verb::post, "/api/validation/:id/reject",
        decision("rejected", "The validation request was rejected"), decide);
  r.add(verb::post, "/api/validation/:id/request-info",
        decision("requires_info", "More information was requested"), decide);
}

}  // namespace mundoctor::http
