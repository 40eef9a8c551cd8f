// Medical records and the medical history: who writes them, encryption at rest, the patient's
// own history, and the audited read of a patient's history by their professional.

#include <chrono>
#include <thread>

#include "tests/integration/http_patients/patients_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

using medical_history_api = patients_test;

json record_body() {
  return {{"diagnosis", "Faringitis aguda"},
          {"treatment", "Reposo e hidratación"},
          {"prescriptions",
           {"Ibuprofeno 600 mg cada 8 h", {{"name", "Amoxicilina"}, {"dosage", "500 mg"}}}}};
}

TEST_F(medical_history_api, the_professional_writes_the_record_of_a_completed_appointment) {
  auto patient = make_patient();
  auto pro = make_professional();
  auto done = make_appointment(patient, pro, "completed", 3);
  auto first = call(pro, "PUT", "/api/appointments/" + done + "/medical-record", record_body());
  ASSERT_EQ(first.status, 201u) << first.body;
  const auto& r = first.json["data"];
  EXPECT_EQ(r["appointment_id"], done);
  EXPECT_EQ(r["patient_id"], patient);
  EXPECT_EQ(r["professional_id"], profile_of(pro));
  EXPECT_EQ(r["diagnosis"], "Faringitis aguda");
  EXPECT_EQ(r["prescriptions"].size(), 2u);

  auto again = call(pro, "PUT", "/api/appointments/" + done + "/medical-record",
                    {{"diagnosis", "Amigdalitis"}});
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.json["data"]["id"], r["id"]) << "one record per appointment, replaced";
  EXPECT_TRUE(again.json["data"]["treatment"].is_null());

  // At rest: ciphertext and key id, never the plaintext.
  EXPECT_EQ(count("SELECT count(*) FROM medical_records WHERE appointment_id = $1::uuid AND "
                  "diagnosis_key_id = 'k1' AND diagnosis_ciphertext IS NOT NULL AND "
                  "position(convert_to($2, 'UTF8') IN diagnosis_ciphertext) = 0",
                  done, "Amigdalitis"),
            1);
  EXPECT_EQ(
      count("SELECT count(*) FROM medical_records WHERE appointment_id = $1::uuid AND "
            "treatment_ciphertext IS NULL AND treatment_key_id IS NULL AND $2::text = $2::text",
            done, ""),
      1);
}

TEST_F(medical_history_api, records_need_a_completed_appointment_of_ones_own) {
  auto patient = make_patient();
  auto pro = make_professional();
  auto other_pro = make_professional();
  auto upcoming = make_appointment(patient, pro, "confirmed", -2);
  auto done = make_appointment(patient, pro, "completed", 5);
  expect_error(call(pro, "PUT", "/api/appointments/" + upcoming + "/medical-record", record_body()),
               409, "INVALID_STATE");
  expect_error(
      call(other_pro, "PUT", "/api/appointments/" + done + "/medical-record", record_body()), 404,
      "APPOINTMENT_NOT_FOUND");
  expect_error(call(pro, "PUT", "/api/appointments/not-a-uuid/medical-record", record_body()), 404,
               "APPOINTMENT_NOT_FOUND");
  expect_error(call(patient, "PUT", "/api/appointments/" + done + "/medical-record", record_body()),
               403, "FORBIDDEN");
  auto empty = call(pro, "PUT", "/api/appointments/" + done + "/medical-record",
                    {{"diagnosis", ""}, {"prescriptions", "x"}});
  expect_error(empty, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(empty), std::vector<std::string>{"prescriptions"});
  auto admin = call(make_admin(), "PUT", "/api/appointments/" + done + "/medical-record",
                    {{"treatment", "Control en 15 días"}});
  EXPECT_EQ(admin.status, 201u) << admin.body;
}

