// GET|PUT /api/patients/profile: the shared profile rules, the medical part, and encryption at
// rest of the medical free text.

#include <pqxx/pqxx>

#include "persistence/crypto/data_cipher.hpp"
#include "tests/integration/http_patients/patients_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

using patient_profile_api = patients_test;

std::string from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

TEST_F(patient_profile_api, a_patient_writes_and_reads_the_profile_with_its_medical_part) {
  auto patient = make_patient();
  auto put = call(patient, "PUT", "/api/patients/profile",
                  {{"first_name", "Marta"},
                   {"phone", "612 345 678"},
                   {"insuranceData", {{"company", "Sanitas"}, {"policy", "A-123"}}},
                   {"date_of_birth", "1985-04-12"},
                   {"gender", "female"},
                   {"address", "Calle Mayor 1"},
                   {"blood_type", "0+"}});
  expect_error(put, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(put), std::vector<std::string>{"blood_type"});

  put = call(patient, "PUT", "/api/patients/profile",
             {{"first_name", "Marta"},
              {"phone", "612 345 678"},
              {"insuranceData", {{"company", "Sanitas"}, {"policy", "A-123"}}},
              {"date_of_birth", "1985-04-12"},
              {"gender", "female"},
              {"address", "Calle Mayor 1"},
              {"blood_type", "O+"},
              {"allergies", {"Penicilina", "Ácaros"}},
              {"conditions", "Asma leve desde la infancia"},
              {"patient", {{"city", "Sevilla"}}}});
  ASSERT_EQ(put.status, 200u) << put.body;
  auto got = call(patient, "GET", "/api/patients/profile");
  ASSERT_EQ(got.status, 200u) << got.body;
  EXPECT_EQ(got.json["data"], put.json["data"]) << "PUT answers the profile GET gives";
  const auto& d = got.json["data"];
  EXPECT_EQ(d["first_name"], "Marta");
  EXPECT_EQ(d["phone"], "+34612345678");
  EXPECT_EQ(d["insuranceData"]["company"], "Sanitas");
  EXPECT_EQ(d["patient"]["date_of_birth"], "1985-04-12");
  EXPECT_EQ(d["patient"]["gender"], "female");
  EXPECT_EQ(d["patient"]["address"], "Calle Mayor 1");
  EXPECT_EQ(d["patient"]["city"], "Sevilla");
  EXPECT_EQ(d["patient"]["blood_type"], "O+");
  EXPECT_EQ(d["patient"]["allergies"], json({"Penicilina", "Ácaros"}));
  EXPECT_EQ(d["patient"]["conditions"], "Asma leve desde la infancia");
  EXPECT_TRUE(d["patient"]["medications"].is_null());
  EXPECT_FALSE(d["patient"].contains("allergies_ciphertext"));

  auto users_view = call(patient, "GET", "/api/users/profile");
  ASSERT_EQ(users_view.status, 200u) << users_view.body;
  EXPECT_EQ(users_view.json["data"]["patient"]["gender"], "female")
      << "both endpoints share the same row";

  auto cleared = call(patient, "PUT", "/api/patients/profile", {{"conditions", nullptr}});
  ASSERT_EQ(cleared.status, 200u) << cleared.body;
  EXPECT_TRUE(cleared.json["data"]["patient"]["conditions"].is_null());
  EXPECT_EQ(cleared.json["data"]["patient"]["allergies"], json({"Penicilina", "Ácaros"}))
      << "fields not named are kept";
  EXPECT_EQ(query_value("SELECT count(*) FROM patient_profiles WHERE user_id = $1 AND "
                        "conditions_ciphertext IS NULL AND conditions_key_id IS NULL",
                        patient),
            "1");
}

TEST_F(patient_profile_api, medical_text_is_encrypted_at_rest_with_its_key_id) {
  auto patient = make_patient();
  auto put = call(patient, "PUT", "/api/patients/profile",
                  {{"allergies", "Penicilina y frutos secos"}, {"medications", {"Ventolin"}}});
  ASSERT_EQ(put.status, 200u) << put.body;
  auto hex = query_value(
      "SELECT encode(allergies_ciphertext, 'hex') FROM patient_profiles WHERE user_id = $1",
      patient);
  ASSERT_FALSE(hex.empty());
  auto raw = from_hex(hex);
  EXPECT_EQ(raw.find("Penicilina"), std::string::npos) << "the plaintext is not in the column";
  EXPECT_EQ(raw.find("frutos"), std::string::npos);
  EXPECT_EQ(
      query_value("SELECT allergies_key_id FROM patient_profiles WHERE user_id = $1", patient),
      "k1");
  EXPECT_EQ(count("SELECT count(*) FROM patient_profiles WHERE user_id = $1 AND "
                  "position(convert_to($2, 'UTF8') IN medications_ciphertext) > 0",
                  patient, "Ventolin"),
            0);
  // The column holds real AES-256-GCM ciphertext under the configured key.
  auto cipher = persistence::data_cipher::from_base64_key(test_settings("").data_key);
  ASSERT_TRUE(cipher);
  auto plain = cipher->decrypt(raw, "k1");
  ASSERT_TRUE(plain);
  EXPECT_EQ(nlohmann::json::parse(*plain), "Penicilina y frutos secos");
}

TEST_F(patient_profile_api, only_patients_use_it_and_bad_fields_are_listed) {
  auto pro = make_professional();
  expect_error(call(pro, "GET", "/api/patients/profile"), 403, "FORBIDDEN");
  auto patient = make_patient();
  auto bad = call(patient, "PUT", "/api/patients/profile",
                  {{"date_of_birth", "31/12/1990"},
                   {"phone", "abc"},
                   {"allergies", 42},
                   {"patient", {{"gender", "robot"}}}});
  expect_error(bad, 422, "VALIDATION_ERROR");
  auto fields = invalid_fields(bad);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"allergies", "date_of_birth", "patient.gender", "phone"}));
  auto entries = bad.json["metadata"]["validationErrors"];
  for (const auto& e : entries) {
    EXPECT_TRUE(e["message"].is_string());
    EXPECT_TRUE(e["code"].is_string());
  }
}

}  // namespace
}  // namespace mundoctor::testing
