// The "Users" endpoints of API.md, served by the user service actor.

#include <caf/all.hpp>

#include "actors/protocol/identity.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes/routes.hpp"

namespace mundoctor::http {

namespace {

constexpr int64_t default_dashboard_limit = 5;
constexpr int64_t max_dashboard_limit = 50;

// Most user-service replies are JSON text for `data`.
auto answer_json(const responder& res) {
  return [res](std::string& json) {
    auto data = nlohmann::json::parse(json, nullptr, false);
    if (data.is_discarded()) return res.fail(errc::internal);
    res.ok(std::move(data));
  };
}

void ask_users(request_context& ctx, const responder& res, caf::message msg) {
  ask(ctx, ctx.svc->lookup(names::users), std::move(msg), res, answer_json(res));
}

bool require_object(const request_context& ctx, const responder& res) {
  if (ctx.json.is_object()) return true;
  res.invalid(nlohmann::json::array(
      {{{"field", "body"}, {"message", "a JSON object is required"}, {"code", "REQUIRED"}}}));
  return false;
}

void get_profile(request_context& ctx, responder res) {
  ask_users(ctx, res, caf::make_message(get_atom::value, profile_atom::value, ctx.user_id()));
}

void put_profile(request_context& ctx, responder res) {
  if (!require_object(ctx, res)) return;
  ask_users(
      ctx, res,
      caf::make_message(put_atom::value, profile_atom::value, ctx.user_id(), ctx.json.dump()));
}

void post_select_role(request_context& ctx, responder res) {
  if (!require_object(ctx, res)) return;
  auto role = ctx.json.value("role", nlohmann::json{});
  if (!role.is_string() || (role != "patient" && role != "professional"))
    return res.invalid(nlohmann::json::array({{{"field", "role"},
                                               {"message", "role must be patient or professional"},
                                               {"code", "INVALID_ENUM"},
                                               {"received", role}}}));
  ask_users(ctx, res,
            caf::make_message(select_role_atom::value, ctx.user_id(), role.get<std::string>()));
}

void get_preferences(request_context& ctx, responder res) {
  ask_users(ctx, res, caf::make_message(get_atom::value, prefs_atom::value, ctx.user_id()));
}

void put_preferences(request_context& ctx, responder res) {
  if (!require_object(ctx, res)) return;
  ask_users(ctx, res,
            caf::make_message(put_atom::value, prefs_atom::value, ctx.user_id(), ctx.json.dump()));
}

handler_fn dashboard(std::string which) {
  return [which](request_context& ctx, responder res) {
    page_request page;
    page.limit = default_dashboard_limit;
    std::string problem;
    if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
    auto limit = std::min(page.limit, max_dashboard_limit);
    ask_users(ctx, res, caf::make_message(dashboard_atom::value, ctx.user_id(), which, limit));
  };
}

}  // namespace

void register_user_routes(router& r) {
  route_options any;
  any.auth = auth_rule{};
  route_options own_profile = any;
  own_profile.auth->allow_inactive = true;
  r.add(verb::get, "/api/users/profile", get_profile, own_profile);
  // A professional's name, specialty, city, fee... are what the directory shows.
  route_options directory_change = any;
  directory_change.changes_directory = true;
  r.add(verb::put, "/api/users/profile", put_profile, directory_change);
  r.add(verb::post, "/api/users/select-role", post_select_role, directory_change);
  r.add(verb::get, "/api/users/preferences", get_preferences, any);
  r.add(verb::put, "/api/users/preferences", put_preferences, any);
  r.add(verb::get, "/api/users/dashboard-stats", dashboard("stats"), any);
  r.add(verb::get, "/api/users/dashboard-appointments", dashboard("appointments"), any);
  r.add(verb::get, "/api/users/dashboard-reviews", dashboard("reviews"), any);
}

}  // namespace mundoctor::http
