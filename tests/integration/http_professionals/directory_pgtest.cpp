// Administrators' lists and stats of validation requests, the public professional profile,
// specialties with their counts, and the professional's patients.

#include <random>

#include "tests/integration/http_professionals/professionals_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

using professional_directory = professionals_test;

std::string token() {
  static std::mt19937 gen{std::random_device{}()};
  return "COL" + std::to_string(std::uniform_int_distribution<int>{100000, 999999}(gen));
}

TEST_F(professional_directory, admins_page_filter_and_count_requests) {
  auto admin = make_admin();
  auto prefix = token();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto pro = make_applicant();
    auto body = application(pro);
    body["collegeNumber"] = prefix + "-" + std::to_string(i);
    auto r = call(pro, "POST", "/api/validation/request", body);
    ASSERT_EQ(r.status, 201u) << r.body;
    ids.push_back(r.json["data"]["id"]);
  }
  auto before = call(admin, "GET", "/api/validation/stats");
  ASSERT_EQ(before.status, 200u) << before.body;

  auto first = call(admin, "GET", "/api/validation/requests?search=" + prefix + "&limit=2");
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.json["data"].size(), 2u);
  EXPECT_EQ(first.json["requests"], first.json["data"]) << "the array is mirrored as requests";
  EXPECT_EQ(first.json["metadata"]["pagination"], (json{{"page", 1},
                                                        {"limit", 2},
                                                        {"total", 3},
                                                        {"totalPages", 2},
                                                        {"hasNext", true},
                                                        {"hasPrev", false}}));
  EXPECT_EQ(first.json["data"][0]["id"], ids[2]) << "newest first";
  auto second = call(admin, "GET", "/api/validation/requests?search=" + prefix + "&limit=2&page=2");
  ASSERT_EQ(second.json["data"].size(), 1u) << second.body;
  EXPECT_EQ(second.json["data"][0]["id"], ids[0]);

  ASSERT_EQ(call(admin, "POST", "/api/validation/" + ids[1] + "/approve").status, 200u);
  auto approved = call(admin, "GET", "/api/validation/requests?status=approved&search=" + prefix);
  ASSERT_EQ(approved.json["data"].size(), 1u) << approved.body;
  EXPECT_EQ(approved.json["data"][0]["id"], ids[1]);
  auto pending = call(admin, "GET", "/api/validation/pending?search=" + prefix);
  EXPECT_EQ(pending.json["metadata"]["pagination"]["total"], 2) << pending.body;
  EXPECT_EQ(call(admin, "GET", "/api/validation/requests?search=" + prefix + "&from=2000-01-01")
                .json["metadata"]["pagination"]["total"],
            3);
  EXPECT_EQ(call(admin, "GET", "/api/validation/requests?search=" + prefix + "&from=2999-01-01")
                .json["metadata"]["pagination"]["total"],
            0);
  auto bad = call(admin, "GET", "/api/validation/requests?status=done&to=2026-02-30");
  expect_error(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(bad), (std::vector<std::string>{"status", "to"}));

  auto after = call(admin, "GET", "/api/validation/stats");
  ASSERT_EQ(after.status, 200u) << after.body;
  const auto& b = before.json["data"];
  const auto& a = after.json["data"];
  EXPECT_EQ(a["approved"].get<int>(), b["approved"].get<int>() + 1) << after.body;
  EXPECT_EQ(a["pending"].get<int>(), b["pending"].get<int>() - 1);
  EXPECT_EQ(a["total"].get<int>(), a["pending"].get<int>() + a["under_review"].get<int>() +
                                       a["approved"].get<int>() + a["rejected"].get<int>() +
                                       a["requires_info"].get<int>());
  ASSERT_TRUE(a["average_decision_seconds"].is_number()) << after.body;
  EXPECT_GE(a["average_decision_seconds"].get<double>(), 0);
}

TEST_F(professional_directory, a_professional_sees_only_their_own_requests) {
  auto pro = make_applicant();
  auto other = make_applicant();
  ASSERT_EQ(call(pro, "POST", "/api/validation/request", application(pro)).status, 201u);
  auto theirs = call(other, "POST", "/api/validation/request", application(other));
  ASSERT_EQ(theirs.status, 201u);
  auto mine = call(pro, "GET", "/api/validation/requests");
  ASSERT_EQ(mine.status, 200u) << mine.body;
  ASSERT_EQ(mine.json["data"].size(), 1u);
  EXPECT_EQ(mine.json["data"][0]["user_id"], pro);
  expect_error(
      call(pro, "GET", "/api/validation/requests/" + theirs.json["data"]["id"].get<std::string>()),
      404, "VALIDATION_REQUEST_NOT_FOUND");
  expect_error(call(make_admin(), "GET", "/api/validation/requests/not-a-uuid"), 404,
               "VALIDATION_REQUEST_NOT_FOUND");
}

