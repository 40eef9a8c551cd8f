// Validation of the patient side's bodies: the patient profile (shared rules with
// PUT /api/users/profile plus the medical part), emergency contacts and medical records.

#include "http/routes/patient_requests.hpp"

#include <gtest/gtest.h>

#include "actors/identity/profile_rules.hpp"

namespace mundoctor::http {
namespace {

using nlohmann::json;

std::vector<std::string> fields(const json& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.value("field", std::string{}));
  return out;
}

const json* entry(const json& errors, const std::string& field) {
  for (const auto& e : errors)
    if (e.value("field", std::string{}) == field) return &e;
  return nullptr;
}

TEST(patient_profile_body, reads_patient_fields_at_the_top_level_and_nested) {
  auto r = parse_patient_profile(json{{"date_of_birth", "1985-04-12"},
                                      {"gender", "female"},
                                      {"phone", "612 345 678"},
                                      {"patient", {{"city", "Sevilla"}, {"country", "pt"}}}});
  ASSERT_TRUE(r.errors.empty()) << r.errors.dump();
  EXPECT_EQ(r.profile.patient.date_of_birth, "1985-04-12");
  EXPECT_EQ(r.profile.patient.gender, "female");
  EXPECT_EQ(r.profile.patient.city, "Sevilla");
  EXPECT_EQ(r.profile.patient.country, "PT");
  EXPECT_EQ(r.profile.phone, "+34612345678") << "the user profile's phone rule applies";
  EXPECT_TRUE(r.medical.empty());
}

TEST(patient_profile_body, the_top_level_wins_over_the_nested_block) {
  auto r = parse_patient_profile(json{{"city", "Madrid"}, {"patient", {{"city", "Sevilla"}}}});
  ASSERT_TRUE(r.errors.empty()) << r.errors.dump();
  EXPECT_EQ(r.profile.patient.city, "Madrid");
}

TEST(patient_profile_body, medical_fields_are_texts_or_lists_kept_as_json) {
  auto r = parse_patient_profile(json{{"blood_type", "ab+"},
                                      {"allergies", {"Penicilina", " Polen "}},
                                      {"conditions", "Asma leve"},
                                      {"medications", nullptr}});
  ASSERT_TRUE(r.errors.empty()) << r.errors.dump();
  EXPECT_EQ(r.medical.blood_type, "AB+");
  EXPECT_EQ(r.medical.allergies, R"(["Penicilina","Polen"])");
  EXPECT_EQ(r.medical.conditions, R"("Asma leve")");
  EXPECT_EQ(r.medical.medications, "") << "null clears";
}

TEST(patient_profile_body, an_empty_list_or_text_clears) {
  auto r = parse_patient_profile(json{{"allergies", json::array()}, {"conditions", "  "}});
  ASSERT_TRUE(r.errors.empty()) << r.errors.dump();
  EXPECT_EQ(r.medical.allergies, "");
  EXPECT_EQ(r.medical.conditions, "");
  EXPECT_FALSE(r.medical.medications.has_value());
}

TEST(patient_profile_body, reports_one_entry_per_bad_field) {
  auto r = parse_patient_profile(json{{"date_of_birth", "2999-01-01"},
                                      {"gender", "robot"},
                                      {"blood_type", "C+"},
                                      {"allergies", {"ok", 3}},
                                      {"conditions", std::string(5001, 'x')},
                                      {"patient", {{"postal_code", 28001}}}});
  EXPECT_EQ(fields(r.errors),
            (std::vector<std::string>{"patient.postal_code", "date_of_birth", "gender",
                                      "blood_type", "allergies", "conditions"}));
  const auto* blood = entry(r.errors, "blood_type");
  ASSERT_NE(blood, nullptr);
  EXPECT_EQ((*blood)["code"], "INVALID_VALUE");
  EXPECT_EQ((*blood)["received"], "C+");
  EXPECT_EQ((*entry(r.errors, "conditions"))["code"], "TOO_LONG");
}

TEST(patient_profile_body, too_many_list_items_are_refused) {
  auto r = parse_patient_profile(json{{"medications", json(std::vector<std::string>(51, "x"))}});
  ASSERT_EQ(fields(r.errors), std::vector<std::string>{"medications"});
  EXPECT_EQ(r.errors[0]["code"], "TOO_MANY_ITEMS");
}

TEST(patient_profile_body, a_body_that_is_not_an_object_is_refused) {
  EXPECT_EQ(fields(parse_patient_profile(json::array()).errors), std::vector<std::string>{"body"});
}

TEST(patient_fields, share_the_user_profile_rules_with_a_prefix) {
  auto r = actors::identity::parse_patient_fields(json{{"gender", "x"}}, "patient.");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].field, "patient.gender");
  auto same = actors::identity::parse_profile_update(json{{"patient", {{"gender", "x"}}}});
  ASSERT_EQ(same.errors.size(), 1u);
  EXPECT_EQ(same.errors[0].code, r.errors[0].code);
}

