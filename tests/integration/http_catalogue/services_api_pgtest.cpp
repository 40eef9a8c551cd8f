// The "Services" endpoints end to end.

#include "tests/integration/http_catalogue/catalogue_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

json consultation() {
  return {{"name", "Primera consulta de fisioterapia"},
          {"description", "Valoración y tratamiento"},
          {"category", "Fisioterapia"},
          {"duration_minutes", 45},
          {"price_cents", 4500},
          {"modalities", {"in_person", "virtual"}}};
}

using services_api = catalogue_test;

TEST_F(services_api, a_professional_creates_reads_updates_and_deletes_a_service) {
  auto pro = make_professional();
  auto created = call(pro, "POST", "/api/services", consultation());
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.json["success"], true);
  auto s = created.json["data"];
  auto id = s["id"].get<std::string>();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(s["professional_id"], profile_of(pro));
  EXPECT_EQ(s["name"], "Primera consulta de fisioterapia");
  EXPECT_EQ(s["description"], "Valoración y tratamiento");
  EXPECT_EQ(s["category"], "Fisioterapia");
  EXPECT_EQ(s["duration_minutes"], 45);
  EXPECT_EQ(s["price_cents"], 4500);
  EXPECT_EQ(s["currency"], "EUR");
  EXPECT_EQ(s["modalities"], json({"in_person", "virtual"}));
  EXPECT_TRUE(s["discount"].is_null());
  EXPECT_EQ(s["is_active"], true);

  auto read = call("", "GET", "/api/services/" + id);
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(read.json["data"], s) << "a public read gives the stored service";

  auto updated = call(pro, "PUT", "/api/services/" + id,
                      {{"price_cents", 5000},
                       {"discount",
                        {{"percent", 10},
                         {"valid_from", "2026-01-01T00:00:00Z"},
                         {"valid_until", "2026-06-30T22:00:00Z"}}}});
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(updated.json["data"]["price_cents"], 5000);
  EXPECT_EQ(updated.json["data"]["name"], s["name"]) << "fields not named are kept";
  EXPECT_EQ(updated.json["data"]["discount"], (json{{"percent", 10},
                                                    {"amount_cents", nullptr},
                                                    {"valid_from", "2026-01-01T00:00:00Z"},
                                                    {"valid_until", "2026-06-30T22:00:00Z"}}));

  auto removed = call(pro, "DELETE", "/api/services/" + id);
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_EQ(removed.json["data"], (json{{"id", id}, {"deleted", true}}));
  expect_error(call("", "GET", "/api/services/" + id), 404, "SERVICE_NOT_FOUND");
  EXPECT_NE(query_value("SELECT deleted_at::text FROM services WHERE id = $1::uuid", id), "")
      << "a soft delete keeps the row";
  expect_error(call(pro, "DELETE", "/api/services/" + id), 404, "SERVICE_NOT_FOUND");
}

TEST_F(services_api, the_status_switch_hides_a_service_from_the_professional_page) {
  auto pro = make_professional();
  auto id =
      call(pro, "POST", "/api/services", consultation()).json["data"]["id"].get<std::string>();
  auto page = "/api/services/professional/" + pro;
  ASSERT_EQ(call("", "GET", page).json["data"].size(), 1u);

  auto off = call(pro, "PATCH", "/api/services/" + id + "/status", {{"is_active", false}});
  ASSERT_EQ(off.status, 200u) << off.body;
  EXPECT_EQ(off.json["data"]["is_active"], false);
  auto listed = call("", "GET", page);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_TRUE(listed.json["data"].empty()) << "only active services are listed";
  EXPECT_EQ(listed.json["metadata"]["pagination"]["total"], 0);
  EXPECT_EQ(call("", "GET", "/api/services?professional=" + pro).json["data"].size(), 1u)
      << "the catalogue list still shows it";
  EXPECT_EQ(
      call("", "GET", "/api/services?active_only=true&professional=" + pro).json["data"].size(),
      0u);

  expect_error(call(pro, "PATCH", "/api/services/" + id + "/status", {{"is_active", "no"}}), 422,
               "VALIDATION_ERROR");
  expect_error(call("", "GET", "/api/services/professional/user_nobody"), 404, "NOT_FOUND");
}

TEST_F(services_api, another_professional_cannot_change_my_service) {
  auto mine = make_professional();
  auto other = make_professional();
  auto id =
      call(mine, "POST", "/api/services", consultation()).json["data"]["id"].get<std::string>();
  expect_error(call(other, "PUT", "/api/services/" + id, {{"price_cents", 1}}), 404,
               "SERVICE_NOT_FOUND");
  expect_error(call(other, "PATCH", "/api/services/" + id + "/status", {{"is_active", false}}), 404,
               "SERVICE_NOT_FOUND");
  expect_error(call(other, "DELETE", "/api/services/" + id), 404, "SERVICE_NOT_FOUND");
  auto still = call("", "GET", "/api/services/" + id).json["data"];
  EXPECT_EQ(still["price_cents"], 4500);
  EXPECT_EQ(still["is_active"], true);
}

