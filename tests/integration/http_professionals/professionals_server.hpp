#pragma once

// End-to-end tests of the professional validation workflow and the professional directory
// reads, on the shared HTTP fixture (tests/support/http/api_fixture.hpp), with the runtime's
// upload directory in a fresh temporary directory, plus SQL helpers (upload rows, schedules) for
// what other endpoints provide.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

class professionals_test : public api_test {
 protected:
  /// Points the upload directory at upload_dir_; no user cache. A derived fixture that adds
  /// settings calls this first.
  void configure(config::settings& s) const override;
  void SetUp() override;
  void TearDown() override;

  /// A user who chose the professional role through POST /api/users/select-role.
  std::string make_applicant() const;

  /// An upload row owned by `owner` with `purpose`; returns its stored file name.
  std::string insert_upload(const std::string& owner, const std::string& purpose) const;
  /// The three documents of an application as the upload endpoint's URLs.
  nlohmann::json application(const std::string& owner) const;
  /// POST /api/uploads/professional-documents as `owner` with a small PDF for each of
  /// dniImage, universityDegree and collegiationCertificate; returns the response.
  http_result upload_documents(const std::string& owner) const;

  /// Monday..Sunday 08:00-20:00 Europe/Madrid, no minimum notice, auto-confirm, and one active
  /// 30-minute service; returns the service id.
  std::string open_practice(const std::string& professional_user) const;

  std::filesystem::path upload_dir_;  // temporary, removed after each test

 private:
  /// A new user with no role yet (status incomplete), with an email and a name; returns the id.
  std::string make_named_user(const std::string& prefix) const;
};

}  // namespace mundoctor::testing
