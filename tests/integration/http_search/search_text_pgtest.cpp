// Free text (accents, case, typos, services), bookability, validation and the aliases.

#include <algorithm>

#include "tests/integration/http_search/search_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_F(search_test, text_is_accent_and_case_insensitive) {
  pro_spec trauma;
  trauma.specialty = "traumatologia";
  auto t = add_pro(trauma);
  pro_spec pedi;
  pedi.specialty = "pediatria";
  auto p = add_pro(pedi);
  for (const auto* q : {"traumatologia", "TRAUMATOLOG%C3%8DA", "Traumatolog%C3%ADa"}) {
    auto ids = search_ids(std::string{"/api/professionals/search?q="} + q);
    EXPECT_TRUE(contains(ids, t)) << q;
    EXPECT_FALSE(contains(ids, p)) << q;
  }
}

TEST_F(search_test, a_typo_still_finds_the_specialty) {
  pro_spec trauma;
  trauma.specialty = "traumatologia";
  auto t = add_pro(trauma);
  pro_spec derm;
  derm.specialty = "dermatologia";
  auto d = add_pro(derm);
  auto ids = search_ids("/api/professionals/search?q=traumatologa");
  EXPECT_TRUE(contains(ids, t));
  EXPECT_FALSE(contains(ids, d));
}

TEST_F(search_test, typos_in_names_and_specialties_are_corrected_word_by_word) {
  pro_spec a;
  a.first_name = "Begoña";
  a.last_name = "Iturriaga";
  a.specialty = "dermatologia";
  auto named = add_pro(a);
  pro_spec b;
  b.last_name = "Iturriaga";
  b.specialty = "pediatria";
  auto other = add_pro(b);
  // Misspelt surname and a masculine form of the specialty: both words are corrected, and
  // both must match (the pediatrician with the same surname is not a dermatologist).
  EXPECT_EQ(search_ids("/api/professionals/search?q=iturraga%20dermatologo"),
            std::vector<std::string>{named});
  auto both = search_ids("/api/professionals/search?q=ituriaga");
  EXPECT_TRUE(contains(both, named));
  EXPECT_TRUE(contains(both, other));
  // Stop words stay stop words: "con" does not turn into a required "consulta".
  EXPECT_EQ(search_ids("/api/professionals/search?q=iturraga%20con%20dermatologo"),
            std::vector<std::string>{named});
  // A word nothing resembles finds nothing rather than everything.
  EXPECT_TRUE(search_ids("/api/professionals/search?q=xqzwv").empty());
}

TEST_F(search_test, text_covers_name_bio_and_services) {
  pro_spec a;
  a.first_name = "Begoña";
  a.last_name = "Iturriaga";
  auto by_name = add_pro(a);
  pro_spec b;
  b.bio = "Experta en lactancia materna.";
  auto by_bio = add_pro(b);
  pro_spec c;
  c.services = {{"Acupuntura", "{in_person}"}};
  auto by_service = add_pro(c);
  EXPECT_EQ(search_ids("/api/professionals/search?q=begona%20iturriaga"),
            std::vector<std::string>{by_name});
  EXPECT_EQ(search_ids("/api/professionals/search?q=lactancia"), std::vector<std::string>{by_bio});
  EXPECT_EQ(search_ids("/api/professionals/search?q=acupuntura"),
            std::vector<std::string>{by_service});
}

TEST_F(search_test, only_bookable_professionals_are_returned) {
  auto ok = add_pro({});
  pro_spec unverified;
  unverified.verified = false;
  auto u = add_pro(unverified);
  pro_spec suspended;
  suspended.status = "suspended";
  auto s = add_pro(suspended);
  auto lapsed = add_pro({});
  exec(
      "INSERT INTO subscriptions (user_id, plan_id, status) SELECT $1, id, 'cancelled'"
      " FROM plans WHERE code = 'basic'",
      user_of(lapsed));
  auto data = get_data("/api/professionals/search");
  ASSERT_EQ(data["professionals"].size(), 1u) << data.dump();
  EXPECT_EQ(data["professionals"][0]["id"], ok);
  EXPECT_EQ(data["pagination"]["total"], 1);
  for (const auto& hidden : {u, s, lapsed})
    EXPECT_FALSE(contains(search_ids("/api/professionals/search?q=garcia"), hidden));
}

