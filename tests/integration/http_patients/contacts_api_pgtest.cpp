// Favourite professionals and emergency contacts: ownership, idempotency, pagination and
// validation.

#include "tests/integration/http_patients/patients_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

using patient_lists_api = patients_test;

TEST_F(patient_lists_api, favourites_are_added_once_listed_with_a_summary_and_removed) {
  auto patient = make_patient();
  auto pro = make_professional();
  name_user(pro, "Carlos", "Núñez");
  auto by_profile =
      call(patient, "POST", "/api/patients/favorite-professionals/" + profile_of(pro));
  ASSERT_EQ(by_profile.status, 201u) << by_profile.body;
  EXPECT_EQ(by_profile.json["data"]["id"], profile_of(pro));
  EXPECT_EQ(by_profile.json["data"]["user_id"], pro);
  EXPECT_EQ(by_profile.json["data"]["name"], "Carlos Núñez");
  auto by_user = call(patient, "POST", "/api/patients/favorite-professionals/" + pro);
  ASSERT_EQ(by_user.status, 200u) << "adding twice is idempotent: " << by_user.body;
  EXPECT_EQ(by_user.json["data"], by_profile.json["data"]);

  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(
        call(patient, "POST", "/api/patients/favorite-professionals/" + make_professional()).status,
        201u);
  auto page = call(patient, "GET", "/api/patients/favorite-professionals?limit=2");
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_EQ(page.json["data"].size(), 2u);
  EXPECT_EQ(page.json["metadata"]["pagination"]["total"], 3);
  EXPECT_EQ(page.json["metadata"]["pagination"]["totalPages"], 2);
  for (const char* key : {"id", "user_id", "name", "specialty", "city", "rating", "avatar_url"})
    EXPECT_TRUE(page.json["data"][0].contains(key)) << key;

  expect_error(call(patient, "POST", "/api/patients/favorite-professionals/user_nobody"), 404,
               "PROFESSIONAL_NOT_FOUND");
  auto other = make_patient();
  expect_error(call(other, "DELETE", "/api/patients/favorite-professionals/" + pro), 404,
               "FAVORITE_NOT_FOUND");
  auto removed = call(patient, "DELETE", "/api/patients/favorite-professionals/" + pro);
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_EQ(call(patient, "GET", "/api/patients/favorite-professionals")
                .json["metadata"]["pagination"]["total"],
            2);
}

TEST_F(patient_lists_api, emergency_contacts_belong_to_their_patient) {
  auto patient = make_patient();
  auto created = call(patient, "POST", "/api/patients/emergency-contacts",
                      {{"name", "Lucía Pérez"},
                       {"relationship", "hermana"},
                       {"phone", "699 11 22 33"},
                       {"is_primary", true}});
  ASSERT_EQ(created.status, 201u) << created.body;
  auto id = created.json["data"]["id"].get<std::string>();
  EXPECT_EQ(created.json["data"]["phone"], "+34699112233");
  EXPECT_EQ(created.json["data"]["is_primary"], true);

  auto second = call(patient, "POST", "/api/patients/emergency-contacts",
                     {{"name", "Pedro"}, {"phone", "+44 20 7946 0958"}, {"is_primary", true}});
  ASSERT_EQ(second.status, 201u) << second.body;
  auto list = call(patient, "GET", "/api/patients/emergency-contacts");
  ASSERT_EQ(list.status, 200u) << list.body;
  ASSERT_EQ(list.json["data"].size(), 2u);
  EXPECT_EQ(list.json["data"][0]["name"], "Pedro") << "the primary contact comes first";
  EXPECT_EQ(list.json["data"][1]["is_primary"], false) << "only one primary contact";
  EXPECT_EQ(list.json["metadata"]["pagination"]["total"], 2);

  auto other = make_patient();
  expect_error(call(other, "PUT", "/api/patients/emergency-contacts/" + id, {{"name", "X"}}), 404,
               "CONTACT_NOT_FOUND");
  expect_error(call(other, "DELETE", "/api/patients/emergency-contacts/" + id), 404,
               "CONTACT_NOT_FOUND");
  expect_error(call(patient, "DELETE", "/api/patients/emergency-contacts/not-a-uuid"), 404,
               "CONTACT_NOT_FOUND");
  EXPECT_EQ(call(other, "GET", "/api/patients/emergency-contacts")
                .json["metadata"]["pagination"]["total"],
            0);

  auto updated = call(patient, "PUT", "/api/patients/emergency-contacts/" + id,
                      {{"relationship", nullptr}, {"email", "lucia@example.es"}});
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(updated.json["data"]["name"], "Lucía Pérez");
  EXPECT_TRUE(updated.json["data"]["relationship"].is_null());
  EXPECT_EQ(updated.json["data"]["email"], "lucia@example.es");

  ASSERT_EQ(call(patient, "DELETE", "/api/patients/emergency-contacts/" + id).status, 200u);
  expect_error(call(patient, "DELETE", "/api/patients/emergency-contacts/" + id), 404,
               "CONTACT_NOT_FOUND");
}

TEST_F(patient_lists_api, contact_validation_lists_every_bad_field) {
  auto patient = make_patient();
  auto bad = call(patient, "POST", "/api/patients/emergency-contacts",
                  {{"phone", "12"}, {"email", "nope"}});
  expect_error(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(bad), (std::vector<std::string>{"name", "phone", "email"}));
  EXPECT_EQ(bad.json["metadata"]["validationErrors"][1]["code"], "INVALID_PHONE");
  EXPECT_EQ(bad.json["metadata"]["validationErrors"][1]["received"], "12");
}

}  // namespace
}  // namespace mundoctor::testing
