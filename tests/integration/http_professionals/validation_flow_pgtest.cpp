// The professional onboarding and validation workflow end to end: submission with uploaded
// documents, review decisions, history, and the professional becoming bookable.

#include "tests/integration/http_professionals/professionals_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

using validation_flow = professionals_test;

TEST_F(validation_flow, an_approved_applicant_becomes_bookable_and_public) {
  auto pro = make_applicant();
  auto patient = make_patient();
  auto admin = make_admin();
  auto service = open_practice(pro);
  json booking{{"professionalId", pro}, {"serviceId", service}, {"startTime", start_in_days(3)}};

  expect_error(call(patient, "POST", "/api/appointments", booking), 422,
               "PROFESSIONAL_NOT_BOOKABLE");
  expect_error(call("", "GET", "/api/professionals/" + pro), 404, "PROFESSIONAL_NOT_FOUND");

  // The documents go through the upload endpoint, as from the onboarding page.
  auto uploaded = upload_documents(pro);
  ASSERT_EQ(uploaded.status, 201u) << uploaded.body;
  auto form = application(pro);
  form["dniDocumentUrl"] = uploaded.json["data"]["dniImage"]["url"];
  form["degreeDocumentUrl"] = uploaded.json["data"]["universityDegree"]["url"];
  form["certificationDocumentUrl"] = uploaded.json["data"]["collegiationCertificate"]["url"];
  auto submitted = call(pro, "POST", "/api/users/professional-validation", form);
  ASSERT_EQ(submitted.status, 201u) << submitted.body;
  auto item = submitted.json["data"];
  auto id = item["id"].get<std::string>();
  EXPECT_EQ(item["validation_status"], "pending");
  EXPECT_EQ(item["user_id"], pro);
  EXPECT_EQ(item["professional_email"], pro + "@example.test");
  EXPECT_EQ(item["college_number"], "28/123456");
  EXPECT_EQ(item["dni"], "12345678Z");
  EXPECT_EQ(item["specialty"], "Traumatología");
  EXPECT_EQ(item["consultation_fee_cents"], 5550);
  EXPECT_TRUE(item["reviewed_at"].is_null());
  ASSERT_EQ(item["documents"].size(), 3u) << item.dump();
  for (const auto& d : item["documents"]) {
    auto sha = query_value("SELECT sha256 FROM uploads WHERE stored_filename = $1",
                           d["filename"].get<std::string>());
    EXPECT_EQ(d["sha256"], sha) << "the upload's hash is recorded";
    EXPECT_EQ(sha.size(), 64u);
  }
  EXPECT_EQ(item["dni_document_url"], form["dniDocumentUrl"]) << item.dump();
  EXPECT_EQ(
      query_value("SELECT verification_status FROM professional_profiles WHERE user_id = $1", pro),
      "pending");

  auto approved =
      call(admin, "POST", "/api/validation/" + id + "/approve", {{"reviewNotes", "Todo correcto"}});
  ASSERT_EQ(approved.status, 200u) << approved.body;
  EXPECT_EQ(approved.json["data"]["validation_status"], "approved");
  EXPECT_EQ(approved.json["data"]["reviewed_by"], admin);
  EXPECT_EQ(approved.json["data"]["validation_notes"], "Todo correcto");
  EXPECT_FALSE(approved.json["data"]["reviewed_at"].is_null());
  EXPECT_EQ(query_value("SELECT status FROM users WHERE id = $1", pro), "active");
  EXPECT_EQ(query_value("SELECT verified::text FROM professional_profiles WHERE user_id = $1", pro),
            "true");
  EXPECT_EQ(query_value("SELECT count(*)::text FROM admin_actions WHERE target_id = $1"
                        " AND action = 'validation.approve' AND target_type = 'validation_request'",
                        id),
            "1");

  auto booked = call(patient, "POST", "/api/appointments", booking);
  EXPECT_EQ(booked.status, 201u) << "bookable at once, through the calendar actor: " << booked.body;
  auto profile = call("", "GET", "/api/professionals/" + pro);
  ASSERT_EQ(profile.status, 200u) << profile.body;
  EXPECT_EQ(profile.json["data"]["id"], profile_of(pro));
  EXPECT_EQ(profile.json["data"]["verified"], true);
  EXPECT_EQ(profile.json["data"]["specialty_name"], "Traumatología")
      << "the approved request fills the profile";
  EXPECT_EQ(call("", "GET", "/api/professionals/" + profile_of(pro)).status, 200u);

  auto history = call(admin, "GET", "/api/validation/requests/" + id);
  ASSERT_EQ(history.status, 200u) << history.body;
  auto h = history.json["data"]["history"];
  ASSERT_EQ(h.size(), 2u) << h.dump();
  EXPECT_TRUE(h[0]["from_status"].is_null());
  EXPECT_EQ(h[0]["to_status"], "pending");
  EXPECT_EQ(h[0]["changed_by"], pro);
  EXPECT_EQ(h[1]["from_status"], "pending");
  EXPECT_EQ(h[1]["to_status"], "approved");
  EXPECT_EQ(h[1]["changed_by"], admin);

  expect_error(call(pro, "POST", "/api/validation/request", application(pro)), 409,
               "ALREADY_VERIFIED");
  expect_error(call(admin, "POST", "/api/validation/" + id + "/reject",
                    {{"reviewNotes", "Demasiado tarde para esto"}}),
               409, "INVALID_TRANSITION");
}