TEST_F(search_test, items_have_the_fields_of_the_contract) {
  pro_spec spec;
  spec.specialty = "cardiologia";
  spec.city = "Sevilla";
  spec.lat = 37.3891;
  spec.lng = -5.9845;
  spec.fee_cents = 6550;
  spec.services = {{"Ecocardiograma", "{in_person}"}, {"Consulta", "{in_person,virtual}"}};
  auto id = add_pro(spec);
  auto data = get_data("/api/professionals/search?lat=37.3891&lng=-5.9845");
  ASSERT_EQ(data["professionals"].size(), 1u);
  auto item = data["professionals"][0];
  EXPECT_EQ(item["id"], id);
  EXPECT_EQ(item["user_id"], user_of(id));
  EXPECT_EQ(item["name"], "Ana García");
  EXPECT_EQ(item["specialty"]["name"], "Cardiología");
  EXPECT_EQ(item["specialty_name"], "Cardiología");
  EXPECT_EQ(item["city"], "Sevilla");
  EXPECT_DOUBLE_EQ(item["rating"].get<double>(), 4.0);
  EXPECT_EQ(item["total_reviews"], 10);
  EXPECT_DOUBLE_EQ(item["consultation_fee"].get<double>(), 65.5);
  EXPECT_EQ(item["services"], (json{"Consulta", "Ecocardiograma"}));
  EXPECT_EQ(item["about"], "Consulta privada.");
  EXPECT_EQ(item["verified"], true);
  EXPECT_EQ(item["experience_years"], 10);
  EXPECT_NEAR(item["distance_km"].get<double>(), 0.0, 0.01);
  for (const auto* key : {"avatar_url", "latitude", "longitude"})
    EXPECT_TRUE(item.contains(key)) << key;
}

TEST_F(search_test, bad_parameters_are_422_with_one_entry_each) {
  auto r = call("", "GET",
                "/api/professionals/search?sort_by=price&rating_min=7&lat=40.4&modality=fax&"
                "available_on=2026-02-30");
  expect_error(r, 422, "VALIDATION_ERROR");
  std::vector<std::string> fields;
  for (const auto& e : r.json["metadata"]["validationErrors"])
    fields.push_back(e.value("field", std::string{}));
  for (const auto* f : {"sort_by", "rating_min", "lng", "modality", "available_on"})
    EXPECT_TRUE(contains(fields, f)) << f << " in " << r.body;
  expect_error(call("", "GET", "/api/professionals/search?sort_by=distance"), 422,
               "VALIDATION_ERROR");
  expect_error(call("", "GET", "/api/patients/search/nearby?lat=40.4"), 422, "VALIDATION_ERROR");
  expect_error(call("", "GET", "/api/professionals/search?page=zero"), 400, "BAD_REQUEST");
}

TEST_F(search_test, aliases_answer_like_the_search) {
  pro_spec trauma;
  trauma.specialty = "traumatologia";
  trauma.lat = 40.4168;
  trauma.lng = -3.7038;
  auto t = add_pro(trauma);
  pro_spec other;
  other.lat = 41.3874;
  other.lng = 2.1686;
  auto o = add_pro(other);
  EXPECT_EQ(search_ids("/api/patients/search/professionals?q=traumatologia"),
            std::vector<std::string>{t});
  EXPECT_EQ(search_ids("/api/patients/search/specialty/traumatologia"),
            std::vector<std::string>{t});
  auto spec_id = query_value("SELECT id::text FROM specialties WHERE slug = 'traumatologia'");
  EXPECT_EQ(search_ids("/api/patients/search/specialty/" + spec_id), std::vector<std::string>{t});
  EXPECT_EQ(search_ids("/api/patients/search/nearby?lat=41.3874&lng=2.1686&radius_km=1000"),
            (std::vector<std::string>{o, t}));
  auto specialties = get_data("/api/patients/search/specialties");
  ASSERT_TRUE(specialties.is_array()) << specialties.dump();
  int64_t trauma_count = -1;
  for (const auto& s : specialties)
    if (s.value("id", std::string{}) == spec_id) trauma_count = s.value("professionals_count", -2);
  EXPECT_EQ(trauma_count, 1);
}

}  // namespace
}  // namespace mundoctor::testing
