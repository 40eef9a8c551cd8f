#pragma once

// Live updates end to end: a real runtime on 127.0.0.1:<ephemeral> over a migrated scratch
// database shared by the suite, RS256 tokens minted with a key pair generated once per binary,
// a bookable professional set up through the repositories, WebSocket clients, and direct access
// to the hub (names::ws_hub) through the runtime's actor system.

#include <cstdint>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "actors/live/ws_protocol.hpp"
#include "config/settings.hpp"
#include "http/runtime.hpp"
#include "tests/support/http/test_client.hpp"
#include "tests/support/http/ws_client.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::testing {

struct bookable_professional {
  std::string user_id;
  std::string profile_id;  // professional_profiles.id (uuid)
  std::string service_id;
};

class live_updates_test : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

  void SetUp() override;
  void TearDown() override;

  /// A user id unique to this run.
  static std::string unique_user(const std::string& prefix);
  /// A valid session token for `sub` (no database row needed to verify it).
  static std::string token_for(const std::string& sub);

  /// Active and verified, working every day 08:00-20:00 Europe/Madrid, one 30-minute service,
  /// no minimum notice and no cancellation window.
  bookable_professional make_professional() const;
  /// An active patient.
  std::string make_patient() const;
  /// Sets the account status of `user` ("suspended", "deleted", ...).
  void set_status(const std::string& user, const std::string& status) const;

  /// POST /api/appointments as the patient, at `start` (RFC 3339).
  http_result book(const std::string& patient, const bookable_professional& pro,
                   const std::string& start) const;
  /// DELETE /api/appointments/:id as `user`.
  http_result cancel(const std::string& user, const std::string& appointment_id) const;
  /// 10:00 UTC, `days` days from today.
  static std::string start_in_days(int days);

  /// A WebSocket to /ws with ?token= (or no token when `token` is empty).
  std::unique_ptr<ws_client> connect(const std::string& token, int receive_buffer = 0) const;
  /// Sends a subscription and returns the confirmation (null JSON when none arrived).
  static nlohmann::json subscribe(ws_client& client, const std::string& topic);

  actors::ws_hub_stats hub_stats() const;
  void publish(const std::string& topic, const std::string& json) const;

  /// Graceful stop of the runtime; true when everything finished in time.
  bool stop_server();

  config::settings settings_;
  std::unique_ptr<http::runtime> runtime_;
  uint16_t port_ = 0;

 private:
  static std::unique_ptr<scratch_database> database_;
  static std::string database_error_;
};

/// Keys that public calendar events must never carry.
bool has_patient_data(const nlohmann::json& event);

}  // namespace mundoctor::testing
