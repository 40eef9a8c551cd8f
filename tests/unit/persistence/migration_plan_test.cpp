#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "persistence/migration.hpp"

namespace mundoctor::persistence {
namespace {

std::string error_of(const std::vector<migration_source>& sources) {
  try {
    plan_migrations(sources);
  } catch (const migration_error& e) {
    return e.what();
  }
  return {};
}

TEST(plan_migrations, orders_by_version_whatever_the_input_order) {
  auto plan = plan_migrations({{"0010_later.sql", "SELECT 10"},
                               {"0002_users.sql", "SELECT 2"},
                               {"0001_extensions.sql", "SELECT 1"}});
  ASSERT_EQ(plan.size(), 3U);
  EXPECT_EQ(plan[0].version, 1);
  EXPECT_EQ(plan[0].name, "0001_extensions.sql");
  EXPECT_EQ(plan[1].version, 2);
  EXPECT_EQ(plan[2].version, 10);
  EXPECT_EQ(plan[2].sql, "SELECT 10");
}

TEST(plan_migrations, an_empty_list_is_an_empty_plan) { EXPECT_TRUE(plan_migrations({}).empty()); }

TEST(plan_migrations, rejects_duplicate_versions_naming_both_files) {
  auto msg = error_of({{"0003_a.sql", "SELECT 1"}, {"0003_b.sql", "SELECT 2"}});
  EXPECT_NE(msg.find("0003_a.sql"), std::string::npos) << msg;
  EXPECT_NE(msg.find("0003_b.sql"), std::string::npos) << msg;
}

TEST(plan_migrations, rejects_bad_names_naming_the_file) {
  for (const char* name : {"1_short.sql", "0001-dash.sql", "0001_Upper.sql", "0001_.sql",
                           "0001_name.SQL", "0001_name.sql.bak", "00001_five.sql",
                           "0001_with space.sql", "abcd_letters.sql", "0001_name"}) {
    auto msg = error_of({{"0001_good.sql", "SELECT 1"}, {name, "SELECT 2"}});
    EXPECT_NE(msg.find(name), std::string::npos) << name << ": " << msg;
  }
}

TEST(plan_migrations, accepts_lower_snake_names_with_digits) {
  auto plan = plan_migrations({{"0042_add_2fa_columns.sql", "SELECT 1"}});
  ASSERT_EQ(plan.size(), 1U);
  EXPECT_EQ(plan[0].version, 42);
}

TEST(plan_migrations, checksum_is_the_sha256_of_the_sql) {
  auto plan = plan_migrations({{"0001_a.sql", "abc"}});
  EXPECT_EQ(plan[0].checksum, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(plan_migrations, checksum_is_stable_and_changes_with_the_sql) {
  auto first = plan_migrations({{"0001_a.sql", "CREATE TABLE t (id int);"}});
  auto again = plan_migrations({{"0001_a.sql", "CREATE TABLE t (id int);"}});
  auto edited = plan_migrations({{"0001_a.sql", "CREATE TABLE t (id bigint);"}});
  EXPECT_EQ(first[0].checksum, again[0].checksum);
  EXPECT_NE(first[0].checksum, edited[0].checksum);
}

TEST(sha256_hex, known_vectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex(std::string("a\0b", 3)).size(), 64U);
  EXPECT_NE(sha256_hex(std::string("a\0b", 3)), sha256_hex("a"));
}

TEST(embedded_migrations, every_embedded_file_plans_cleanly) {
  auto plan = plan_migrations(embedded_migrations());
  EXPECT_EQ(plan.size(), embedded_migrations().size());
  for (std::size_t i = 0; i < plan.size(); ++i)
    EXPECT_EQ(plan[i].name, embedded_migrations()[i].name) << "embedded files are in name order";
}

}  // namespace
}  // namespace mundoctor::persistence