TEST_F(professional_directory, the_public_profile_shows_services_and_nothing_private) {
  auto pro = make_applicant();
  auto admin = make_admin();
  exec("UPDATE users SET phone = '+34600111222' WHERE id = $1", pro);
  auto service = open_practice(pro);
  auto r = call(pro, "POST", "/api/validation/request", application(pro));
  ASSERT_EQ(r.status, 201u) << r.body;
  auto id = r.json["data"]["id"].get<std::string>();
  ASSERT_EQ(call(admin, "POST", "/api/validation/" + id + "/approve").status, 200u);
  auto edited = call(pro, "PUT", "/api/users/profile",
                     {{"professional",
                       {{"languages", {"es", "en"}},
                        {"office_hours", {{"monday", "09:00-14:00"}}},
                        {"city", "Málaga"}}}});
  ASSERT_EQ(edited.status, 200u) << edited.body;

  auto profile = call("", "GET", "/api/professionals/" + pro);
  ASSERT_EQ(profile.status, 200u) << profile.body;
  const auto& p = profile.json["data"];
  EXPECT_EQ(p["user_id"], pro);
  EXPECT_EQ(p["services"], json({"Consulta de traumatología"}));
  ASSERT_EQ(p["available_services"].size(), 1u);
  EXPECT_EQ(p["available_services"][0]["id"], service);
  EXPECT_EQ(p["available_services"][0]["duration_minutes"], 30);
  EXPECT_EQ(p["recent_reviews"], json::array());
  EXPECT_EQ(p["languages"], json({"es", "en"}));
  EXPECT_EQ(p["office_hours"], (json{{"monday", "09:00-14:00"}}));
  EXPECT_EQ(p["city"], "Málaga");
  EXPECT_EQ(p["education"][0]["institution"], "UCM");
  EXPECT_EQ(p["consultation_fee_cents"], 5550);
  for (const char* key : {"dni", "email", "phone", "college_number", "documents",
                          "dni_document_url", "degree_document_url", "status"})
    EXPECT_FALSE(p.contains(key)) << key << " is private";
  EXPECT_EQ(profile.body.find("12345678Z"), std::string::npos);
  EXPECT_EQ(profile.body.find("@example.test"), std::string::npos);
  EXPECT_EQ(profile.body.find("600111222"), std::string::npos);
  EXPECT_EQ(profile.body.find("/api/uploads/"), std::string::npos);

  expect_error(call("", "GET", "/api/professionals/6f0c3d2e-9b1a-4c8d-8e7f-0a1b2c3d4e5f"), 404,
               "PROFESSIONAL_NOT_FOUND");
  expect_error(call("", "GET", "/api/professionals/x%27y"), 404, "PROFESSIONAL_NOT_FOUND");
  exec("UPDATE users SET status = 'suspended' WHERE id = $1", pro);
  expect_error(call("", "GET", "/api/professionals/" + pro), 404, "PROFESSIONAL_NOT_FOUND");
}

TEST_F(professional_directory, specialties_count_bookable_professionals_only) {
  auto admin = make_admin();
  auto count = [&] {
    auto r = call("", "GET", "/api/professionals/specialties");
    EXPECT_EQ(r.status, 200u) << r.body;
    for (const auto& s : r.json["data"])
      if (s["name"] == "Traumatología") return s["professionals_count"].get<int>();
    ADD_FAILURE() << "no Traumatología in " << r.body;
    return -1;
  };
  auto before = count();
  auto pro = make_applicant();
  auto r = call(pro, "POST", "/api/validation/request", application(pro));
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(count(), before) << "an applicant is not counted";
  ASSERT_EQ(
      call(admin, "POST", "/api/validation/" + r.json["data"]["id"].get<std::string>() + "/approve")
          .status,
      200u);
  EXPECT_EQ(count(), before + 1);
  exec("UPDATE users SET status = 'suspended' WHERE id = $1", pro);
  EXPECT_EQ(count(), before) << "a suspended professional is not bookable";
  auto paged = call("", "GET", "/api/professionals/specialties?limit=3");
  EXPECT_EQ(paged.json["data"].size(), 3u);
  EXPECT_GT(paged.json["metadata"]["pagination"]["total"].get<int>(), 3);
}

TEST_F(professional_directory, a_professional_lists_their_patients_with_the_last_appointment) {
  auto pro = make_applicant();
  auto admin = make_admin();
  auto service = open_practice(pro);
  auto r = call(pro, "POST", "/api/validation/request", application(pro));
  ASSERT_EQ(r.status, 201u) << r.body;
  ASSERT_EQ(
      call(admin, "POST", "/api/validation/" + r.json["data"]["id"].get<std::string>() + "/approve")
          .status,
      200u);
  auto patient = make_patient();
  for (int days : {2, 5}) {
    auto booked =
        call(patient, "POST", "/api/appointments",
             {{"professionalId", pro}, {"serviceId", service}, {"startTime", start_in_days(days)}});
    ASSERT_EQ(booked.status, 201u) << booked.body;
  }
  auto list = call(pro, "GET", "/api/professionals/patients");
  ASSERT_EQ(list.status, 200u) << list.body;
  ASSERT_EQ(list.json["data"].size(), 1u);
  const auto& p = list.json["data"][0];
  EXPECT_EQ(p["id"], patient);
  EXPECT_EQ(p["total_appointments"], 2);
  EXPECT_EQ(p["last_appointment_date"], start_in_days(5));
  EXPECT_EQ(p["next_appointment_date"], start_in_days(2));
  EXPECT_EQ(list.json["metadata"]["pagination"]["total"], 1);
  auto stranger = make_applicant();
  auto none = call(stranger, "GET", "/api/professionals/patients");
  ASSERT_EQ(none.status, 200u) << none.body;
  EXPECT_TRUE(none.json["data"].empty()) << "patients of another professional are not listed";
}

}  // namespace
}  // namespace mundoctor::testing
