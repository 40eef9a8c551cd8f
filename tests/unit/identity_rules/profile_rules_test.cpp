// Validation of the user endpoints' bodies and parsing of Clerk payloads.

#include "actors/identity/profile_rules.hpp"

#include <gtest/gtest.h>

#include "actors/protocol/errors.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::actors::identity {
namespace {

using nlohmann::json;

const field_error* error_for(const std::vector<field_error>& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.field == field) return &e;
  return nullptr;
}

TEST(profile_rules, name_is_split_at_the_first_space) {
  auto r = parse_profile_update(json{{"name", "  Ana María López "}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.first_name, "Ana");
  EXPECT_EQ(r.value.last_name, "María López");
}

TEST(profile_rules, a_single_word_name_clears_the_last_name) {
  auto r = parse_profile_update(json{{"name", "Cher"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.first_name, "Cher");
  EXPECT_EQ(r.value.last_name, "");
}

TEST(profile_rules, explicit_first_and_last_names_win_over_name) {
  auto r = parse_profile_update(json{{"name", "A B"}, {"first_name", "Luis"}, {"lastName", "Gil"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.first_name, "Luis");
  EXPECT_EQ(r.value.last_name, "Gil");
}

TEST(profile_rules, spanish_phone_gets_the_country_prefix) {
  auto r = parse_profile_update(json{{"phone", "612-345-678"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.phone, "+34612345678");
}

TEST(profile_rules, invalid_phone_names_the_field_and_the_value) {
  auto r = parse_profile_update(json{{"phone", "call me"}});
  ASSERT_FALSE(r.ok());
  const auto* e = error_for(r.errors, "phone");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->code, "INVALID_PHONE");
  EXPECT_EQ(e->received, "call me");
}

TEST(profile_rules, null_phone_clears_it) {
  auto r = parse_profile_update(json{{"phone", nullptr}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.phone, "");
}

TEST(profile_rules, avatar_must_be_an_http_url) {
  EXPECT_TRUE(
      parse_profile_update(json{{"profile_image_url", "https://cdn.example.com/a.png"}}).ok());
  auto bad = parse_profile_update(json{{"avatar_url", "javascript:alert(1)"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(error_for(bad.errors, "avatar_url"), nullptr);
  auto too_long =
      parse_profile_update(json{{"avatar_url", "https://x.es/" + std::string(2100, 'a')}});
  EXPECT_FALSE(too_long.ok());
}

TEST(profile_rules, insurance_must_be_an_object) {
  auto ok = parse_profile_update(json{{"insuranceData", {{"company", "Adeslas"}}}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(json::parse(*ok.value.insurance_json)["company"], "Adeslas");
  auto bad = parse_profile_update(json{{"insuranceData", "Adeslas"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(error_for(bad.errors, "insuranceData")->code, "INVALID_TYPE");
}

TEST(profile_rules, professional_fields_are_checked_with_their_path) {
  auto r = parse_profile_update(json{{"professional",
                                      {{"experience_years", 120},
                                       {"consultationFee", 45.5},
                                       {"languages", {"es", "en", "es"}},
                                       {"timezone", "Mars/Olympus"}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(error_for(r.errors, "professional.experience_years")->code, "OUT_OF_RANGE");
  EXPECT_EQ(error_for(r.errors, "professional.timezone")->code, "INVALID_TIMEZONE");
  EXPECT_EQ(r.value.professional.consultation_fee_cents, 4550);
  EXPECT_EQ(r.value.professional.languages, (std::vector<std::string>{"es", "en"}));
}

TEST(profile_rules, coordinates_come_in_pairs) {
  auto r = parse_profile_update(json{{"professional", {{"latitude", 40.4}}}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(error_for(r.errors, "professional.longitude"), nullptr);
}

TEST(profile_rules, patient_birth_date_and_gender_are_checked) {
  auto ok = parse_profile_update(
      json{{"patient", {{"date_of_birth", "1985-02-28"}, {"gender", "male"}, {"country", "es"}}}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value.patient.country, "ES");
  auto bad = parse_profile_update(
      json{{"patient", {{"date_of_birth", "1985-02-30"}, {"gender", "robot"}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(error_for(bad.errors, "patient.date_of_birth"), nullptr);
  EXPECT_NE(error_for(bad.errors, "patient.gender"), nullptr);
  EXPECT_FALSE(parse_profile_update(json{{"patient", {{"date_of_birth", "2999-01-01"}}}}).ok());
}

TEST(profile_rules, body_must_be_an_object) {
  EXPECT_FALSE(parse_profile_update(json::array()).ok());
  EXPECT_FALSE(parse_preferences(json("x")).ok());
}

TEST(preference_rules, valid_values_are_accepted) {
  auto r = parse_preferences(json{{"language", "ca"},
                                  {"timezone", "Atlantic/Canary"},
                                  {"notificationChannels", {"push", "in_app"}},
                                  {"reminder_offsets_minutes", {1440, 30}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value.language, "ca");
  EXPECT_EQ(r.value.timezone, "Atlantic/Canary");
  EXPECT_EQ(r.value.notification_channels, (std::vector<std::string>{"push", "in_app"}));
  EXPECT_EQ(r.value.reminder_offsets_minutes, (std::vector<int64_t>{1440, 30}));
}

TEST(preference_rules, each_invalid_field_is_reported) {
  auto r = parse_preferences(json{{"language", "spanish"},
                                  {"timezone", "Mars/Olympus"},
                                  {"notification_channels", {"email", "pigeon"}},
                                  {"reminder_offsets_minutes", {0}}});
  ASSERT_EQ(r.errors.size(), 4U);
  EXPECT_EQ(error_for(r.errors, "language")->code, "INVALID_LANGUAGE");
  EXPECT_EQ(error_for(r.errors, "timezone")->code, "INVALID_TIMEZONE");
  EXPECT_EQ(error_for(r.errors, "notification_channels")->received, "pigeon");
  EXPECT_EQ(error_for(r.errors, "reminder_offsets_minutes")->code, "OUT_OF_RANGE");
}

TEST(preference_rules, time_zones_come_from_the_database) {
  EXPECT_TRUE(is_time_zone("Europe/Madrid"));
  EXPECT_FALSE(is_time_zone("Mars/Olympus"));
  EXPECT_FALSE(is_time_zone(""));
}

TEST(role_rules, only_patient_and_professional_are_selectable) {
  EXPECT_TRUE(check_selectable_role("patient").empty());
  EXPECT_TRUE(check_selectable_role("professional").empty());
  EXPECT_FALSE(check_selectable_role("admin").empty());
  EXPECT_FALSE(check_selectable_role("super_admin").empty());
}

TEST(validation_failure, carries_the_errors_in_the_details) {
  auto info = inspect_error(validation_failure({{"phone", "bad", "INVALID_PHONE", "12"}}));
  EXPECT_EQ(info.code, errc::invalid_argument);
  EXPECT_EQ(info.machine_code, "VALIDATION_ERROR");
  auto details = json::parse(info.details);
  EXPECT_EQ(details["validationErrors"][0]["field"], "phone");
  EXPECT_EQ(details["validationErrors"][0]["received"], "12");
}

TEST(clerk_payload, primary_email_and_phone_are_normalized) {
  json event{{"type", "user.updated"},
             {"data",
              {{"id", "user_1"},
               {"primary_email_address_id", "e2"},
               {"email_addresses",
                {{{"id", "e1"}, {"email_address", "x@old.com"}},
                 {{"id", "e2"}, {"email_address", " Eva@Mail.ES "}}}},
               {"primary_phone_number_id", "p1"},
               {"phone_numbers", {{{"id", "p1"}, {"phone_number", "not a phone"}}}},
               {"public_metadata", {{"role", "admin"}}}}}};
  auto parsed = parse_clerk_event(event.dump());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->type, "user.updated");
  EXPECT_EQ(parsed->user.id, "user_1");
  EXPECT_EQ(parsed->user.email, "Eva@mail.es");
  EXPECT_FALSE(parsed->user.phone);
  EXPECT_EQ(parsed->user.role, "");  // admin is never taken from Clerk metadata
  EXPECT_FALSE(parse_clerk_event("[1,2]"));
}

TEST(audit_rules, actions_become_dotted_keys) {
  EXPECT_EQ(persistence::audit_action_key("POST /api/users/select-role"),
            "post.api.users.select_role");
  EXPECT_EQ(persistence::audit_action_key("appointment.cancel"), "appointment.cancel");
  EXPECT_EQ(persistence::audit_action_key("read patient.history"), "read.patient.history");
  EXPECT_EQ(persistence::audit_action_key(""), "unknown");
}

TEST(audit_rules, outcomes_are_success_failure_or_denied) {
  EXPECT_EQ(persistence::audit_outcome("201"), "success");
  EXPECT_EQ(persistence::audit_outcome("403"), "denied");
  EXPECT_EQ(persistence::audit_outcome("500"), "failure");
  EXPECT_EQ(persistence::audit_outcome("error"), "failure");
  EXPECT_EQ(persistence::audit_outcome("denied"), "denied");
}

}  // namespace
}  // namespace mundoctor::actors::identity
