#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "persistence/migration.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::persistence {
namespace {

using mundoctor::testing::scratch_database;

class migrations : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_DATABASE();
    db_.emplace(*mundoctor::testing::test_database_admin_url());
    conn_.emplace(db_->url());
  }
  void TearDown() override {
    conn_.reset();
    db_.reset();
  }

  int count(const std::string& sql) {
    pqxx::nontransaction tx{*conn_};
    return tx.exec1(sql)[0].as<int>();
  }

  std::optional<scratch_database> db_;
  std::optional<pqxx::connection> conn_;
};

std::vector<migration_source> small_set() {
  return {{"0001_items.sql", "CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL);"},
          {"0002_item_rows.sql",
           "INSERT INTO items VALUES (1, 'one');\nINSERT INTO items VALUES (2, 'two');"}};
}

TEST_F(migrations, apply_on_an_empty_database_then_a_second_run_applies_nothing) {
  auto plan = plan_migrations(small_set());
  EXPECT_FALSE(migrations_current(*conn_, plan));

  auto first = apply_migrations(*conn_, plan);
  EXPECT_EQ(first.applied, 2);
  EXPECT_EQ(first.already_applied, 0);
  EXPECT_EQ(first.latest_version, 2);
  EXPECT_EQ(count("SELECT count(*) FROM items"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), 2);
  EXPECT_TRUE(migrations_current(*conn_, plan));

  auto second = apply_migrations(*conn_, plan);
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.already_applied, 2);
  EXPECT_EQ(second.latest_version, 2);
  EXPECT_EQ(count("SELECT count(*) FROM items"), 2) << "the data migration ran only once";
}

TEST_F(migrations, records_name_and_checksum) {
  auto plan = plan_migrations(small_set());
  apply_migrations(*conn_, plan);
  pqxx::nontransaction tx{*conn_};
  auto row = tx.exec1("SELECT name, checksum FROM schema_migrations WHERE version = 1");
  EXPECT_EQ(row[0].as<std::string>(), "0001_items.sql");
  EXPECT_EQ(row[1].as<std::string>(), plan[0].checksum);
}

TEST_F(migrations, a_new_migration_is_applied_on_top_of_earlier_ones) {
  auto sources = small_set();
  apply_migrations(*conn_, plan_migrations({sources[0]}));
  auto report = apply_migrations(*conn_, plan_migrations(sources));
  EXPECT_EQ(report.applied, 1);
  EXPECT_EQ(report.already_applied, 1);
  EXPECT_EQ(count("SELECT count(*) FROM items"), 2);
}

TEST_F(migrations, a_changed_applied_migration_is_refused) {
  auto sources = small_set();
  apply_migrations(*conn_, plan_migrations({sources[0]}));
  sources[0].sql = "CREATE TABLE items (id bigint PRIMARY KEY, label text NOT NULL);";
  auto plan = plan_migrations(sources);
  EXPECT_FALSE(migrations_current(*conn_, plan));
  try {
    apply_migrations(*conn_, plan);
    FAIL() << "a changed migration was accepted";
  } catch (const migration_error& e) {
    EXPECT_STREQ(e.what(),
                 "migration 0001_items.sql was changed after it was applied (checksum mismatch)");
  }
  EXPECT_EQ(count("SELECT count(*) FROM items"), 0) << "nothing after the refusal was applied";
}

TEST_F(migrations, a_failing_migration_is_rolled_back_and_named_with_its_sqlstate) {
  auto sources = small_set();
  sources.push_back({"0003_broken.sql", "CREATE TABLE broken (id int);\nSELEC 1;"});
  try {
    apply_migrations(*conn_, plan_migrations(sources));
    FAIL() << "a broken migration was accepted";
  } catch (const migration_error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("0003_broken.sql"), std::string::npos) << msg;
    EXPECT_NE(msg.find("42601"), std::string::npos) << msg;
  }
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"), 2) << "earlier ones stay applied";
  EXPECT_EQ(count("SELECT count(*) FROM pg_tables WHERE tablename = 'broken'"), 0);
}

TEST_F(migrations, the_advisory_lock_is_released_after_a_run) {
  apply_migrations(*conn_, plan_migrations(small_set()));
  EXPECT_EQ(count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), 0);
}

TEST_F(migrations, embedded_migrations_apply_and_are_then_current) {
  auto plan = plan_migrations(embedded_migrations());
  auto first = apply_migrations(*conn_, plan);
  EXPECT_EQ(first.applied, static_cast<int>(plan.size()));
  EXPECT_TRUE(migrations_current(*conn_, plan));
  auto second = apply_migrations(*conn_, plan);
  EXPECT_EQ(second.applied, 0);
  EXPECT_EQ(second.already_applied, static_cast<int>(plan.size()));
}

TEST(migrated_database, has_every_embedded_migration) {
  REQUIRE_DATABASE();
  auto db = mundoctor::testing::migrated_database();
  pqxx::connection conn{db.url()};
  EXPECT_TRUE(migrations_current(conn, plan_migrations(embedded_migrations())));
}

}  // namespace
}  // namespace mundoctor::persistence
