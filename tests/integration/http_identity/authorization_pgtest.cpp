// Who may call what, over every route the runtime registers: an explicit table classifies each
// route, so a new route without a row fails here with its name. Also the status rules: a
// suspended user is refused everywhere but their own profile read.

#include <algorithm>
#include <map>
#include <set>

#include "http/router.hpp"
#include "tests/integration/http_identity/identity_server.hpp"

namespace mundoctor::testing {
namespace {

enum class access : uint8_t {
  open,      // no authentication: never 401 or 403
  any_user,  // a session token of any user, also without a role
  roles,     // a session token of one of the row's roles (admin admits super_admin); else 403
  ops,       // the operators' token only
  webhook,   // Svix signature instead of a session
};

struct rule {
  access kind;
  std::set<std::string> roles = {};  // for access::roles
  rule(access k) : kind(k) {}        // NOLINT(google-explicit-constructor): table shorthand
  rule(std::initializer_list<std::string> allowed) : kind(access::roles), roles(allowed) {}
};

// Every route of the runtime, by "METHOD pattern".
const std::map<std::string, rule>& access_table() {
  static const std::map<std::string, rule> table{
      {"GET /health", access::open},
      {"GET /ready", access::open},
      {"GET /metrics", access::open},
      {"GET /ops", access::open},
      {"GET /ops/app.js", access::open},
      {"GET /ops/app.css", access::open},
      {"GET /ops/actors", access::ops},
      {"GET /ops/actors/:kind/:key", access::ops},
      {"POST /ops/probe/:key", access::ops},
      {"GET /api/users/profile", access::any_user},
      {"PUT /api/users/profile", access::any_user},
      {"POST /api/users/select-role", access::any_user},
      {"GET /api/users/preferences", access::any_user},
      {"PUT /api/users/preferences", access::any_user},
      {"GET /api/users/dashboard-stats", access::any_user},
      {"GET /api/users/dashboard-appointments", access::any_user},
      {"GET /api/users/dashboard-reviews", access::any_user},
      {"POST /api/webhooks/clerk", access::webhook},
      {"GET /api/appointments/availability/:professionalId", access::open},
      {"POST /api/appointments/check-availability", access::any_user},
      {"POST /api/appointments", {"patient", "professional", "admin"}},
      {"POST /api/appointments/holds", {"patient"}},
      {"POST /api/appointments/waitlist", {"patient"}},
      {"GET /api/appointments", access::any_user},
      {"GET /api/appointments/:id", access::any_user},
      {"PUT /api/appointments/:id", access::any_user},
      {"DELETE /api/appointments/:id", access::any_user},
      {"PATCH /api/appointments/:id/status", access::any_user},
      {"GET /api/appointments/calendar/:professionalId", {"professional", "admin"}},
      {"GET /api/patients/appointments", {"patient"}},
      {"GET /api/patients/profile", {"patient"}},
      {"PUT /api/patients/profile", {"patient"}},
      {"GET /api/patients/history", {"patient"}},
      {"GET /api/patients/:patientId/history", {"professional", "admin"}},
      {"GET /api/patients/favorite-professionals", {"patient"}},
      {"POST /api/patients/favorite-professionals/:id", {"patient"}},
      {"DELETE /api/patients/favorite-professionals/:id", {"patient"}},
      {"GET /api/patients/emergency-contacts", {"patient"}},
      {"POST /api/patients/emergency-contacts", {"patient"}},
      {"PUT /api/patients/emergency-contacts/:id", {"patient"}},
      {"DELETE /api/patients/emergency-contacts/:id", {"patient"}},
      {"PUT /api/appointments/:id/medical-record", {"professional", "admin"}},
      {"POST /api/services", {"professional", "admin"}},
      {"GET /api/services", access::open},
      {"GET /api/services/professional/:id", access::open},
      {"GET /api/services/:id", access::open},
      {"PUT /api/services/:id", {"professional", "admin"}},
      {"DELETE /api/services/:id", {"professional", "admin"}},
      {"PATCH /api/services/:id/status", {"professional", "admin"}},
      {"POST /api/schedules", {"professional", "admin"}},
      {"GET /api/schedules", {"professional", "admin"}},
      {"PUT /api/schedules/:id", {"professional", "admin"}},
      {"DELETE /api/schedules/:id", {"professional", "admin"}},
      {"POST /api/schedules/exceptions", {"professional", "admin"}},
      {"GET /api/schedules/exceptions", {"professional", "admin"}},
      {"PUT /api/schedules/exceptions/:id", {"professional", "admin"}},
      {"DELETE /api/schedules/exceptions/:id", {"professional", "admin"}},
      {"GET /api/schedules/policy", {"professional", "admin"}},
      {"PUT /api/schedules/policy", {"professional", "admin"}},
      {"POST /api/users/professional-validation", access::any_user},
      {"POST /api/validation/request", {"professional"}},
      {"GET /api/validation/requests", {"professional", "admin"}},
      {"GET /api/validation/requests/:id", {"professional", "admin"}},
      {"GET /api/validation/pending", {"admin"}},
      {"GET /api/validation/stats", {"admin"}},
      {"PUT /api/validation/:id/status", {"admin"}},
      {"POST /api/validation/:id/approve", {"admin"}},
      {"POST /api/validation/:id/reject", {"admin"}},
      {"POST /api/validation/:id/request-info", {"admin"}},
      {"GET /api/professionals/specialties", access::open},
      {"GET /api/professionals/patients", {"professional"}},
      {"GET /api/professionals/:id", access::open},
      {"GET /api/professionals/search", access::open},
      {"GET /api/patients/search/professionals", access::open},
      {"GET /api/patients/search/nearby", access::open},
      {"GET /api/patients/search/specialty/:specialty", access::open},
      {"GET /api/patients/search/specialties", access::open},
      {"GET /api/patients/search/featured", access::open},
      {"POST /api/uploads/professional-documents", {"professional"}},
      {"POST /api/uploads/avatar", access::any_user},
      {"GET /api/uploads/:file", access::any_user},
      {"GET /api/avatars/:file", access::open},
  };
  return table;
}

// Plausible values for path parameters.
std::string concrete_path(const std::string& pattern) {
  static const std::map<std::string, std::string> values{
      {":kind", "probe"},
      {":key", "matrix-key"},
      {":id", "7d4c3e2a-1b0f-4a9e-8c7d-6e5f4a3b2c1d"},
      {":professionalId", "7d4c3e2a-1b0f-4a9e-8c7d-6e5f4a3b2c1d"},
  };
  std::string out;
  for (const auto& segment : http::split_path(pattern)) {
    auto it = values.find(segment);
    out += "/" + (it != values.end() ? it->second : segment[0] == ':' ? "x" : segment);
  }
  return out.empty() ? "/" : out;
}

struct caller {
  std::string name;
  std::string authorization;  // the whole header value; empty = none
};

class access_rules : public identity_test {
 protected:
  void SetUp() override {
    identity_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    settings_.rate_limit_rps = 10'000;
    settings_.rate_limit_burst = 10'000;
    settings_.user_rate_limit_rps = 10'000;
    settings_.user_rate_limit_burst = 10'000;
    settings_.user_cache_ttl_s = 0;  // status changes made in SQL are seen at once
    start();
  }

