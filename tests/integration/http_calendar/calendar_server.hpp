#pragma once

// End-to-end tests of the calendar actors, on the shared HTTP fixture
// (tests/support/http/api_fixture.hpp): bookable professionals created with the persistence
// functions, and helpers to book, read availability and inspect the database.
//
// Test routes added through runtime's extra_routes (they reach the actors the way handlers do):
//   POST /test/calendars/:key/reload  (reload_atom) through the calendar registry; answers
//                                     {"reloaded": true} once the actor has reloaded its state
//   POST /test/calendars/:key/kill    routes an exit message (unhandled_exception) to the key's
//                                     calendar actor, as a crash would end it; answers at once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/protocol/calendar.hpp"
#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

constexpr auto madrid_zone = "Europe/Madrid";

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

class calendar_api : public api_test {
 protected:
  // -- runtime ---------------------------------------------------------------------------------
  /// Two HTTP threads, a pool of 4, high rate limits, a 5 s shutdown grace.
  void configure(config::settings& s) const override;
  void add_routes(http::router& r) override;

  // -- fixtures --------------------------------------------------------------------------------
  /// A bookable professional: active, verified, Monday..Sunday 08:00-20:00 Europe/Madrid, one
  /// 30-minute service, the given policy.
  bookable_professional make_professional(const professional_options& options = {});
  std::vector<std::string> make_patients(int n);

  // -- time ------------------------------------------------------------------------------------
  /// hour:minute on the Madrid date `days_ahead` days after today's Madrid date.
  static calendar::instant madrid(int days_ahead, int hour, int minute = 0);
  static std::string rfc3339(calendar::instant t);

  // -- HTTP ------------------------------------------------------------------------------------
  static nlohmann::json booking_body(const bookable_professional& pro, calendar::instant start);
  /// POST /api/appointments as `patient`.
  http_result book(const std::string& patient, const bookable_professional& pro,
                   calendar::instant start, const std::string& idempotency_key = "",
                   const std::string& hold_id = "") const;
  static booking_outcome outcome_of(const http_result& r);
  /// Free slot starts (RFC 3339, UTC) of the next `days` Madrid dates from today.
  std::vector<std::string> free_slots(const bookable_professional& pro, int days = 14) const;
  /// POST /test/calendars/<profile>/reload or /kill.
  http_result test_route(const bookable_professional& pro, const std::string& action) const;

  // -- database --------------------------------------------------------------------------------
  /// Pairs of occupying appointments of the professional whose occupied ranges overlap.
  int64_t overlapping_pairs(const std::string& profile_id) const;
  int64_t occupying_rows(const std::string& profile_id) const;
  /// Whether an occupying appointment with this id exists.
  bool occupying(const std::string& appointment_id) const;
};

/// Runs `fn(i)` for i in [0, n) on n threads released together; returns when all have ended.
void run_together(int n, const std::function<void(int)>& fn);

}  // namespace mundoctor::testing