TEST(contact_body, creating_needs_a_name_and_a_phone) {
  auto r = parse_contact(json::object(), true);
  EXPECT_EQ(fields(r.errors), (std::vector<std::string>{"name", "phone"}));
  EXPECT_EQ(r.errors[0]["code"], "REQUIRED");
  EXPECT_TRUE(parse_contact(json::object(), false).errors.empty()) << "updates are partial";
}

TEST(contact_body, the_phone_is_normalized_to_e164_and_the_email_checked) {
  auto r = parse_contact(json{{"name", "Lucía Pérez"},
                              {"phone", "0034 699-11-22-33"},
                              {"relationship", "hermana"},
                              {"email", "Lucia@Example.ES"},
                              {"is_primary", true}},
                         true);
  ASSERT_TRUE(r.errors.empty()) << r.errors.dump();
  EXPECT_EQ(r.fields.phone, "+34699112233");
  EXPECT_EQ(r.fields.email, "Lucia@example.es");
  EXPECT_EQ(r.fields.is_primary, true);
  auto bad = parse_contact(
      json{{"name", ""}, {"phone", "12"}, {"email", "nope"}, {"is_primary", "yes"}}, false);
  EXPECT_EQ(fields(bad.errors), (std::vector<std::string>{"name", "phone", "email", "is_primary"}));
  EXPECT_EQ((*entry(bad.errors, "phone"))["code"], "INVALID_PHONE");
}

TEST(medical_record_body, keeps_texts_and_prescriptions) {
  auto r = parse_medical_record(json{
      {"diagnosis", " Faringitis aguda "},
      {"treatment", "Reposo"},
      {"prescriptions", {"Ibuprofeno 600 mg", {{"name", "Amoxicilina"}, {"dosage", "500 mg"}}}}});
  ASSERT_TRUE(r.errors.empty()) << r.errors.dump();
  EXPECT_EQ(r.input.diagnosis, "Faringitis aguda");
  EXPECT_EQ(r.input.treatment, "Reposo");
  EXPECT_EQ(json::parse(r.input.prescriptions_json).size(), 2u);
}

TEST(medical_record_body, must_say_something_and_refuses_bad_items) {
  auto empty = parse_medical_record(json{{"diagnosis", ""}});
  EXPECT_EQ(fields(empty.errors), std::vector<std::string>{"diagnosis"});
  auto bad = parse_medical_record(json{{"diagnosis", 7}, {"prescriptions", {{{"dose", 1}}}}});
  EXPECT_EQ(fields(bad.errors), (std::vector<std::string>{"diagnosis", "prescriptions"}));
  auto not_array = parse_medical_record(json{{"treatment", "x"}, {"prescriptions", "x"}});
  EXPECT_EQ(fields(not_array.errors), std::vector<std::string>{"prescriptions"});
}

}  // namespace
}  // namespace mundoctor::http
