#include "tests/integration/http_uploads/uploads_server.hpp"

#include <pqxx/pqxx>

#include "persistence/users/user_repository.hpp"

namespace mundoctor::testing {

namespace {

constexpr auto boundary = "----mundoctorUploadBoundary7MA4YWxk";

}  // namespace

void uploads_test::SetUp() {
  root_ = std::filesystem::temp_directory_path() / ("mundoctor-uploads-" + random_token());
  std::filesystem::create_directories(root_);
  upload_dir_ = root_ / "uploads";
  api_test::SetUp();
}

void uploads_test::configure(config::settings& s) const {
  s.upload_dir = upload_dir_.string();
  s.user_cache_ttl_s = 0;
}

void uploads_test::TearDown() {
  api_test::TearDown();
  if (!root_.empty()) std::filesystem::remove_all(root_);
}

std::string uploads_test::make_user(const std::string& role) const {
  auto id = unique_user("user_upl");
  if (role.empty()) {
    pqxx::connection conn{database_url()};
    persistence::provision_user(conn, id);
    return id;
  }
  assign_role(id, role);
  exec("UPDATE users SET status = 'active' WHERE id = $1", id);
  return id;
}

http_result uploads_test::call_raw(const std::string& user, const std::string& method,
                                   const std::string& target, const std::string& body,
                                   header_fields headers) const {
  if (!user.empty()) headers.emplace_back("Authorization", "Bearer " + token_for(user));
  return request(port_, method, target, body, headers);
}

http_result uploads_test::post_files(const std::string& user, const std::string& target,
                                     const std::vector<form_file>& files) const {
  std::string body;
  for (const auto& f : files)
    body += std::string{"--"} + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.field +
            "\"; filename=\"" + f.filename + "\"\r\nContent-Type: " + f.content_type + "\r\n\r\n" +
            f.bytes + "\r\n";
  body += std::string{"--"} + boundary + "--\r\n";
  return call_raw(user, "POST", target, body,
                  {{"Content-Type", std::string{"multipart/form-data; boundary="} + boundary}});
}

}  // namespace mundoctor::testing