TEST_F(services_api, patients_and_anonymous_callers_cannot_create_services) {
  expect_error(call(make_patient(), "POST", "/api/services", consultation()), 403, "FORBIDDEN");
  expect_error(call("", "POST", "/api/services", consultation()), 401, "TOKEN_MISSING");
}

TEST_F(services_api, an_admin_acts_for_a_named_professional) {
  auto admin = make_admin();
  auto pro = make_professional();
  auto missing = call(admin, "POST", "/api/services", consultation());
  expect_error(missing, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(missing), std::vector<std::string>{"professionalId"});

  auto body = consultation();
  body["professionalId"] = pro;
  auto created = call(admin, "POST", "/api/services", body);
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.json["data"]["professional_id"], profile_of(pro));
  auto id = created.json["data"]["id"].get<std::string>();
  auto updated = call(admin, "PUT", "/api/services/" + id, {{"name", "Sesión de seguimiento"}});
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(updated.json["data"]["name"], "Sesión de seguimiento");
  EXPECT_EQ(call(admin, "DELETE", "/api/services/" + id).status, 200u);
}

TEST_F(services_api, every_bad_field_is_reported) {
  auto pro = make_professional();
  auto body = consultation();
  body["name"] = "";
  body["duration_minutes"] = 500;
  body["price_cents"] = 12.5;
  body["modalities"] = {"home"};
  body["discount"] = {{"percent", 10}, {"amount_cents", 100}};
  auto r = call(pro, "POST", "/api/services", body);
  expect_error(r, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(r), (std::vector<std::string>{"name", "duration_minutes", "price_cents",
                                                         "modalities", "discount.percent"}));
  EXPECT_EQ(query_value("SELECT count(*)::text FROM services s JOIN professional_profiles p"
                        " ON p.id = s.professional_id WHERE p.user_id = $1",
                        pro),
            "0");
}

TEST_F(services_api, the_list_filters_and_pages) {
  auto pro = make_professional();
  auto add = [&](const char* name, const char* category, int64_t price, const char* modality) {
    auto body = consultation();
    body["name"] = name;
    body["category"] = category;
    body["price_cents"] = price;
    body["modalities"] = {modality};
    ASSERT_EQ(call(pro, "POST", "/api/services", body).status, 201u);
  };
  add("A terapia", "Psicología", 3000, "virtual");
  add("B terapia", "psicología", 6000, "in_person");
  add("C masaje", "Fisioterapia", 4000, "in_person");
  auto names = [&](const std::string& query) {
    auto r = call("", "GET", "/api/services?professional=" + profile_of(pro) + query);
    EXPECT_EQ(r.status, 200u) << r.body;
    std::vector<std::string> out;
    for (const auto& s : r.json["data"]) out.push_back(s["name"]);
    return out;
  };
  EXPECT_EQ(names(""), (std::vector<std::string>{"A terapia", "B terapia", "C masaje"}));
  EXPECT_EQ(names("&category=Psicolog%C3%ADa"),
            (std::vector<std::string>{"A terapia", "B terapia"}));
  EXPECT_EQ(names("&modality=in_person"), (std::vector<std::string>{"B terapia", "C masaje"}));
  EXPECT_EQ(names("&price_min=3500&price_max=6000"),
            (std::vector<std::string>{"B terapia", "C masaje"}));
  auto page = call("", "GET", "/api/services?professional=" + pro + "&limit=2&page=2");
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_EQ(page.json["data"].size(), 1u);
  EXPECT_EQ(page.json["metadata"]["pagination"], (json{{"page", 2},
                                                       {"limit", 2},
                                                       {"total", 3},
                                                       {"totalPages", 2},
                                                       {"hasNext", false},
                                                       {"hasPrev", true}}));
  auto bad = call("", "GET", "/api/services?modality=home&price_min=x");
  expect_error(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(bad), (std::vector<std::string>{"modality", "price_min"}));
  EXPECT_TRUE(call("", "GET", "/api/services?professional=user_nobody").json["data"].empty());
}

TEST_F(services_api, malformed_ids_are_not_found) {
  expect_error(call("", "GET", "/api/services/not-a-uuid"), 404, "SERVICE_NOT_FOUND");
  expect_error(call(make_professional(), "PUT", "/api/services/42", {{"price_cents", 1}}), 404,
               "SERVICE_NOT_FOUND");
}

}  // namespace
}  // namespace mundoctor::testing
