// Filters, sorts, distance, pagination, featured, the cache and availability.

#include <algorithm>

#include "tests/integration/http_search/search_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;
using ids = std::vector<std::string>;

constexpr double madrid_lat = 40.4168, madrid_lng = -3.7038;
constexpr double barcelona_lat = 41.3874, barcelona_lng = 2.1686;
constexpr double sevilla_lat = 37.3891, sevilla_lng = -5.9845;

std::string at(double lat, double lng) {
  return "lat=" + std::to_string(lat) + "&lng=" + std::to_string(lng);
}

TEST_F(search_test, each_filter_narrows_the_result) {
  pro_spec a;
  a.city = "Málaga";
  a.specialty = "pediatria";
  a.rating = 4.8;
  a.fee_cents = 4000;
  a.services = {{"Consulta", "{in_person,virtual}"}};
  auto pa = add_pro(a);
  pro_spec b;
  b.city = "Madrid";
  b.specialty = "pediatria";
  b.rating = 3.5;
  b.fee_cents = 9000;
  auto pb = add_pro(b);
  pro_spec c;
  c.city = "Malaga";
  c.specialty = "dermatologia";
  c.rating = 4.2;
  c.fee_cents = 6000;
  c.services = {{"Teleconsulta", "{virtual}"}};
  auto pc = add_pro(c);
  auto sorted = [](ids v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  auto search = [&](const std::string& query) {
    return sorted(search_ids("/api/professionals/search?" + query));
  };
  EXPECT_EQ(search("city=malaga"), sorted({pa, pc}));
  EXPECT_EQ(search("city=M%C3%81LAGA"), sorted({pa, pc}));
  EXPECT_EQ(search("specialty_id=pediatria"), sorted({pa, pb}));
  auto derm = query_value("SELECT id::text FROM specialties WHERE slug = 'dermatologia'");
  EXPECT_EQ(search("specialty_id=" + derm), ids{pc});
  EXPECT_EQ(search("rating_min=4.2"), sorted({pa, pc}));
  EXPECT_EQ(search("consultation_fee_max=60"), sorted({pa, pc}));
  EXPECT_EQ(search("consultation_fee_max=59.99"), ids{pa});
  EXPECT_EQ(search("modality=virtual"), sorted({pa, pc}));
  EXPECT_EQ(search("modality=in_person"), sorted({pa, pb}));
  EXPECT_EQ(search("city=malaga&specialty_id=pediatria&rating_min=4.5"), ids{pa});
}

TEST_F(search_test, distance_orders_and_limits_by_known_coordinates) {
  pro_spec m;
  m.lat = madrid_lat;
  m.lng = madrid_lng;
  auto pm = add_pro(m);
  pro_spec b;
  b.lat = barcelona_lat;
  b.lng = barcelona_lng;
  auto pb = add_pro(b);
  pro_spec s;
  s.lat = sevilla_lat;
  s.lng = sevilla_lng;
  auto ps = add_pro(s);
  add_pro({});  // no coordinates: last by distance, outside every radius
  auto from_madrid =
      get_data("/api/professionals/search?sort_by=distance&" + at(madrid_lat, madrid_lng));
  const auto& items = from_madrid["professionals"];
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0]["id"], pm);
  EXPECT_EQ(items[1]["id"], ps);  // Madrid-Sevilla about 390 km
  EXPECT_EQ(items[2]["id"], pb);  // Madrid-Barcelona about 505 km
  EXPECT_TRUE(items[3]["distance_km"].is_null());
  EXPECT_NEAR(items[1]["distance_km"].get<double>(), 390, 10);
  EXPECT_NEAR(items[2]["distance_km"].get<double>(), 505, 10);
  EXPECT_EQ(search_ids("/api/professionals/search?sort_by=distance&" +
                       at(barcelona_lat, barcelona_lng) + "&radius_km=600"),
            (ids{pb, pm}));
  EXPECT_EQ(search_ids("/api/professionals/search?sort_by=distance&sort_order=desc&" +
                       at(sevilla_lat, sevilla_lng) + "&radius_km=2000"),
            (ids{pb, pm, ps}));
  EXPECT_EQ(
      search_ids("/api/professionals/search?" + at(madrid_lat, madrid_lng) + "&radius_km=100"),
      ids{pm});
}