TEST_F(validation_flow, a_rejection_keeps_its_reason_and_the_professional_may_apply_again) {
  auto pro = make_applicant();
  auto admin = make_admin();
  auto first = call(pro, "POST", "/api/validation/request", application(pro));
  ASSERT_EQ(first.status, 201u) << first.body;
  auto id = first.json["data"]["id"].get<std::string>();

  auto short_reason =
      call(admin, "POST", "/api/validation/" + id + "/reject", {{"reviewNotes", "No"}});
  expect_error(short_reason, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(short_reason), std::vector<std::string>{"reviewNotes"});
  expect_error(call(admin, "POST", "/api/validation/" + id + "/reject", json::object()), 422,
               "VALIDATION_ERROR");
  expect_error(call(admin, "POST", "/api/validation/" + id + "/reject",
                    {{"reviewNotes", std::string(2001, 'x')}}),
               422, "VALIDATION_ERROR");

  std::string reason = "El título aportado no es legible; súbalo de nuevo.";
  auto rejected =
      call(admin, "POST", "/api/validation/" + id + "/reject", {{"reviewNotes", reason}});
  ASSERT_EQ(rejected.status, 200u) << rejected.body;
  EXPECT_EQ(rejected.json["data"]["validation_status"], "rejected");
  EXPECT_EQ(rejected.json["data"]["validation_notes"], reason);
  EXPECT_EQ(query_value("SELECT reason FROM admin_actions WHERE target_id = $1"
                        " AND action = 'validation.reject'",
                        id),
            reason);
  EXPECT_EQ(query_value("SELECT verified::text FROM professional_profiles WHERE user_id = $1", pro),
            "false");

  auto again = call(pro, "POST", "/api/validation/request", application(pro));
  ASSERT_EQ(again.status, 201u) << again.body;
  EXPECT_NE(again.json["data"]["id"], id);
  auto mine = call(pro, "GET", "/api/validation/requests");
  ASSERT_EQ(mine.status, 200u) << mine.body;
  EXPECT_EQ(mine.json["metadata"]["pagination"]["total"], 2);
  EXPECT_EQ(mine.json["requests"], mine.json["data"]);
  auto old = call(pro, "GET", "/api/validation/requests/" + id);
  ASSERT_EQ(old.status, 200u) << old.body;
  EXPECT_EQ(old.json["data"]["validation_notes"], reason) << "the reason is kept";
}

