#pragma once

// End-to-end tests of the calendar actors: a real runtime on 127.0.0.1:<ephemeral> over a
// migrated scratch database shared by the test suite, RS256 session tokens minted with a key
// pair generated once per test binary, bookable professionals created with the persistence
// functions, and helpers to book, read availability and inspect the database.
//
// Test routes added through runtime's extra_routes (they reach the actors the way handlers do):
//   POST /test/calendars/:key/reload  (reload_atom) through the calendar registry; answers
//                                     {"reloaded": true} once the actor has reloaded its state
//   POST /test/calendars/:key/kill    routes an exit message (unhandled_exception) to the key's
//                                     calendar actor, as a crash would end it; answers at once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/protocol/calendar.hpp"
#include "config/settings.hpp"
#include "http/runtime.hpp"
#include "tests/support/http/test_client.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

constexpr auto calendar_ops_token = "ops-token-for-calendar-tests";
constexpr auto calendar_issuer = "https://clerk.test.calendar";
constexpr auto madrid_zone = "Europe/Madrid";

/// A professional set up for booking: user id, profile uuid and one service.
struct test_professional {
  std::string user_id;
  std::string profile_id;
  std::string service_id;
};

struct professional_options {
  calendar::booking_policy policy = default_policy();
  bool verified = true;
  bool service_active = true;

  /// Step 30, no minimum notice, horizon 60 days, no buffers, no auto-confirm.
  static calendar::booking_policy default_policy() {
    calendar::booking_policy p;
    p.slot_step_minutes = 30;
    p.min_notice_minutes = 0;
    p.horizon_days = 60;
    return p;
  }
};

/// One booking attempt as the client saw it.
struct booking_outcome {
  unsigned status = 0;  // 0: no HTTP answer (connection failed or cut)
  std::string code;     // error envelope code
  std::string id;       // appointment id of a 201
};

class calendar_api : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  void SetUp() override;
  void TearDown() override;

  // -- runtime ---------------------------------------------------------------------------------
  /// The settings of these tests: test env, the binary's token key, high rate limits.
  config::settings calendar_settings() const;
  /// Starts a runtime with settings_ and waits until every service is published.
  void start();
  /// Graceful stop of the current runtime; true when every request finished in time.
  bool stop();
  uint16_t port() const { return port_; }

  // -- fixtures --------------------------------------------------------------------------------
  /// A bookable professional: active, verified, Monday..Sunday 08:00-20:00 Europe/Madrid, one
  /// 30-minute service, the given policy.
  test_professional make_professional(const professional_options& options = {});
  /// A new active patient; returns the user id.
  std::string make_patient();
  std::vector<std::string> make_patients(int n);

  // -- time ------------------------------------------------------------------------------------
  /// hour:minute on the Madrid date `days_ahead` days after today's Madrid date.
  static calendar::instant madrid(int days_ahead, int hour, int minute = 0);
  static std::string rfc3339(calendar::instant t);

  // -- HTTP ------------------------------------------------------------------------------------
  std::string token_for(const std::string& user) const;
  /// A request as `user` (empty: no token) with a JSON body (null: none).
  http_result call(const std::string& method, const std::string& target, const std::string& user,
                   const nlohmann::json& body = nullptr, const header_fields& extra = {}) const;
  static nlohmann::json booking_body(const test_professional& pro, calendar::instant start);
  /// POST /api/appointments as `patient`.
  http_result book(const std::string& patient, const test_professional& pro,
                   calendar::instant start, const std::string& idempotency_key = "",
                   const std::string& hold_id = "") const;
  static booking_outcome outcome_of(const http_result& r);
  /// Free slot starts (RFC 3339, UTC) of the next `days` Madrid dates from today.
  std::vector<std::string> free_slots(const test_professional& pro, int days = 14) const;
  http_result ops_get(const std::string& target) const;
  /// POST /test/calendars/<profile>/reload or /kill.
  http_result test_route(const test_professional& pro, const std::string& action) const;

  // -- database --------------------------------------------------------------------------------
  const std::string& database_url() const;
  int64_t count(const std::string& sql, const std::string& param) const;
  void exec(const std::string& sql, const std::string& param) const;
  /// Pairs of occupying appointments of the professional whose occupied ranges overlap.
  int64_t overlapping_pairs(const std::string& profile_id) const;
  int64_t occupying_rows(const std::string& profile_id) const;
  /// Whether an occupying appointment with this id exists.
  bool occupying(const std::string& appointment_id) const;

  config::settings settings_;

 private:
  std::unique_ptr<http::runtime> runtime_;
  uint16_t port_ = 0;

  static std::unique_ptr<scratch_database> database_;
  static std::string database_error_;
};

/// Runs `fn(i)` for i in [0, n) on n threads released together; returns when all have ended.
void run_together(int n, const std::function<void(int)>& fn);

}  // namespace mundoctor::testing
