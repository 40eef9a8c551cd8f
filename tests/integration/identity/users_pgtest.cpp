// The user service against a real database: provisioning, role selection, profile and
// preferences.

#include <string>

#include "tests/integration/identity/identity_fixture.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

class users_service : public identity_fixture {};

TEST_F(users_service, first_sight_provisioning_is_idempotent) {
  auto first = resolve("user_first");
  ASSERT_TRUE(first.value) << sys_->render(first.error);
  EXPECT_EQ(first.value->user_id, "user_first");
  EXPECT_EQ(first.value->status, "incomplete");
  EXPECT_EQ(first.value->role, "");
  caf::anon_send(users_, invalidate_atom::value, std::string{"user_first"});
  auto second = resolve("user_first");
  ASSERT_TRUE(second.value);
  EXPECT_EQ(second.value->status, "incomplete");
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM users WHERE id = $1", std::string{"user_first"}),
            1);
}

TEST_F(users_service, selecting_patient_activates_and_creates_the_patient_profile) {
  ASSERT_TRUE(resolve("user_pat").value);  // cached as incomplete
  auto profile = select("user_pat", "patient");
  ASSERT_TRUE(profile.value) << sys_->render(profile.error);
  auto data = profile.json();
  EXPECT_EQ(data["role"], "patient");
  EXPECT_EQ(data["status"], "active");
  EXPECT_TRUE(data["patient"].is_object());
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM patient_profiles WHERE user_id = 'user_pat'"), 1);
  auto after = resolve("user_pat");  // the write dropped the cached principal
  ASSERT_TRUE(after.value);
  EXPECT_EQ(after.value->role, "patient");
  EXPECT_EQ(after.value->status, "active");
}

TEST_F(users_service, selecting_professional_leaves_it_pending_validation) {
  ASSERT_TRUE(resolve("user_pro").value);
  auto profile = select("user_pro", "professional");
  ASSERT_TRUE(profile.value) << sys_->render(profile.error);
  auto data = profile.json();
  EXPECT_EQ(data["status"], "pending_validation");
  EXPECT_EQ(data["verified"], false);
  ASSERT_TRUE(data["professional"].is_object());
  EXPECT_EQ(
      scalar<int64_t>("SELECT count(*) FROM professional_profiles WHERE user_id = 'user_pro'"), 1);
  EXPECT_EQ(resolve("user_pro").value->status, "pending_validation");
}

TEST_F(users_service, a_second_different_role_is_a_conflict_and_the_same_role_is_idempotent) {
  ASSERT_TRUE(resolve("user_twice").value);
  ASSERT_TRUE(select("user_twice", "patient").value);
  auto other = select("user_twice", "professional");
  ASSERT_FALSE(other.value);
  EXPECT_EQ(other.code(), errc::conflict);
  auto same = select("user_twice", "patient");
  ASSERT_TRUE(same.value) << sys_->render(same.error);
  EXPECT_EQ(scalar<std::string>("SELECT role FROM users WHERE id = 'user_twice'"), "patient");
}

TEST_F(users_service, admin_roles_cannot_be_self_selected) {
  ASSERT_TRUE(resolve("user_admin_wannabe").value);
  auto r = select("user_admin_wannabe", "admin");
  ASSERT_FALSE(r.value);
  EXPECT_EQ(r.code(), errc::invalid_argument);
  EXPECT_EQ(r.details()["validationErrors"][0]["field"], "role");
  EXPECT_TRUE(scalar<bool>("SELECT role IS NULL FROM users WHERE id = 'user_admin_wannabe'"));
}

TEST_F(users_service, profile_mirrors_user_fields_and_never_exposes_ciphertext) {
  ASSERT_TRUE(resolve("user_shape").value);
  ASSERT_TRUE(select("user_shape", "patient").value);
  exec(
      "UPDATE patient_profiles SET allergies_ciphertext = '\\x0102', allergies_key_id = 'k1' "
      "WHERE user_id = 'user_shape'");
  auto r =
      ask<std::string>(users_, get_atom::value, profile_atom::value, std::string{"user_shape"});
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  auto data = r.json();
  for (const auto* key :
       {"id", "email", "name", "first_name", "last_name", "phone", "avatar_url", "role", "status",
        "verified", "insuranceData", "subscriptionPlanId", "created_at"}) {
    ASSERT_TRUE(data.contains(key)) << key;
    EXPECT_EQ(data[key], data["user"][key]) << key;
  }
  EXPECT_EQ(data["id"], "user_shape");
  ASSERT_TRUE(data["patient"].is_object());
  EXPECT_FALSE(data.contains("professional"));
  for (const auto& item : data["patient"].items()) {
    EXPECT_EQ(item.key().find("ciphertext"), std::string::npos) << item.key();
    EXPECT_EQ(item.key().find("_key_id"), std::string::npos) << item.key();
  }
}

