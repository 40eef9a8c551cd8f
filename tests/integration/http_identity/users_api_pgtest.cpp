// The Users endpoints of API.md through real HTTP: first-sight provisioning, the profile shape,
// profile edits, role selection, preferences and the dashboards.

#include "tests/integration/http_identity/identity_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

constexpr auto profile = "/api/users/profile";
const std::vector<std::string> user_fields{
    "id",   "email",  "name",     "first_name",    "last_name",          "phone",     "avatar_url",
    "role", "status", "verified", "insuranceData", "subscriptionPlanId", "created_at"};

class users_api : public identity_test {
 protected:
  void SetUp() override {
    identity_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    start();
  }

  json data_of(const http_result& r) {
    EXPECT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json.value("success", false), true) << r.body;
    return r.json.value("data", json{});
  }

  json select_role(const std::string& user, const std::string& role) {
    return data_of(send_as(user, "POST", "/api/users/select-role", {{"role", role}}));
  }
};

TEST_F(users_api, a_valid_token_for_an_unknown_subject_creates_the_user_once) {
  auto user = unique_user();
  auto first = data_of(get_as(user, profile));
  EXPECT_EQ(first["id"], user);
  EXPECT_EQ(first["status"], "incomplete");
  EXPECT_TRUE(first["role"].is_null()) << first;
  auto second = data_of(get_as(user, profile));
  EXPECT_EQ(second["id"], user);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = $1", user), 1);
}

TEST_F(users_api, the_profile_has_every_field_at_the_top_and_under_user) {
  auto user = unique_user();
  auto data = data_of(get_as(user, profile));
  ASSERT_TRUE(data["user"].is_object()) << data;
  for (const auto& field : user_fields) {
    EXPECT_TRUE(data.contains(field)) << "top level lacks " << field << ": " << data;
    EXPECT_TRUE(data["user"].contains(field)) << "data.user lacks " << field << ": " << data;
    if (data.contains(field) && data["user"].contains(field)) {
      EXPECT_EQ(data[field], data["user"][field]) << field;
    }
  }
  EXPECT_EQ(data["verified"], false);
  EXPECT_TRUE(data["created_at"].is_string());
  EXPECT_FALSE(data.contains("patient"));
  EXPECT_FALSE(data.contains("professional"));
}

TEST_F(users_api, profile_edits_are_normalized_and_spanish_text_round_trips) {
  auto user = unique_user();
  const std::string first = "I\xC3\xB1igo";  // Iñigo
  const std::string last =
      "Pe\xC3\xB1"
      "alver G\xC3\xB3mez";                                // Peñalver Gómez
  const std::string plan = "Sanitas Plus 30\xE2\x82\xAC";  // Sanitas Plus 30€
  auto updated = data_of(send_as(user, "PUT", profile,
                                 {{"first_name", first},
                                  {"last_name", last},
                                  {"phone", "612 345 678"},
                                  {"profile_image_url", "https://img.example/a.png"},
                                  {"insuranceData", {{"plan", plan}}}}));
  EXPECT_EQ(updated["first_name"], first);
  EXPECT_EQ(updated["last_name"], last);
  EXPECT_EQ(updated["name"], first + " " + last);
  EXPECT_EQ(updated["phone"], "+34612345678");
  EXPECT_EQ(updated["avatar_url"], "https://img.example/a.png");
  EXPECT_EQ(updated["insuranceData"]["plan"], plan);
  EXPECT_EQ(updated["user"]["phone"], "+34612345678");
  EXPECT_EQ(query_value("SELECT last_name FROM users WHERE id = $1", user), last);
  EXPECT_EQ(query_value("SELECT phone FROM users WHERE id = $1", user), "+34612345678");

  const std::string full =
      "Mar\xC3\xAD"
      "a Jos\xC3\xA9 N\xC3\xBA\xC3\xB1"
      "ez";  // María José Núñez
  auto renamed = data_of(send_as(user, "PUT", profile, {{"name", full}}));
  EXPECT_EQ(renamed["first_name"],
            "Mar\xC3\xAD"
            "a");
  EXPECT_EQ(renamed["last_name"],
            "Jos\xC3\xA9 N\xC3\xBA\xC3\xB1"
            "ez");
  EXPECT_EQ(renamed["name"], full);
  auto read_back = data_of(get_as(user, profile));
  EXPECT_EQ(read_back["name"], full);
  EXPECT_EQ(read_back["insuranceData"]["plan"], plan);
}

TEST_F(users_api, an_invalid_phone_is_a_422_naming_the_field) {
  auto user = unique_user();
  auto r = send_as(user, "PUT", profile, {{"phone", "12ab"}});
  expect_error_envelope(r, 422, "VALIDATION_ERROR");
  auto errors = r.json["metadata"]["validationErrors"];
  ASSERT_TRUE(errors.is_array() && !errors.empty()) << r.body;
  EXPECT_EQ(errors[0]["field"], "phone");
  EXPECT_TRUE(errors[0].contains("message") && errors[0].contains("code")) << r.body;
}

