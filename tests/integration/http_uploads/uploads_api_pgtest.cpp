// The "Uploads" endpoints end to end: content sniffing, limits, stored names, access.

#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include "persistence/uploads/upload_store.hpp"
#include "tests/integration/http_uploads/uploads_server.hpp"

namespace mundoctor::testing {
namespace {

const std::string pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n";
const std::string png = std::string{"\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16} + "pixels";
const std::string documents = "/api/uploads/professional-documents";
const std::string avatar = "/api/uploads/avatar";

std::size_t files_in(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir)) return 0;
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

using uploads_api = uploads_test;

TEST_F(uploads_api, a_pdf_named_png_is_stored_as_a_pdf_under_a_server_name) {
  auto pro = make_user("professional");
  auto r = post_files(pro, documents, {{"dniImage", "dni.png", pdf, "image/png"}});
  ASSERT_EQ(r.status, 201u) << r.body;
  auto d = r.json["data"]["dniImage"];
  EXPECT_EQ(d["mimetype"], "application/pdf");
  EXPECT_EQ(d["originalName"], "dni.png");
  EXPECT_EQ(d["size"], pdf.size());
  auto name = d["filename"].get<std::string>();
  EXPECT_TRUE(persistence::is_stored_name(name)) << name;
  EXPECT_EQ(name.substr(name.size() - 4), ".pdf");
  EXPECT_EQ(d["url"], "/api/uploads/" + name);
  EXPECT_EQ(d["sha256"], persistence::sha256_hex(pdf));
  EXPECT_EQ(query_value("SELECT sha256 FROM uploads WHERE stored_filename = $1", name),
            persistence::sha256_hex(pdf));
  EXPECT_EQ(query_value("SELECT owner_id || ' ' || purpose || ' ' || mimetype FROM uploads"
                        " WHERE stored_filename = $1",
                        name),
            pro + " dni application/pdf");
  EXPECT_EQ(mode_of(upload_dir_), 0700u);
  EXPECT_EQ(mode_of(upload_dir_ / name), 0600u);
  EXPECT_EQ(files_in(upload_dir_), 1u);
}

TEST_F(uploads_api, all_three_documents_in_one_request) {
  auto pro = make_user("professional");
  auto r = post_files(pro, documents,
                      {{"dniImage", "dni.jpg", "\xFF\xD8\xFF\xE0jpeg"},
                       {"universityDegree", "título.png", png},
                       {"collegiationCertificate", "cert.pdf", pdf}});
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json["data"]["dniImage"]["mimetype"], "image/jpeg");
  EXPECT_EQ(r.json["data"]["universityDegree"]["mimetype"], "image/png");
  EXPECT_EQ(r.json["data"]["universityDegree"]["originalName"], "título.png");
  EXPECT_EQ(r.json["data"]["collegiationCertificate"]["mimetype"], "application/pdf");
  EXPECT_EQ(files_in(upload_dir_), 3u);
}

TEST_F(uploads_api, a_script_named_pdf_and_a_pdf_avatar_are_refused_and_nothing_is_stored) {
  auto pro = make_user("professional");
  auto script = post_files(
      pro, documents, {{"universityDegree", "degree.pdf", "#!/bin/sh\nid\n", "application/pdf"}});
  expect_error(script, 415, "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_EQ(script.json["metadata"]["field"], "universityDegree");
  auto pdf_avatar = post_files(pro, avatar, {{"avatar", "me.png", pdf, "image/png"}});
  expect_error(pdf_avatar, 415, "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_EQ(files_in(upload_dir_), 0u);
  EXPECT_EQ(query_value("SELECT count(*) FROM uploads WHERE owner_id = $1", pro), "0");
}

TEST_F(uploads_api, six_megabytes_is_too_large_for_a_document_and_for_an_avatar) {
  auto pro = make_user("professional");
  auto big = pdf + std::string(6 * 1024 * 1024, 'x');
  auto doc = post_files(pro, documents, {{"dniImage", "big.pdf", big}});
  // Refused while the body arrives: the answer names the field, the rest is never read.
  expect_error(doc, 413, "PAYLOAD_TOO_LARGE");
  EXPECT_NE(doc.json["message"].get<std::string>().find("dniImage"), std::string::npos) << doc.body;
  auto image = post_files(pro, avatar, {{"avatar", "big.png", png + std::string(6 << 20, 'x')}});
  EXPECT_EQ(image.status, 413u) << image.body;
  EXPECT_EQ(files_in(upload_dir_), 0u);
}

TEST_F(uploads_api, an_oversized_part_is_refused_before_the_rest_of_the_body_arrives) {
  auto pro = make_user("professional");
  // The declared length fits the route (three files), but the first part alone is over 5 MB;
  // the rest of the body is never sent, so only an early answer can arrive.
  std::string head =
      "--zz\r\nContent-Disposition: form-data; name=\"dniImage\"; "
      "filename=\"dni.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
      pdf;
  raw_connection conn{port_};
  ASSERT_TRUE(
      conn.send("POST /api/uploads/professional-documents HTTP/1.1\r\nHost: x\r\n"
                "Authorization: Bearer " +
                token_for(pro) +
                "\r\n"
                "Content-Type: multipart/form-data; boundary=zz\r\n"
                "Content-Length: 12000000\r\n\r\n" +
                head + std::string(5 * 1024 * 1024 + 64 * 1024, 'x')));
  auto answer = conn.read_response();
  ASSERT_TRUE(answer) << "no answer before the body was complete";
  EXPECT_EQ(answer->status, 413u) << answer->body;
  EXPECT_NE(answer->body.find("dniImage"), std::string::npos) << answer->body;
  EXPECT_EQ(files_in(upload_dir_), 0u);
}

TEST_F(uploads_api, an_oversized_declared_length_is_refused_before_the_body_is_sent) {
  raw_connection conn{port_};
  ASSERT_TRUE(
      conn.send("POST /api/uploads/avatar HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: multipart/form-data; boundary=zz\r\n"
                "Content-Length: 3000000\r\n\r\n"));
  auto answer = conn.read_response();
  ASSERT_TRUE(answer) << "answered without a single body byte";
  EXPECT_EQ(answer->status, 413u) << answer->body;
  // The documents route accepts the same declared length (its limit is three files).
  raw_connection docs{port_};
  ASSERT_TRUE(
      docs.send("POST /api/uploads/professional-documents HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: multipart/form-data; boundary=zz\r\n"
                "Content-Length: 3000000\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = docs.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100u);
}

TEST_F(uploads_api, the_owner_and_admins_read_a_document_others_get_404_anonymous_401) {
  auto pro = make_user("professional");
  auto up = post_files(pro, documents, {{"collegiationCertificate", "colegiación.pdf", pdf}});
  ASSERT_EQ(up.status, 201u) << up.body;
  auto url = up.json["data"]["collegiationCertificate"]["url"].get<std::string>();
  for (const auto& reader : {pro, make_user("admin"), make_user("super_admin")}) {
    auto r = call(reader, "GET", url);
    ASSERT_EQ(r.status, 200u) << reader << " " << r.body;
    EXPECT_EQ(r.body, pdf);
    EXPECT_EQ(r.header("content-type"), "application/pdf");
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("content-disposition").rfind("attachment; filename=\"colegiaci", 0), 0u)
        << r.header("content-disposition");
  }
  for (const auto& other : {make_user("professional"), make_user("patient")})
    expect_error(call(other, "GET", url), 404, "UPLOAD_NOT_FOUND");
  expect_error(call("", "GET", url), 401, "TOKEN_MISSING");
}

TEST_F(uploads_api, an_avatar_becomes_the_users_avatar_url) {
  auto patient = make_user("patient");
  auto r = post_files(patient, avatar, {{"avatar", "yo.jpg", png, "image/jpeg"}});
  ASSERT_EQ(r.status, 201u) << r.body;
  auto url = r.json["data"]["url"].get<std::string>();
  EXPECT_EQ(r.json["data"]["mimetype"], "image/png");
  EXPECT_EQ(query_value("SELECT avatar_url FROM users WHERE id = $1", patient), url);
  auto read = call(patient, "GET", url);
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(read.body, png);
  EXPECT_EQ(read.header("content-disposition").rfind("inline;", 0), 0u);
  auto no_role = make_user("");
  EXPECT_EQ(post_files(no_role, avatar, {{"avatar", "a.png", png}}).status, 201u);
}

TEST_F(uploads_api, avatars_are_public_and_documents_never_are) {
  auto patient = make_user("patient");
  auto r = post_files(patient, avatar, {{"avatar", "yo.png", png}});
  ASSERT_EQ(r.status, 201u) << r.body;
  auto url = r.json["data"]["url"].get<std::string>();
  EXPECT_EQ(url.rfind("/api/avatars/", 0), 0u) << url;
  auto anonymous = call("", "GET", url);
  ASSERT_EQ(anonymous.status, 200u) << anonymous.body;
  EXPECT_EQ(anonymous.body, png);
  EXPECT_EQ(anonymous.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(call(make_user("patient"), "GET", url).status, 200u);

  auto pro = make_user("professional");
  auto doc = post_files(pro, documents, {{"dniImage", "dni.png", png}});
  ASSERT_EQ(doc.status, 201u) << doc.body;
  auto name = doc.json["data"]["dniImage"]["filename"].get<std::string>();
  expect_error(call("", "GET", "/api/avatars/" + name), 404, "UPLOAD_NOT_FOUND");
  expect_error(call(pro, "GET", "/api/avatars/" + name), 404, "UPLOAD_NOT_FOUND");
}

TEST_F(uploads_api, client_paths_never_reach_the_disk_and_traversal_reads_nothing) {
  std::ofstream{root_ / "secret.txt"} << "top secret";
  auto pro = make_user("professional");
  auto r = post_files(pro, documents, {{"dniImage", "../../secret.txt/../x.pdf", pdf}});
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(r.json["data"]["dniImage"]["originalName"], "x.pdf");
  EXPECT_TRUE(
      persistence::is_stored_name(r.json["data"]["dniImage"]["filename"].get<std::string>()));
  EXPECT_EQ(files_in(upload_dir_), 1u);
  for (const char* target :
       {"/api/uploads/../secret.txt", "/api/uploads/..%2fsecret.txt",
        "/api/uploads/%2e%2e%2fsecret.txt", "/api/uploads/%2e%2e", "/api/uploads/secret.txt",
        "/api/uploads/..%5csecret.txt", "/api/uploads/%2fetc%2fpasswd"}) {
    auto read = call(pro, "GET", target);
    EXPECT_TRUE(read.status == 404u || read.status == 400u) << target << " " << read.body;
    EXPECT_EQ(read.body.find("top secret"), std::string::npos) << target;
  }
}

TEST_F(uploads_api, who_may_upload_and_what_the_body_must_be) {
  auto patient = make_user("patient");
  expect_error(post_files(patient, documents, {{"dniImage", "a.pdf", pdf}}), 403, "FORBIDDEN");
  expect_error(post_files("", avatar, {{"avatar", "a.png", png}}), 401, "TOKEN_MISSING");
  expect_error(call_raw(patient, "POST", avatar, "{}", {{"Content-Type", "application/json"}}), 415,
               "UNSUPPORTED_MEDIA_TYPE");
  expect_error(call_raw(patient, "POST", avatar, "garbage",
                        {{"Content-Type", "multipart/form-data; boundary=zz"}}),
               400, "INVALID_MULTIPART");
  auto missing = post_files(patient, avatar, {});
  expect_error(missing, 422, "VALIDATION_ERROR");
}

}  // namespace
}  // namespace mundoctor::testing
