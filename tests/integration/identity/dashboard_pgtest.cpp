// Dashboard figures computed from the database.

#include <string>

#include "tests/integration/identity/identity_fixture.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

class dashboard : public identity_fixture {
 protected:
  reply<std::string> section(const std::string& id, const std::string& which, int64_t limit = 10) {
    return ask<std::string>(users_, dashboard_atom::value, id, which, limit);
  }

  void make(const std::string& id, const std::string& role) {
    ASSERT_TRUE(resolve(id).value);
    ASSERT_TRUE(select(id, role).value);
  }

  // An appointment starting one hour into the current Europe/Madrid month.
  void book_this_month(const std::string& pro, const std::string& patient,
                       const std::string& status, int64_t price) {
    pqxx::work tx{*conn_};
    tx.exec_params(
        "INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status, "
        "price_cents) SELECT p.id, $2, m + interval '1 hour', m + interval '90 minutes', $3, $4 "
        "FROM professional_profiles p, (SELECT date_trunc('month', now() AT TIME ZONE "
        "'Europe/Madrid') AT TIME ZONE 'Europe/Madrid' AS m) b WHERE p.user_id = $1",
        pro, patient, status, price);
    tx.commit();
  }
};

TEST_F(dashboard, a_fresh_professional_has_zero_figures) {
  make("user_dpro", "professional");
  auto r = section("user_dpro", "stats");
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  auto s = r.json();
  EXPECT_EQ(s["totalPatients"], 0);
  EXPECT_EQ(s["monthlyAppointments"], 0);
  EXPECT_EQ(s["monthlyIncome"], 0);
  EXPECT_EQ(s["averageRating"], 0.0);
  EXPECT_EQ(s["trends"]["appointments"], 0);
  EXPECT_EQ(s["trends"]["income"], 0);
  auto list = section("user_dpro", "appointments");
  ASSERT_TRUE(list.value);
  EXPECT_EQ(list.json(), json::array());
}

TEST_F(dashboard, professional_figures_come_from_appointments) {
  make("user_dpro2", "professional");
  make("user_dpat2", "patient");
  book_this_month("user_dpro2", "user_dpat2", "completed", 4500);
  auto s = section("user_dpro2", "stats").json();
  EXPECT_EQ(s["totalPatients"], 1);
  EXPECT_EQ(s["monthlyAppointments"], 1);
  EXPECT_EQ(s["monthlyIncome"], 4500);
  EXPECT_TRUE(s["trends"]["income"].is_null());  // nothing last month: no percentage
  auto list = section("user_dpro2", "appointments").json();
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0]["patient"]["id"], "user_dpat2");
  EXPECT_EQ(list[0]["status"], "completed");
}

TEST_F(dashboard, a_fresh_patient_has_no_next_appointment) {
  make("user_dpat", "patient");
  auto r = section("user_dpat", "stats");
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  auto s = r.json();
  ASSERT_TRUE(s.contains("nextAppointment"));
  EXPECT_TRUE(s["nextAppointment"].is_null());
  EXPECT_EQ(s["reviewsCount"], 0);
  EXPECT_EQ(section("user_dpat", "reviews").json(), json::array());
}

TEST_F(dashboard, admin_counts_are_real) {
  exec(
      "INSERT INTO users (id, role, status, deleted_at) VALUES "
      "('user_root', 'admin', 'active', NULL), "
      "('user_p1', 'professional', 'pending_validation', NULL), "
      "('user_p2', 'professional', 'active', NULL), ('user_x1', 'patient', 'active', NULL), "
      "('user_gone', 'patient', 'deleted', now())");
  auto r = section("user_root", "stats");
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  auto s = r.json();
  EXPECT_EQ(s["total_users"], 4);
  EXPECT_EQ(s["total_professionals"], 2);
  EXPECT_EQ(s["pendingValidations"], 0);
  ASSERT_EQ(s["usersByMonth"].size(), 6U);
  EXPECT_EQ(s["usersByMonth"][5]["count"], 5);  // every row was created this month
  ASSERT_EQ(s["subscriptionsByMonth"].size(), 6U);
  EXPECT_EQ(s["subscriptionsByMonth"][5]["count"], 0);
}

TEST_F(dashboard, unknown_section_is_rejected) {
  make("user_dsec", "patient");
  auto r = section("user_dsec", "secrets");
  ASSERT_FALSE(r.value);
  EXPECT_EQ(r.code(), errc::invalid_argument);
}

}  // namespace
}  // namespace mundoctor::testing
