// Upload request checks, display names and the file store.

#include "http/routes/upload_requests.hpp"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "persistence/uploads/upload_store.hpp"

namespace mundoctor::http {
namespace {

const std::string pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
const std::string png = std::string{"\x89PNG\r\n\x1A\n", 8} + "IHDR....";

struct file_part {
  std::string field;
  std::string filename;
  std::string bytes;
};

request multipart_request(const std::vector<file_part>& parts) {
  request req;
  req.method = verb::post;
  req.headers.set("content-type", "multipart/form-data; boundary=XyZ");
  for (const auto& p : parts)
    req.body += "--XyZ\r\nContent-Disposition: form-data; name=\"" + p.field + "\"; filename=\"" +
                p.filename + "\"\r\nContent-Type: image/png\r\n\r\n" + p.bytes + "\r\n";
  req.body += "--XyZ--\r\n";
  return req;
}

TEST(upload_check, a_pdf_named_png_is_a_pdf_document) {
  auto check = check_upload(multipart_request({{"dniImage", "dni.png", pdf}}), documents_spec());
  ASSERT_TRUE(check.ok()) << check.message;
  ASSERT_EQ(check.files.size(), 1u);
  EXPECT_EQ(check.files[0].type, file_type::pdf);
  EXPECT_EQ(check.files[0].purpose, "dni");
  EXPECT_EQ(check.files[0].original_name, "dni.png");
}

TEST(upload_check, a_pdf_avatar_and_a_script_document_are_unsupported_media_types) {
  auto avatar = check_upload(multipart_request({{"avatar", "me.png", pdf}}), avatar_spec());
  EXPECT_EQ(avatar.code, errc::unsupported_media_type);
  EXPECT_EQ(avatar.metadata["field"], "avatar");
  auto script = check_upload(multipart_request({{"universityDegree", "t.pdf", "#!/bin/sh\nrm"}}),
                             documents_spec());
  EXPECT_EQ(script.code, errc::unsupported_media_type);
  EXPECT_EQ(script.message, "universityDegree must be a JPEG, PNG or PDF file");
}

TEST(upload_check, a_file_over_its_limit_is_413_naming_the_field) {
  auto big = pdf + std::string(document_file_limit, 'x');
  auto check = check_upload(
      multipart_request({{"dniImage", "a.pdf", pdf}, {"collegiationCertificate", "b.pdf", big}}),
      documents_spec());
  EXPECT_EQ(check.code, errc::payload_too_large);
  EXPECT_EQ(check.metadata["field"], "collegiationCertificate");
}

TEST(upload_check, content_type_and_framing_problems) {
  auto req = multipart_request({{"avatar", "a.png", png}});
  req.headers.set("content-type", "application/json");
  EXPECT_EQ(check_upload(req, avatar_spec()).code, errc::unsupported_media_type);
  req.headers.set("content-type", "multipart/form-data");
  EXPECT_EQ(check_upload(req, avatar_spec()).code, errc::bad_request);
  req.headers.set("content-type", "multipart/form-data; boundary=other");
  EXPECT_EQ(check_upload(req, avatar_spec()).code, errc::bad_request);
}

TEST(upload_check, missing_empty_repeated_and_unknown_files_are_validation_errors) {
  auto none = check_upload(multipart_request({}), documents_spec());
  EXPECT_EQ(none.code, errc::invalid_argument);
  EXPECT_EQ(none.metadata["validationErrors"].size(), 3u);
  auto empty = check_upload(multipart_request({{"avatar", "a.png", ""}}), avatar_spec());
  EXPECT_EQ(empty.code, errc::invalid_argument);
  auto unselected =
      check_upload(multipart_request({{"dniImage", "", ""}, {"universityDegree", "d.pdf", pdf}}),
                   documents_spec());
  ASSERT_TRUE(unselected.ok()) << "an input left empty in a browser form is no file";
  EXPECT_EQ(unselected.files.size(), 1u);
  auto twice = check_upload(multipart_request({{"avatar", "a.png", png}, {"avatar", "b", png}}),
                            avatar_spec());
  EXPECT_EQ(twice.code, errc::invalid_argument);
  auto unknown = check_upload(multipart_request({{"avatar", "a.png", png}, {"x", "b.png", png}}),
                              avatar_spec());
  EXPECT_EQ(unknown.code, errc::invalid_argument);
  EXPECT_EQ(unknown.metadata["validationErrors"][0]["field"], "x");
}

TEST(display_name, keeps_only_the_last_path_component_and_clean_utf8) {
  EXPECT_EQ(display_name(std::string{"../../etc/passwd"}, "f", "pdf"), "passwd");
  EXPECT_EQ(display_name(std::string{"C:\\Users\\ana\\título.pdf"}, "f", "pdf"), "título.pdf");
  EXPECT_EQ(display_name(std::string{"a\r\nb\x01.png"}, "f", "png"), "ab.png");
  EXPECT_EQ(display_name(std::string{"bad\xff\xfe.pdf"}, "f", "pdf"), "bad__.pdf");
  EXPECT_EQ(display_name(std::string{"../.."}, "dniImage", "pdf"), "dniImage.pdf");
  EXPECT_EQ(display_name(std::nullopt, "avatar", "png"), "avatar.png");
  EXPECT_EQ(display_name(std::string(600, 'a'), "f", "pdf").size(), 255u);
}

TEST(content_disposition, quotes_nothing_the_client_could_break_out_of) {
  EXPECT_EQ(content_disposition("a\"b;ñ.pdf", false),
            "attachment; filename=\"a_b___.pdf\"; filename*=UTF-8''a%22b%3B%C3%B1.pdf");
  EXPECT_EQ(content_disposition("me.png", true),
            "inline; filename=\"me.png\"; filename*=UTF-8''me.png");
}

class upload_store : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mundoctor-upload-test-" + persistence::new_stored_name("d"));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(upload_store, writes_private_files_in_a_private_directory_and_reads_them_back) {
  auto dir = (dir_ / "nested").string();
  auto name = persistence::new_stored_name("pdf");
  ASSERT_TRUE(persistence::is_stored_name(name)) << name;
  persistence::write_upload(dir, name, pdf);
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir + "/" + name).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(persistence::read_upload(dir, name, 1024), pdf);
  EXPECT_FALSE(persistence::read_upload(dir, name, 4)) << "larger than the limit";
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1u) << "no temporary file is left";
  persistence::remove_upload(dir, name);
  EXPECT_FALSE(persistence::read_upload(dir, name, 1024));
}

TEST_F(upload_store, never_touches_names_it_did_not_generate) {
  std::filesystem::create_directories(dir_);
  std::ofstream{dir_ / "secret.txt"} << "x";
  auto dir = (dir_ / "uploads").string();
  for (const char* name :
       {"../secret.txt", "..", "secret.txt", "/etc/passwd", "0123456789abcdef0123456789abcdef.exe",
        "0123456789ABCDEF0123456789abcdef.pdf"}) {
    EXPECT_FALSE(persistence::is_stored_name(name)) << name;
    EXPECT_FALSE(persistence::read_upload(dir, name, 1024)) << name;
    EXPECT_THROW(persistence::write_upload(dir, name, "x"), std::invalid_argument) << name;
  }
  EXPECT_EQ(persistence::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace mundoctor::http