  http_result call_route(const route_entry& rt, const std::string& authorization) {
    header_fields headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    std::string body;
    if (rt.method == http::verb::post || rt.method == http::verb::put ||
        rt.method == http::verb::patch) {
      body = "{}";
      headers.emplace_back("Content-Type", "application/json");
    }
    return request(server_->port(), std::string{http::to_string(rt.method)},
                   concrete_path(rt.pattern), body, headers);
  }

  std::vector<caller> callers() {
    std::vector<caller> out{{"anonymous", ""},
                            {"user without role", "Bearer " + token_for(unique_user("norole"))}};
    for (const char* role : {"patient", "professional", "admin", "super_admin"}) {
      auto id = unique_user(role);
      assign_role(id, role);
      out.push_back({role, "Bearer " + token_for(id)});
    }
    return out;
  }

  void check(const route_entry& rt, const rule& row, const caller& who) {
    auto r = call_route(rt, who.authorization);
    auto where = rt.name() + " as " + who.name + ": " + std::to_string(r.status) + " " + r.body;
    EXPECT_LT(r.status, 500u) << where;
    switch (row.kind) {
      case access::open:
        EXPECT_NE(r.status, 401u) << where;
        EXPECT_NE(r.status, 403u) << where;
        break;
      case access::any_user:
        if (who.authorization.empty()) {
          EXPECT_EQ(r.status, 401u) << where;
          EXPECT_EQ(r.json.value("code", std::string{}), "TOKEN_MISSING") << where;
        } else {
          EXPECT_NE(r.status, 401u) << where;
          EXPECT_NE(r.status, 403u) << where;
        }
        break;
      case access::roles: {
        bool admitted = row.roles.count(who.name) > 0 ||
                        (who.name == "super_admin" && row.roles.count("admin") > 0);
        if (who.authorization.empty())
          EXPECT_EQ(r.status, 401u) << where;
        else if (admitted)
          EXPECT_TRUE(r.status != 401u && r.status != 403u) << where;
        else
          EXPECT_EQ(r.status, 403u) << where;
        break;
      }
      case access::ops:
      case access::webhook:
        EXPECT_EQ(r.status, 401u) << where;
        break;
    }
  }
};

TEST_F(access_rules, every_route_answers_each_caller_as_its_class_requires) {
  const auto& routes = server_->routes();
  ASSERT_FALSE(routes.empty());
  const auto& table = access_table();
  for (const auto& [name, kind] : table) {
    bool registered = std::any_of(routes.begin(), routes.end(),
                                  [&, n = name](const route_entry& rt) { return rt.name() == n; });
    EXPECT_TRUE(registered) << "the table names " << name << ", which the runtime lacks";
  }
  auto everyone = callers();
  for (const auto& rt : routes) {
    auto row = table.find(rt.name());
    if (row == table.end()) {
      ADD_FAILURE() << "route " << rt.name()
                    << " has no row in the authorization table of this test: classify it";
      continue;
    }
    if (rt.pattern.rfind("/api/users/", 0) == 0) {
      EXPECT_EQ(row->second.kind, access::any_user) << rt.name() << " is a Users endpoint";
    }
    for (const auto& who : everyone) check(rt, row->second, who);
    if (row->second.kind == access::ops) {
      auto r = call_route(rt, std::string{"Bearer "} + identity_ops_token);
      EXPECT_TRUE(r.status == 200u || r.status == 404u)
          << rt.name() << " with the ops token: " << r.status << " " << r.body;
    }
  }
}

TEST_F(access_rules, a_suspended_user_is_refused_everywhere_but_the_own_profile_read) {
  auto user = unique_user("pat");
  assign_role(user, "patient");
  auto token = "Bearer " + token_for(user);
  std::vector<route_entry> users_routes;
  for (const auto& rt : server_->routes())
    if (rt.pattern.rfind("/api/users/", 0) == 0) users_routes.push_back(rt);
  ASSERT_GE(users_routes.size(), 8u);

  for (const auto& rt : users_routes) {
    auto r = call_route(rt, token);
    EXPECT_NE(r.status, 403u) << "active: " << rt.name() << ": " << r.body;
  }
  exec("UPDATE users SET status = 'suspended', suspended_at = now() WHERE id = $1", user);
  for (const auto& rt : users_routes) {
    auto r = call_route(rt, token);
    if (rt.method == http::verb::get && rt.pattern == "/api/users/profile") {
      EXPECT_EQ(r.status, 200u) << r.body;
      EXPECT_EQ(r.json["data"]["status"], "suspended") << r.body;
    } else {
      SCOPED_TRACE("suspended: " + rt.name());
      expect_error_envelope(r, 403, "FORBIDDEN");
    }
  }
  EXPECT_EQ(query_value("SELECT role FROM users WHERE id = $1", user), "patient");
}

}  // namespace
}  // namespace mundoctor::testing
