#pragma once

// End-to-end tests of the public directory search, on the shared HTTP fixture
// (tests/support/http/api_fixture.hpp): the scratch database is emptied of users before each
// test, helpers insert professionals with exactly the attributes a test needs, and calls go as
// anonymous or as a user.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

struct pro_spec {
  std::string first_name = "Ana";
  std::string last_name = "García";
  std::string specialty = "medicina-general";  // slug
  std::string city = "Madrid";
  std::optional<double> lat;
  std::optional<double> lng;
  double rating = 4.0;
  int reviews = 10;
  int64_t fee_cents = 5000;
  int experience = 10;
  std::string bio = "Consulta privada.";
  bool verified = true;
  std::string status = "active";
  /// (name, modalities as a PostgreSQL array literal); each one is active, 30 minutes.
  std::vector<std::pair<std::string, std::string>> services = {{"Consulta", "{in_person}"}};
  bool schedule = true;  // every day 08:00-20:00 Europe/Madrid, no minimum notice
};

class search_test : public api_test {
 protected:
  /// The runtime starts in SetUp, after the users are emptied.
  bool starts_in_set_up() const override { return false; }
  void SetUp() override;

  /// True for fixtures whose runtime uses the test Redis (skipped when it is not configured).
  virtual bool with_redis() const { return false; }

  /// Inserts a professional; returns the profile uuid. The user id is "user_" + the uuid's
  /// first 8 hex digits.
  std::string add_pro(const pro_spec& spec) const;
  std::string user_of(const std::string& profile) const;

  /// GET as anonymous; expects 200 and returns data.
  nlohmann::json get_data(const std::string& target) const;
  /// The ids of data.professionals of a search.
  std::vector<std::string> search_ids(const std::string& target) const;
};

}  // namespace mundoctor::testing