TEST_F(search_test, every_sort_orders_as_asked) {
  pro_spec a;
  a.rating = 4.9;
  a.fee_cents = 8000;
  a.experience = 5;
  auto pa = add_pro(a);
  pro_spec b;
  b.rating = 3.1;
  b.fee_cents = 3000;
  b.experience = 30;
  auto pb = add_pro(b);
  pro_spec c;
  c.rating = 4.1;
  c.fee_cents = 5000;
  c.experience = 15;
  auto pc = add_pro(c);
  const std::string s = "/api/professionals/search?sort_by=";
  EXPECT_EQ(search_ids("/api/professionals/search"), (ids{pa, pc, pb}));  // rating by default
  EXPECT_EQ(search_ids(s + "rating&sort_order=asc"), (ids{pb, pc, pa}));
  EXPECT_EQ(search_ids(s + "consultation_fee"), (ids{pb, pc, pa}));
  EXPECT_EQ(search_ids(s + "consultation_fee&sort_order=desc"), (ids{pa, pc, pb}));
  EXPECT_EQ(search_ids(s + "experience_years"), (ids{pb, pc, pa}));
  EXPECT_EQ(search_ids(s + "experience_years&sort_order=asc"), (ids{pa, pc, pb}));
}

TEST_F(search_test, relevance_puts_the_closer_match_first) {
  pro_spec bio_only;
  bio_only.bio = "Colabora con traumatologia deportiva.";
  bio_only.rating = 5.0;
  auto pb = add_pro(bio_only);
  pro_spec specialist;
  specialist.specialty = "traumatologia";
  specialist.bio = "Traumatología y cirugía ortopédica; traumatología infantil.";
  specialist.rating = 3.0;
  auto ps = add_pro(specialist);
  EXPECT_EQ(search_ids("/api/professionals/search?q=traumatologia"), (ids{ps, pb}));
  EXPECT_EQ(search_ids("/api/professionals/search?q=traumatologia&sort_by=rating"), (ids{pb, ps}));
}

TEST_F(search_test, pagination_counts_every_match) {
  for (int i = 0; i < 5; ++i) {
    pro_spec p;
    p.rating = 4.0 + i * 0.1;
    add_pro(p);
  }
  add_pro([] {
    pro_spec hidden;
    hidden.verified = false;
    return hidden;
  }());
  auto first = get_data("/api/professionals/search?limit=2");
  EXPECT_EQ(first["professionals"].size(), 2u);
  EXPECT_EQ(first["pagination"]["total"], 5);
  EXPECT_EQ(first["pagination"]["totalPages"], 3);
  EXPECT_EQ(first["pagination"]["hasNext"], true);
  EXPECT_EQ(first["pagination"]["hasPrev"], false);
  auto last = get_data("/api/professionals/search?limit=2&page=3");
  EXPECT_EQ(last["professionals"].size(), 1u);
  EXPECT_EQ(last["pagination"]["hasNext"], false);
  auto beyond = call("", "GET", "/api/professionals/search?limit=2&page=4");
  ASSERT_EQ(beyond.status, 200u);
  EXPECT_TRUE(beyond.json["data"]["professionals"].empty());
  EXPECT_EQ(beyond.json["metadata"]["pagination"]["total"], 5);
  ids all;
  for (int page = 1; page <= 3; ++page)
    for (const auto& id :
         search_ids("/api/professionals/search?limit=2&page=" + std::to_string(page)))
      all.push_back(id);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::unique(all.begin(), all.end()), all.end()) << "a professional on two pages";
  EXPECT_EQ(all.size(), 5u);
}

TEST_F(search_test, featured_needs_four_stars_and_five_reviews_best_first) {
  pro_spec good;
  good.rating = 4.5;
  good.reviews = 20;
  auto pg = add_pro(good);
  pro_spec best;
  best.rating = 4.9;
  best.reviews = 5;
  auto pb = add_pro(best);
  pro_spec edge;
  edge.rating = 4.0;
  edge.reviews = 6;
  auto pe = add_pro(edge);
  pro_spec few;
  few.rating = 5.0;
  few.reviews = 4;
  add_pro(few);
  pro_spec low;
  low.rating = 3.9;
  low.reviews = 200;
  add_pro(low);
  pro_spec hidden;
  hidden.rating = 5.0;
  hidden.reviews = 50;
  hidden.verified = false;
  add_pro(hidden);
  EXPECT_EQ(search_ids("/api/patients/search/featured"), (ids{pb, pg, pe}));
}

TEST_F(search_test, reads_are_cached_until_a_service_changes) {
  auto pro = add_pro({});
  EXPECT_TRUE(search_ids("/api/professionals/search?q=acupuntura").empty());
  // A change behind the API's back is not seen while the cached entry lives...
  exec(
      "INSERT INTO services (professional_id, name, duration_minutes) VALUES ($1::uuid,"
      " 'Acupuntura china', 30)",
      pro);
  EXPECT_TRUE(search_ids("/api/professionals/search?q=acupuntura").empty());
  // ...and any service change through the API drops every cached read.
  auto created = call(user_of(pro), "POST", "/api/services",
                      {{"name", "Osteopatía"}, {"duration_minutes", 45}, {"price_cents", 4000}});
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(search_ids("/api/professionals/search?q=acupuntura"), ids{pro});
  auto acupuncture = query_value("SELECT id::text FROM services WHERE name = 'Acupuntura china'");
  auto deleted = call(user_of(pro), "DELETE", "/api/services/" + acupuncture);
  ASSERT_EQ(deleted.status, 200u) << deleted.body;
  EXPECT_TRUE(search_ids("/api/professionals/search?q=acupuntura").empty());
  EXPECT_EQ(search_ids("/api/professionals/search?q=osteopatia"), ids{pro});
}