TEST_F(medical_history_api, the_patient_reads_the_decrypted_history_page_by_page) {
  auto patient = make_patient();
  auto pro = make_professional();
  name_user(pro, "Laura", "Gómez");
  std::vector<std::string> completed;
  for (int i = 1; i <= 3; ++i) completed.push_back(make_appointment(patient, pro, "completed", i));
  make_appointment(patient, pro, "cancelled", 10);
  make_appointment(make_patient(), pro, "completed", 11);  // someone else's
  ASSERT_EQ(call(pro, "PUT", "/api/appointments/" + completed[0] + "/medical-record", record_body())
                .status,
            201u);

  auto page1 = call(patient, "GET", "/api/patients/history?limit=2");
  ASSERT_EQ(page1.status, 200u) << page1.body;
  auto pagination = page1.json["metadata"]["pagination"];
  EXPECT_EQ(pagination["total"], 3);
  EXPECT_EQ(pagination["totalPages"], 2);
  EXPECT_EQ(pagination["hasNext"], true);
  ASSERT_EQ(page1.json["data"].size(), 2u);
  const auto& newest = page1.json["data"][0];
  EXPECT_EQ(newest["appointment_id"], completed[0]);
  EXPECT_EQ(newest["professional"]["name"], "Laura Gómez");
  EXPECT_EQ(newest["record"]["diagnosis"], "Faringitis aguda");
  EXPECT_EQ(newest["record"]["treatment"], "Reposo e hidratación");
  EXPECT_EQ(newest["record"]["prescriptions"][1]["name"], "Amoxicilina");
  EXPECT_TRUE(page1.json["data"][1]["record"].is_null()) << "no record written yet";

  auto page2 = call(patient, "GET", "/api/patients/history?page=2&limit=2");
  ASSERT_EQ(page2.status, 200u) << page2.body;
  EXPECT_EQ(page2.json["data"].size(), 1u);
  EXPECT_EQ(page2.json["metadata"]["pagination"]["hasNext"], false);
  EXPECT_EQ(page2.json["metadata"]["pagination"]["hasPrev"], true);
}

TEST_F(medical_history_api, a_professional_reads_a_patients_history_only_with_an_appointment) {
  auto patient = make_patient();
  auto treating = make_professional();
  auto stranger = make_professional();
  auto done = make_appointment(patient, treating, "completed", 2);
  ASSERT_EQ(
      call(treating, "PUT", "/api/appointments/" + done + "/medical-record", record_body()).status,
      201u);

  expect_error(call(stranger, "GET", "/api/patients/" + patient + "/history"), 404,
               "PATIENT_NOT_FOUND");
  expect_error(call(stranger, "GET", "/api/patients/user_nobody_here/history"), 404,
               "PATIENT_NOT_FOUND");
  expect_error(call(make_patient(), "GET", "/api/patients/" + patient + "/history"), 403,
               "FORBIDDEN");

  auto read = call(treating, "GET", "/api/patients/" + patient + "/history");
  ASSERT_EQ(read.status, 200u) << read.body;
  ASSERT_EQ(read.json["data"].size(), 1u);
  EXPECT_EQ(read.json["data"][0]["record"]["diagnosis"], "Faringitis aguda");

  // The read is audited (records are written in batches: wait for the row).
  const std::string audit_sql =
      "SELECT count(*) FROM audit_log WHERE actor_user_id = $1 AND resource_id = $2 AND "
      "resource_type = 'patient_history' AND outcome = 'success'";
  int64_t rows = 0;
  for (int i = 0; i < 200 && rows == 0; ++i) {
    rows = count(audit_sql, treating, patient);
    if (rows == 0) std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(count(audit_sql, stranger, patient), 0) << "refused reads disclose nothing";

  auto admin = make_admin();
  EXPECT_EQ(call(admin, "GET", "/api/patients/" + patient + "/history").status, 200u);
  expect_error(call(admin, "GET", "/api/patients/" + treating + "/history"), 404,
               "PATIENT_NOT_FOUND");
}

}  // namespace
}  // namespace mundoctor::testing
