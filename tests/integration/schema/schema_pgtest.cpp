// The schema's own guarantees, against a real PostgreSQL: the behaviour checks of
// persistence/migrations_check.sql, and the appointment exclusion constraint seen through the
// repository error mapping.

#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include <gtest/gtest.h>

#include "actors/protocol/errors.hpp"
#include "persistence/sql_errors.hpp"
#include "tests/support/test_env.hpp"

namespace {

using mundoctor::errc;
using mundoctor::inspect_error;

std::string read_file(const std::string& path) {
  std::ifstream in{path};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class schema : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_DATABASE();
    db_.emplace(mundoctor::testing::migrated_database());
    conn_.emplace(db_->url());
    pqxx::work w{*conn_};
    w.exec0(
        "INSERT INTO users (id, role, status, email) VALUES "
        "('user_pro', 'professional', 'active', 'pro@example.test'), "
        "('user_pat', 'patient', 'active', 'pat@example.test')");
    pro_ =
        w.exec1("INSERT INTO professional_profiles (user_id) VALUES ('user_pro') RETURNING id")[0]
            .as<std::string>();
    w.commit();
  }

  // Inserts one appointment; returns the mapped error code (errc::none when it committed).
  errc book(const std::string& from, const std::string& to, const std::string& status) {
    try {
      pqxx::work w{*conn_};
      w.exec_params0(
          "INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status) "
          "VALUES ($1, 'user_pat', $2, $3, $4)",
          pro_, from, to, status);
      w.commit();
      return errc::none;
    } catch (const std::exception& e) {
      return inspect_error(mundoctor::persistence::map_exception(e, "appointments.insert")).code;
    }
  }

  std::optional<mundoctor::testing::scratch_database> db_;
  std::optional<pqxx::connection> conn_;
  std::string pro_;
};

TEST_F(schema, behaviour_checks_of_migrations_check_sql_pass) {
  auto script = read_file(std::string{MUNDOCTOR_SOURCE_DIR} + "/persistence/migrations_check.sql");
  ASSERT_FALSE(script.empty());
  pqxx::nontransaction n{*conn_};
  EXPECT_NO_THROW(n.exec(script));
}

TEST_F(schema, an_overlapping_occupying_appointment_is_slot_taken) {
  ASSERT_EQ(book("2030-03-04 10:00+01", "2030-03-04 10:30+01", "confirmed"), errc::none);
  EXPECT_EQ(book("2030-03-04 10:15+01", "2030-03-04 10:45+01", "pending"), errc::slot_taken);
  EXPECT_EQ(book("2030-03-04 09:00+01", "2030-03-04 12:00+01", "in_progress"), errc::slot_taken);
}

TEST_F(schema, touching_and_cancelled_appointments_do_not_conflict) {
  ASSERT_EQ(book("2030-03-04 10:00+01", "2030-03-04 10:30+01", "confirmed"), errc::none);
  EXPECT_EQ(book("2030-03-04 10:30+01", "2030-03-04 11:00+01", "confirmed"), errc::none);
  EXPECT_EQ(book("2030-03-04 10:10+01", "2030-03-04 10:20+01", "cancelled"), errc::none);
}

TEST_F(schema, an_unknown_status_is_invalid_argument) {
  EXPECT_EQ(book("2030-03-05 10:00+01", "2030-03-05 10:30+01", "booked"), errc::invalid_argument);
}

TEST_F(schema, an_appointment_that_ends_before_it_starts_is_invalid_argument) {
  EXPECT_EQ(book("2030-03-05 10:30+01", "2030-03-05 10:00+01", "pending"), errc::invalid_argument);
}

}  // namespace