TEST_F(search_test, a_profile_change_through_the_api_drops_cached_reads) {
  auto pro = add_pro({});
  EXPECT_TRUE(search_ids("/api/professionals/search?city=Cuenca").empty());
  auto moved =
      call(user_of(pro), "PUT", "/api/users/profile", {{"professional", {{"city", "Cuenca"}}}});
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(search_ids("/api/professionals/search?city=Cuenca"), ids{pro});
}

TEST_F(search_test, available_on_asks_the_calendars) {
  auto day = query_value("SELECT ((now() AT TIME ZONE 'Europe/Madrid')::date + 3)::text");
  auto free_pro = add_pro({});
  auto day_off = add_pro({});
  exec(
      "INSERT INTO schedule_exceptions (professional_id, type, starts_on, ends_on) VALUES"
      " ($1::uuid, 'day_off', (now() AT TIME ZONE 'Europe/Madrid')::date + 3,"
      " (now() AT TIME ZONE 'Europe/Madrid')::date + 3)",
      day_off);
  auto booked = add_pro({});
  // That day only 08:00-08:30, and that half hour is taken.
  exec(
      "INSERT INTO schedule_exceptions (professional_id, type, starts_on, ends_on, start_time,"
      " end_time) VALUES ($1::uuid, 'special_hours', (now() AT TIME ZONE 'Europe/Madrid')::date"
      " + 3, (now() AT TIME ZONE 'Europe/Madrid')::date + 3, '08:00', '08:30')",
      booked);
  exec("INSERT INTO users (id, role, status) VALUES ('user_search_patient', 'patient', 'active')");
  exec(
      "INSERT INTO appointments (professional_id, patient_id, service_id, starts_at, ends_at,"
      " status) SELECT $1::uuid, 'user_search_patient', s.id,"
      " (((now() AT TIME ZONE 'Europe/Madrid')::date + 3) + TIME '08:00') AT TIME ZONE"
      " 'Europe/Madrid', (((now() AT TIME ZONE 'Europe/Madrid')::date + 3) + TIME '08:30') AT"
      " TIME ZONE 'Europe/Madrid', 'confirmed' FROM services s WHERE s.professional_id ="
      " $1::uuid",
      booked);
  pro_spec no_schedule;
  no_schedule.schedule = false;
  add_pro(no_schedule);
  auto data = get_data("/api/professionals/search?available_on=" + day);
  ASSERT_EQ(data["professionals"].size(), 1u) << data.dump();
  EXPECT_EQ(data["professionals"][0]["id"], free_pro);
  EXPECT_TRUE(data["professionals"][0]["next_available"].is_string());
  EXPECT_EQ(data["pagination"]["total"], 1);
  // Every one of them is free on the next day.
  auto next = query_value("SELECT ((now() AT TIME ZONE 'Europe/Madrid')::date + 4)::text");
  EXPECT_EQ(get_data("/api/professionals/search?available_on=" + next)["pagination"]["total"], 3);
}

TEST_F(search_test, next_available_sorts_by_the_first_free_slot) {
  auto later = add_pro({});
  auto sooner = add_pro({});
  pro_spec none;
  none.schedule = false;
  auto never = add_pro(none);
  // `later` is away for the next five days.
  exec(
      "INSERT INTO schedule_exceptions (professional_id, type, starts_on, ends_on) VALUES"
      " ($1::uuid, 'vacation', (now() AT TIME ZONE 'Europe/Madrid')::date,"
      " (now() AT TIME ZONE 'Europe/Madrid')::date + 4)",
      later);
  auto data = get_data("/api/professionals/search?sort_by=next_available");
  const auto& items = data["professionals"];
  ASSERT_EQ(items.size(), 3u) << data.dump();
  EXPECT_EQ(items[0]["id"], sooner);
  EXPECT_EQ(items[1]["id"], later);
  EXPECT_EQ(items[2]["id"], never);
  EXPECT_TRUE(items[2]["next_available"].is_null());
  EXPECT_LT(items[0]["next_available"].get<std::string>(),
            items[1]["next_available"].get<std::string>());
}

}  // namespace
}  // namespace mundoctor::testing