TEST_F(validation_flow, new_documents_put_a_request_needing_information_back_to_pending) {
  auto pro = make_applicant();
  auto admin = make_admin();
  auto first = call(pro, "POST", "/api/validation/request", application(pro));
  ASSERT_EQ(first.status, 201u) << first.body;
  auto id = first.json["data"]["id"].get<std::string>();

  auto review =
      call(admin, "PUT", "/api/validation/" + id + "/status", {{"status", "under_review"}});
  ASSERT_EQ(review.status, 200u) << review.body;
  EXPECT_EQ(review.json["data"]["validation_status"], "under_review");
  auto info = call(admin, "POST", "/api/validation/" + id + "/request-info",
                   {{"reviewNotes", "Falta el certificado de colegiación vigente"}});
  ASSERT_EQ(info.status, 200u) << info.body;
  EXPECT_EQ(info.json["data"]["validation_status"], "requires_info");
  EXPECT_EQ(
      query_value("SELECT verification_status FROM professional_profiles WHERE user_id = $1", pro),
      "requires_info");

  json more = application(pro);
  more.erase("dniDocumentUrl");
  more.erase("degreeDocumentUrl");
  more.erase("certificationDocumentUrl");
  more["documents"] = {insert_upload(pro, "certification")};
  auto resent = call(pro, "POST", "/api/validation/request", more);
  ASSERT_EQ(resent.status, 200u) << resent.body;
  EXPECT_EQ(resent.json["data"]["id"], id) << "the same request continues";
  EXPECT_EQ(resent.json["data"]["validation_status"], "pending");
  EXPECT_EQ(resent.json["data"]["documents"].size(), 4u);

  auto read = call(admin, "GET", "/api/validation/requests/" + id);
  std::vector<std::string> path;
  for (const auto& h : read.json["data"]["history"]) path.push_back(h["to_status"]);
  EXPECT_EQ(path,
            (std::vector<std::string>{"pending", "under_review", "requires_info", "pending"}));
  EXPECT_EQ(query_value("SELECT string_agg(action, ',' ORDER BY created_at) FROM admin_actions"
                        " WHERE target_id = $1",
                        id),
            "validation.review,validation.request_info")
      << "every admin decision is in the admin action log";
  ASSERT_EQ(call(admin, "POST", "/api/validation/" + id + "/approve").status, 200u);
}

TEST_F(validation_flow, a_professional_has_at_most_one_open_request) {
  auto pro = make_applicant();
  ASSERT_EQ(call(pro, "POST", "/api/validation/request", application(pro)).status, 201u);
  expect_error(call(pro, "POST", "/api/validation/request", application(pro)), 409,
               "ALREADY_EXISTS");
  EXPECT_EQ(query_value("SELECT count(*)::text FROM validation_requests r JOIN"
                        " professional_profiles p ON p.id = r.professional_id WHERE p.user_id = $1",
                        pro),
            "1");
}

TEST_F(validation_flow, documents_must_be_live_uploads_of_the_caller) {
  auto pro = make_applicant();
  auto other = make_applicant();
  auto body = application(pro);
  body["dniDocumentUrl"] = "/api/uploads/" + insert_upload(other, "dni");
  body["degreeDocumentUrl"] = "https://cdn.example.test/api/uploads/missing-file.pdf";
  body["certificationDocumentUrl"] = insert_upload(pro, "avatar");
  auto r = call(pro, "POST", "/api/validation/request", body);
  expect_error(r, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(r), (std::vector<std::string>{"dniDocumentUrl", "degreeDocumentUrl",
                                                         "certificationDocumentUrl"}));
  auto none = application(pro);
  for (const char* k : {"dniDocumentUrl", "degreeDocumentUrl", "certificationDocumentUrl"})
    none.erase(k);
  auto missing = call(pro, "POST", "/api/validation/request", none);
  expect_error(missing, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(missing), std::vector<std::string>{"documents"});
  auto blank = call(pro, "POST", "/api/validation/request", json::object());
  expect_error(blank, 422, "VALIDATION_ERROR");
  EXPECT_EQ(query_value("SELECT count(*)::text FROM validation_requests r JOIN"
                        " professional_profiles p ON p.id = r.professional_id WHERE p.user_id = $1",
                        pro),
            "0");
  auto patient = make_patient();
  expect_error(call(patient, "POST", "/api/users/professional-validation", application(patient)),
               409, "PROFESSIONAL_ROLE_REQUIRED");
  expect_error(call(patient, "POST", "/api/validation/request", application(patient)), 403,
               "FORBIDDEN");
}

}  // namespace
}  // namespace mundoctor::testing