TEST_F(users_api, selecting_a_role_sets_the_status_and_creates_the_role_profile) {
  auto patient = unique_user("pat");
  auto p = select_role(patient, "patient");
  EXPECT_EQ(p["role"], "patient");
  EXPECT_EQ(p["status"], "active");
  EXPECT_TRUE(p["patient"].is_object()) << p;
  EXPECT_EQ(data_of(get_as(patient, profile))["status"], "active");

  auto pro = unique_user("pro");
  auto q = select_role(pro, "professional");
  EXPECT_EQ(q["role"], "professional");
  EXPECT_EQ(q["status"], "pending_validation");
  EXPECT_TRUE(q["professional"].is_object()) << q;

  auto same_again = send_as(patient, "POST", "/api/users/select-role", {{"role", "patient"}});
  EXPECT_EQ(same_again.status, 200u) << same_again.body;
  auto other = send_as(patient, "POST", "/api/users/select-role", {{"role", "professional"}});
  EXPECT_EQ(other.status, 409u) << other.body;
  EXPECT_EQ(query_value("SELECT role FROM users WHERE id = $1", patient), "patient");

  auto admin = send_as(unique_user(), "POST", "/api/users/select-role", {{"role", "admin"}});
  expect_error_envelope(admin, 422, "VALIDATION_ERROR");
  EXPECT_EQ(admin.json["metadata"]["validationErrors"][0]["field"], "role");
}

TEST_F(users_api, preferences_have_defaults_and_validate_the_time_zone) {
  auto user = unique_user();
  auto defaults = data_of(get_as(user, "/api/users/preferences"));
  EXPECT_EQ(defaults["language"], "es");
  EXPECT_EQ(defaults["timezone"], "Europe/Madrid");
  EXPECT_TRUE(defaults["notification_channels"].is_array());

  auto put = data_of(send_as(user, "PUT", "/api/users/preferences",
                             {{"timezone", "America/Mexico_City"}, {"language", "es-MX"}}));
  EXPECT_EQ(put["timezone"], "America/Mexico_City");
  EXPECT_EQ(put["language"], "es-MX");
  EXPECT_EQ(data_of(get_as(user, "/api/users/preferences"))["timezone"], "America/Mexico_City");

  auto bad = send_as(user, "PUT", "/api/users/preferences", {{"timezone", "Mars/Olympus_Mons"}});
  expect_error_envelope(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(bad.json["metadata"]["validationErrors"][0]["field"], "timezone");
  EXPECT_EQ(data_of(get_as(user, "/api/users/preferences"))["timezone"], "America/Mexico_City");
}

TEST_F(users_api, dashboard_stats_are_role_shaped_with_real_figures) {
  auto patient = unique_user("pat");
  select_role(patient, "patient");
  auto p = data_of(get_as(patient, "/api/users/dashboard-stats"));
  ASSERT_TRUE(p.contains("nextAppointment")) << p;
  EXPECT_TRUE(p["nextAppointment"].is_null());
  EXPECT_EQ(p["reviewsCount"], 0);

  auto pro = unique_user("pro");
  select_role(pro, "professional");
  auto q = data_of(get_as(pro, "/api/users/dashboard-stats"));
  for (const char* key : {"totalPatients", "monthlyAppointments", "averageRating", "monthlyIncome"})
    EXPECT_EQ(q.value(key, json{}), 0) << key << ": " << q;
  EXPECT_TRUE(q["trends"].is_object()) << q;

  for (const char* role : {"admin", "super_admin"}) {
    auto admin = unique_user(role);
    assign_role(admin, role);
    auto a = data_of(get_as(admin, "/api/users/dashboard-stats"));
    EXPECT_EQ(a["total_users"], count("SELECT count(*) FROM users WHERE status <> $1", "deleted"))
        << a;
    EXPECT_EQ(
        a["total_professionals"],
        count("SELECT count(*) FROM users WHERE role = $1 AND status <> 'deleted'", "professional"))
        << a;
    EXPECT_EQ(a["pendingValidations"], 0) << a;
    ASSERT_TRUE(a["usersByMonth"].is_array()) << a;
    EXPECT_EQ(a["usersByMonth"].size(), 6u);
    ASSERT_TRUE(a["subscriptionsByMonth"].is_array()) << a;
    EXPECT_EQ(a["subscriptionsByMonth"].size(), 6u);
  }
}

TEST_F(users_api, dashboard_lists_are_arrays) {
  auto user = unique_user();
  select_role(user, "patient");
  for (const char* target :
       {"/api/users/dashboard-appointments?limit=3", "/api/users/dashboard-reviews?limit=3",
        "/api/users/dashboard-appointments"}) {
    auto r = get_as(user, target);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    EXPECT_TRUE(r.json["data"].is_array()) << target << ": " << r.body;
    EXPECT_TRUE(r.json["data"].empty()) << target << ": " << r.body;
  }
}

}  // namespace
}  // namespace mundoctor::testing