TEST_F(users_service, unknown_user_profile_is_not_found) {
  auto r =
      ask<std::string>(users_, get_atom::value, profile_atom::value, std::string{"user_nobody"});
  ASSERT_FALSE(r.value);
  EXPECT_EQ(r.code(), errc::not_found);
}

TEST_F(users_service, profile_update_splits_the_name_and_normalizes_the_phone) {
  ASSERT_TRUE(resolve("user_edit").value);
  ASSERT_TRUE(select("user_edit", "patient").value);
  json body{{"name", "Ana María López"},
            {"phone", "612 345 678"},
            {"insuranceData", {{"company", "Sanitas"}, {"policy", "X-1"}}},
            {"patient", {{"gender", "female"}, {"date_of_birth", "1990-05-17"}}}};
  auto r = ask<std::string>(users_, put_atom::value, profile_atom::value, std::string{"user_edit"},
                            body.dump());
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  auto data = r.json();
  EXPECT_EQ(data["first_name"], "Ana");
  EXPECT_EQ(data["last_name"], "María López");
  EXPECT_EQ(data["name"], "Ana María López");
  EXPECT_EQ(data["phone"], "+34612345678");
  EXPECT_EQ(data["insuranceData"]["company"], "Sanitas");
  EXPECT_EQ(data["patient"]["gender"], "female");
  EXPECT_EQ(scalar<std::string>("SELECT phone FROM users WHERE id = 'user_edit'"), "+34612345678");
  EXPECT_EQ(scalar<std::string>("SELECT insurance_data->>'policy' FROM users "
                                "WHERE id = 'user_edit'"),
            "X-1");
  auto again =
      ask<std::string>(users_, get_atom::value, profile_atom::value, std::string{"user_edit"});
  EXPECT_EQ(again.json()["insuranceData"]["company"], "Sanitas");
}

TEST_F(users_service, invalid_phone_is_a_validation_error_and_changes_nothing) {
  ASSERT_TRUE(resolve("user_badphone").value);
  json body{{"first_name", "Luis"}, {"phone", "12ab"}};
  auto r = ask<std::string>(users_, put_atom::value, profile_atom::value,
                            std::string{"user_badphone"}, body.dump());
  ASSERT_FALSE(r.value);
  EXPECT_EQ(r.code(), errc::invalid_argument);
  EXPECT_EQ(inspect_error(r.error).machine_code, "VALIDATION_ERROR");
  auto errors = r.details()["validationErrors"];
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(errors[0]["field"], "phone");
  EXPECT_EQ(errors[0]["received"], "12ab");
  EXPECT_TRUE(scalar<bool>("SELECT first_name IS NULL FROM users WHERE id = 'user_badphone'"));
}

TEST_F(users_service, preferences_default_update_and_reject_unknown_zones) {
  ASSERT_TRUE(resolve("user_prefs").value);
  auto defaults =
      ask<std::string>(users_, get_atom::value, prefs_atom::value, std::string{"user_prefs"});
  ASSERT_TRUE(defaults.value) << sys_->render(defaults.error);
  EXPECT_EQ(defaults.json()["language"], "es");
  EXPECT_EQ(defaults.json()["timezone"], "Europe/Madrid");
  EXPECT_EQ(defaults.json()["notification_channels"], json::array({"in_app", "email"}));

  json body{{"language", "en-GB"},
            {"timezone", "America/New_York"},
            {"notification_channels", {"email", "sms"}}};
  auto put = ask<std::string>(users_, put_atom::value, prefs_atom::value, std::string{"user_prefs"},
                              body.dump());
  ASSERT_TRUE(put.value) << sys_->render(put.error);
  EXPECT_EQ(put.json()["language"], "en-GB");
  EXPECT_EQ(put.json()["timezone"], "America/New_York");
  EXPECT_EQ(put.json()["notification_channels"], json::array({"email", "sms"}));

  auto bad = ask<std::string>(users_, put_atom::value, prefs_atom::value, std::string{"user_prefs"},
                              json{{"timezone", "Mars/Olympus"}}.dump());
  ASSERT_FALSE(bad.value);
  EXPECT_EQ(bad.code(), errc::invalid_argument);
  EXPECT_EQ(bad.details()["validationErrors"][0]["field"], "timezone");
  EXPECT_EQ(scalar<std::string>("SELECT timezone FROM user_preferences "
                                "WHERE user_id = 'user_prefs'"),
            "America/New_York");
}

TEST_F(users_service, malformed_json_body_is_a_bad_request) {
  ASSERT_TRUE(resolve("user_json").value);
  auto r = ask<std::string>(users_, put_atom::value, profile_atom::value, std::string{"user_json"},
                            std::string{"{not json"});
  ASSERT_FALSE(r.value);
  EXPECT_EQ(r.code(), errc::bad_request);
}

}  // namespace
}  // namespace mundoctor::testing
