#include "tests/integration/http_professionals/professionals_server.hpp"

#include <pqxx/pqxx>
#include <system_error>

#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::testing {

void professionals_test::SetUp() {
  upload_dir_ = std::filesystem::temp_directory_path() / ("mundoctor-pro-" + random_token());
  api_test::SetUp();
}

void professionals_test::configure(config::settings& s) const {
  s.user_cache_ttl_s = 0;
  s.upload_dir = upload_dir_.string();
}

void professionals_test::TearDown() {
  api_test::TearDown();
  std::error_code ignored;
  std::filesystem::remove_all(upload_dir_, ignored);
}

std::string professionals_test::make_named_user(const std::string& prefix) const {
  auto id = unique_user("user_" + prefix);
  exec("INSERT INTO users (id, email, first_name, last_name) VALUES ($1, $2, $3, $4)", id,
       id + "@example.test", "Lucía", "Núñez " + prefix);
  return id;
}

std::string professionals_test::make_applicant() const {
  auto id = make_named_user("pro");
  auto chosen = call(id, "POST", "/api/users/select-role", {{"role", "professional"}});
  EXPECT_EQ(chosen.status, 200u) << chosen.body;
  return id;
}

std::string professionals_test::insert_upload(const std::string& owner,
                                              const std::string& purpose) const {
  auto name = purpose + "-" + random_token() + ".pdf";
  // A random digest: no file stands behind the row.
  exec(
      "INSERT INTO uploads (owner_id, purpose, stored_filename, original_name, mimetype,"
      " size_bytes, sha256) VALUES ($1, $2, $3, $4, 'application/pdf', 2048,"
      " encode(sha256(gen_random_uuid()::text::bytea), 'hex'))",
      owner, purpose, name, "título " + purpose + ".pdf");
  return name;
}

http_result professionals_test::upload_documents(const std::string& owner) const {
  const std::string boundary = "mundoctor-form";
  std::string body;
  for (const char* field : {"dniImage", "universityDegree", "collegiationCertificate"})
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field +
            "\"; filename=\"" + field + ".pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
            "%PDF-1.4\n" + field + "\n%%EOF\r\n";
  body += "--" + boundary + "--\r\n";
  header_fields headers{{"Authorization", "Bearer " + token_for(owner)},
                        {"Content-Type", "multipart/form-data; boundary=" + boundary}};
  return request(port_, "POST", "/api/uploads/professional-documents", body, headers);
}

nlohmann::json professionals_test::application(const std::string& owner) const {
  return {{"collegeNumber", "28/123456"},
          {"dni", "12345678Z"},
          {"specialty", "Traumatología"},
          {"bio", "Especialista en lesiones deportivas y rehabilitación."},
          {"experienceYears", 12},
          {"education", {{{"title", "Medicina"}, {"institution", "UCM"}, {"year", 2008}}}},
          {"consultationFee", 55.5},
          {"dniDocumentUrl", "/api/uploads/" + insert_upload(owner, "dni")},
          {"degreeDocumentUrl", "/api/uploads/" + insert_upload(owner, "degree")},
          {"certificationDocumentUrl", "/api/uploads/" + insert_upload(owner, "certification")}};
}

std::string professionals_test::open_practice(const std::string& professional_user) const {
  pqxx::connection conn{database_url()};
  auto profile = profile_of(professional_user);
  calendar::service_info service;
  service.name = "Consulta de traumatología";
  service.duration_minutes = 30;
  service.price_cents = 5'000;
  auto id = persistence::create_service(conn, profile, service).info.id;
  for (int day = 0; day < 7; ++day) {
    calendar::weekly_rule rule;
    rule.day_of_week = day;
    rule.start_minute = 8 * 60;
    rule.end_minute = 20 * 60;
    persistence::create_weekly_rule(conn, profile, rule);
  }
  calendar::booking_policy policy;
  policy.min_notice_minutes = 0;
  policy.slot_step_minutes = 30;
  policy.auto_confirm = true;
  persistence::put_policy(conn, profile, policy);
  return id;
}

}  // namespace mundoctor::testing
