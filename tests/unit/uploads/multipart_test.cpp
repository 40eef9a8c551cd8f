// multipart/form-data parsing and type sniffing.

#include "http/multipart.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/sniff.hpp"

namespace mundoctor::http {
namespace {

const std::string boundary = "----b0undary";

std::string part(const std::string& headers, const std::string& body) {
  return "--" + boundary + "\r\n" + headers + "\r\n\r\n" + body + "\r\n";
}

std::string closing() { return "--" + boundary + "--\r\n"; }

TEST(multipart, reads_the_boundary_quoted_or_not_and_refuses_other_types) {
  EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""), "a b:c");
  EXPECT_FALSE(multipart_boundary("multipart/form-data"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary="));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x')));
  EXPECT_FALSE(multipart_boundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(multipart_boundary("application/json"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=\"abc"));
  EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=a;boundary=b"));
}

TEST(multipart, splits_files_and_text_fields_keeping_binary_bytes) {
  std::string bytes{"\x89PNG\r\n\x1A\n\0\r\n--x", 15};
  auto body = "preamble\r\n" +
              part(
                  "Content-Disposition: form-data; name=\"avatar\"; filename=\"me.png\"\r\n"
                  "Content-Type: IMAGE/PNG",
                  bytes) +
              part("content-disposition: form-data; name=note", "hola ñ") + closing() + "epilogue";
  auto r = parse_multipart(body, boundary);
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.parts.size(), 2u);
  EXPECT_EQ(r.parts[0].name, "avatar");
  EXPECT_EQ(r.parts[0].filename, "me.png");
  EXPECT_EQ(r.parts[0].content_type, "image/png");
  EXPECT_EQ(std::string{r.parts[0].body}, bytes);
  EXPECT_EQ(r.parts[1].name, "note");
  EXPECT_FALSE(r.parts[1].filename);
  EXPECT_EQ(std::string{r.parts[1].body}, "hola ñ");
}

TEST(multipart, keeps_windows_paths_and_escaped_quotes_in_file_names) {
  auto body =
      part("Content-Disposition: form-data; name=\"f\"; filename=\"C:\\dir\\a\\\"b.pdf\"", "x") +
      closing();
  auto r = parse_multipart(body, boundary);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.parts.at(0).filename, "C:\\dir\\a\"b.pdf");
}

TEST(multipart, malformed_bodies_are_errors_not_crashes) {
  const std::string cd = "Content-Disposition: form-data; name=\"f\"";
  for (const std::string& body : {
           std::string{},
           std::string{"no boundary here"},
           "--" + boundary,                                    // nothing after the delimiter
           "--" + boundary + "\r\n" + cd,                      // headers never end
           "--" + boundary + "\r\n" + cd + "\r\n\r\nbody",     // no closing delimiter
           part("Content-Type: text/plain", "x") + closing(),  // no Content-Disposition
           part("Content-Disposition: attachment; name=\"f\"", "x") + closing(),
           part("Content-Disposition: form-data; filename=\"a\"", "x") + closing(),
           part("Content-Disposition: form-data; name=\"f", "x") + closing(),
           part("Content-Disposition: form-data; name=\"\"", "x") + closing(),
           part("no colon", "x") + closing(),
           part(cd + "\r\nContent-Disposition: form-data; name=\"g\"", "x") + closing(),
           "--" + boundary + "junk\r\n" + cd + "\r\n\r\nx\r\n" + closing(),
       }) {
    auto r = parse_multipart(body, boundary);
    EXPECT_FALSE(r.ok()) << body;
    EXPECT_TRUE(r.parts.empty());
  }
}

TEST(multipart, limits_the_number_of_parts_and_the_size_of_part_headers) {
  std::string body;
  for (int i = 0; i < 3; ++i) body += part("Content-Disposition: form-data; name=\"f\"", "x");
  body += closing();
  multipart_limits small;
  small.max_parts = 2;
  EXPECT_FALSE(parse_multipart(body, boundary, small).ok());
  small.max_parts = 3;
  small.max_part_header_bytes = 10;
  EXPECT_FALSE(parse_multipart(body, boundary, small).ok());
  EXPECT_EQ(parse_multipart(body, boundary).parts.size(), 3u);
}

TEST(multipart, an_empty_form_has_no_parts) {
  auto r = parse_multipart(closing(), boundary);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(r.parts.empty());
}

// A body of parts with `sizes` bytes of content each, fed to a guard in chunks of `chunk`.
bool guard_accepts(const std::vector<std::size_t>& sizes, std::size_t limit, std::size_t chunk) {
  std::string body;
  for (std::size_t i = 0; i < sizes.size(); ++i)
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
            "\"; filename=\"a.bin\"\r\n\r\n" + std::string(sizes[i], 'x') + "\r\n";
  body += "--" + boundary + "--\r\n";
  multipart_size_guard guard{boundary, limit};
  bool ok = true;
  for (std::size_t at = 0; at < body.size(); at += chunk)
    ok = guard.feed(std::string_view{body}.substr(at, chunk)) && ok;
  return ok;
}

TEST(multipart, the_size_guard_refuses_an_oversized_part_while_the_body_arrives) {
  constexpr std::size_t limit = 50'000;
  for (std::size_t chunk : {1u, 7u, 16u, 4096u, 1'000'000u}) {
    EXPECT_TRUE(guard_accepts({limit, limit, limit}, limit, chunk)) << chunk;
    EXPECT_TRUE(guard_accepts({0, 10, limit}, limit, chunk)) << chunk;
    EXPECT_FALSE(guard_accepts({10, limit + 9'000, 10}, limit, chunk)) << chunk;
    EXPECT_FALSE(guard_accepts({limit + 9'000}, limit, chunk)) << chunk;
  }
  // The refused part is named when its headers arrived in one piece.
  multipart_size_guard named{boundary, 100};
  EXPECT_TRUE(named.feed("--" + boundary +
                         "\r\nContent-Disposition: form-data; name=\"dniImage\"; "
                         "filename=\"a.pdf\"\r\n\r\n%PDF"));
  EXPECT_FALSE(named.feed(std::string(9'000, 'x')));
  EXPECT_EQ(named.field(), "dniImage");
  // Once refused, it stays refused.
  multipart_size_guard guard{boundary, 10};
  EXPECT_FALSE(guard.feed(std::string(20'000, 'x')));
  EXPECT_FALSE(guard.feed("--" + boundary));
}

TEST(sniff, decides_by_magic_bytes_only) {
  EXPECT_EQ(sniff_file_type("\xFF\xD8\xFF\xE0rest"), file_type::jpeg);
  EXPECT_EQ(sniff_file_type("\x89PNG\r\n\x1A\nIHDR"), file_type::png);
  EXPECT_EQ(sniff_file_type("%PDF-1.7\n"), file_type::pdf);
  EXPECT_EQ(sniff_file_type("#!/bin/sh\necho %PDF-"), file_type::unknown);
  EXPECT_EQ(sniff_file_type("\x89PNG\r\n"), file_type::unknown);  // truncated signature
  EXPECT_EQ(sniff_file_type(" %PDF-1.7"), file_type::unknown);
  EXPECT_EQ(sniff_file_type(""), file_type::unknown);
  EXPECT_EQ(mime_type_of(file_type::pdf), "application/pdf");
  EXPECT_EQ(extension_of(file_type::jpeg), "jpg");
  EXPECT_EQ(mime_type_of(file_type::unknown), "");
}

}  // namespace
}  // namespace mundoctor::http
