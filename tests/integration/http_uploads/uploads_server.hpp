#pragma once

// End-to-end tests of the uploads endpoints, on the shared HTTP fixture
// (tests/support/http/api_fixture.hpp), with the runtime's upload directory in a fresh temporary
// directory and multipart bodies built by the test.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

struct form_file {
  std::string field;
  std::string filename;
  std::string bytes;
  std::string content_type = "application/octet-stream";
};

class uploads_test : public api_test {
 protected:
  /// Creates root_ and points the upload directory at root_/uploads; no user cache.
  void configure(config::settings& s) const override;
  void SetUp() override;
  void TearDown() override;

  using api_test::make_user;
  /// A new active user with `role` ("" = no role yet); returns the user id.
  std::string make_user(const std::string& role) const;

  /// A multipart/form-data POST as `user` (empty = no token).
  http_result post_files(const std::string& user, const std::string& target,
                         const std::vector<form_file>& files) const;
  /// Any request as `user`, with raw headers and body.
  http_result call_raw(const std::string& user, const std::string& method,
                       const std::string& target, const std::string& body = "",
                       header_fields headers = {}) const;

  std::filesystem::path root_;        // temporary; removed after each test
  std::filesystem::path upload_dir_;  // root_/uploads
};

}  // namespace mundoctor::testing
