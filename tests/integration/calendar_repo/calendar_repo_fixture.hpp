#pragma once

// A migrated scratch database and a direct connection for the calendar repository tests, plus
// helpers that create users, professionals and appointment drafts.

#include <chrono>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "actors/protocol/errors.hpp"
#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/sql_errors.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

using namespace std::chrono_literals;

/// Monday 2030-03-04 at `hour`:`minute` UTC (Madrid is UTC+1 then).
inline calendar::instant at(int hour, int minute = 0, int day = 4) {
  return date::sys_days{date::year{2030} / 3 / day} + std::chrono::hours{hour} +
         std::chrono::minutes{minute};
}

class calendar_repo : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_DATABASE();
    db_.emplace(migrated_database());
    conn_.emplace(db_->url());
    cipher_ = persistence::data_cipher::from_base64_key(
        persistence::encode_base64(std::string(32, 'k')), "k1");
  }

  void TearDown() override {
    conn_.reset();
    db_.reset();
  }

  pqxx::connection_base& conn() { return *conn_; }
  const persistence::data_cipher* cipher() const { return &*cipher_; }

  void exec(const std::string& sql) {
    pqxx::work tx{*conn_};
    tx.exec(sql);
    tx.commit();
  }

  template <class T, class... Ts>
  T scalar(const std::string& sql, Ts&&... params) {
    pqxx::work tx{*conn_};
    auto v = tx.exec_params1(sql, std::forward<Ts>(params)...)[0].template as<T>();
    tx.commit();
    return v;
  }

  void make_user(const std::string& id, const std::string& role,
                 const std::string& status = "active") {
    pqxx::work tx{*conn_};
    tx.exec_params(
        "INSERT INTO users (id, role, status, first_name, last_name, avatar_url)"
        " VALUES ($1, $2, $3, 'Ana', 'García', 'https://img.test/' || $1)",
        id, role, status);
    tx.commit();
  }

  void make_patient(const std::string& id) {
    make_user(id, "patient");
    exec("INSERT INTO patient_profiles (user_id) VALUES ('" + id + "')");
  }

  /// A professional (user + profile); returns the profile uuid.
  std::string make_professional(const std::string& user_id, bool verified = true,
                                const std::string& status = "active") {
    make_user(user_id, "professional", status);
    return scalar<std::string>(
        "INSERT INTO professional_profiles (user_id, verified, specialty_id)"
        " VALUES ($1, $2, md5('mundoctor.specialty:cardiologia')::uuid) RETURNING id::text",
        user_id, verified);
  }

  calendar::appointment draft(const std::string& pro, const std::string& patient,
                              calendar::instant start, int minutes = 30) {
    calendar::appointment a;
    a.professional_id = pro;
    a.patient_id = patient;
    a.starts_at = start;
    a.ends_at = start + std::chrono::minutes{minutes};
    a.created_by = patient;
    a.price_cents = 4500;
    return a;
  }

  /// The mundoctor error `fn` fails with, as the DB pool would report it.
  template <class Fn>
  error_info failure_of(Fn&& fn) {
    try {
      fn();
    } catch (const persistence::domain_error& e) {
      return inspect_error(e.to_error());
    } catch (const std::exception& e) {
      return inspect_error(persistence::map_exception(e, "test"));
    }
    ADD_FAILURE() << "expected a failure";
    return {errc::none, {}, {}, {}};
  }

  std::optional<scratch_database> db_;
  std::optional<pqxx::connection> conn_;
  std::optional<persistence::data_cipher> cipher_;
};

}  // namespace mundoctor::testing
