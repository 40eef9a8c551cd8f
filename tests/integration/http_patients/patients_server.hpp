#pragma once

// End-to-end tests of the patient side (profile, history, medical records, favourites,
// emergency contacts), on the shared HTTP fixture (tests/support/http/api_fixture.hpp), plus
// appointments and names written straight into the database.

#include <string>

#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

class patients_test : public api_test {
 protected:
  /// An appointment between them `days_ago` days ago (negative: in the future), inserted
  /// directly with `status`; returns its id.
  std::string make_appointment(const std::string& patient, const std::string& professional,
                               const std::string& status, int days_ago) const;
  /// Sets the user's first and last name.
  void name_user(const std::string& user, const std::string& first, const std::string& last) const;
};

}  // namespace mundoctor::testing
