#include "persistence/sql_errors.hpp"

#include <pqxx/except>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "actors/protocol/errors.hpp"

namespace mundoctor::persistence {
namespace {

errc code_of(const caf::error& err) { return inspect_error(err).code; }

struct state_case {
  const char* sqlstate;
  errc expected;
};

class sql_state_mapping : public ::testing::TestWithParam<state_case> {};

TEST_P(sql_state_mapping, maps_the_sqlstate_to_its_error_code) {
  auto c = GetParam();
  EXPECT_EQ(code_of(map_sql_error(c.sqlstate, "test.query")), c.expected) << c.sqlstate;
}

INSTANTIATE_TEST_SUITE_P(
    table, sql_state_mapping,
    ::testing::Values(
        state_case{"23505", errc::already_exists}, state_case{"23P01", errc::slot_taken},
        state_case{"23503", errc::not_found}, state_case{"23514", errc::invalid_argument},
        state_case{"23502", errc::invalid_argument}, state_case{"22001", errc::invalid_argument},
        state_case{"22P02", errc::invalid_argument}, state_case{"40001", errc::storage_busy},
        state_case{"40P01", errc::storage_busy}, state_case{"08006", errc::storage_unavailable},
        state_case{"08001", errc::storage_unavailable},
        state_case{"57P01", errc::storage_unavailable}, state_case{"42601", errc::internal},
        state_case{"42P01", errc::internal}, state_case{"", errc::internal}));

TEST(sql_errors, slot_taken_carries_its_machine_code) {
  EXPECT_EQ(inspect_error(map_sql_error("23P01", "appointments.insert")).machine_code,
            "SLOT_TAKEN");
}

TEST(sql_errors, client_message_never_contains_sql_or_parameters) {
  pqxx::unique_violation e{
      "ERROR: duplicate key value violates unique constraint \"users_email\""
      " DETAIL: Key (email)=(ana@example.org) already exists.",
      "INSERT INTO users (email) VALUES ('ana@example.org')", "23505"};
  auto info = inspect_error(map_exception(e, "users.insert"));
  EXPECT_EQ(info.code, errc::already_exists);
  EXPECT_FALSE(info.message.empty());
  EXPECT_EQ(info.message.find("ana@example.org"), std::string::npos);
  EXPECT_EQ(info.message.find("INSERT"), std::string::npos);
  EXPECT_EQ(info.details.find("ana@example.org"), std::string::npos);
}

TEST(sql_errors, libpqxx_exceptions_map_by_their_sqlstate) {
  EXPECT_EQ(code_of(map_exception(pqxx::foreign_key_violation{"x", "q", "23503"}, "q")),
            errc::not_found);
  EXPECT_EQ(code_of(map_exception(pqxx::check_violation{"x", "q", "23514"}, "q")),
            errc::invalid_argument);
  EXPECT_EQ(code_of(map_exception(pqxx::sql_error{"x", "q", "23P01"}, "q")), errc::slot_taken);
}

TEST(sql_errors, rollback_exceptions_without_sqlstate_are_storage_busy) {
  EXPECT_EQ(code_of(map_exception(pqxx::serialization_failure{"x"}, "q")), errc::storage_busy);
  EXPECT_EQ(code_of(map_exception(pqxx::deadlock_detected{"x"}, "q")), errc::storage_busy);
}

TEST(sql_errors, lost_connections_are_storage_unavailable) {
  EXPECT_EQ(code_of(map_exception(pqxx::broken_connection{"x"}, "q")), errc::storage_unavailable);
  EXPECT_EQ(code_of(map_exception(pqxx::in_doubt_error{"x"}, "q")), errc::storage_unavailable);
  EXPECT_EQ(code_of(map_exception(pqxx::statement_completion_unknown{"x"}, "q")),
            errc::storage_unavailable);
}

TEST(sql_errors, other_exceptions_are_internal) {
  EXPECT_EQ(code_of(map_exception(std::runtime_error{"boom"}, "q")), errc::internal);
  EXPECT_EQ(code_of(map_exception(pqxx::conversion_error{"bad int"}, "q")), errc::internal);
  EXPECT_EQ(inspect_error(map_exception(std::runtime_error{"secret detail"}, "q"))
                .message.find("secret detail"),
            std::string::npos);
}

}  // namespace
}  // namespace mundoctor::persistence
