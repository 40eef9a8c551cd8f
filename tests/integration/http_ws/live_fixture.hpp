#pragma once

// Live updates end to end, on the shared HTTP fixture (tests/support/http/api_fixture.hpp): a
// bookable professional, WebSocket clients, and direct access to the hub (names::ws_hub) through
// the runtime's actor system.

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/live/ws_protocol.hpp"
#include "tests/support/http/api_fixture.hpp"
#include "tests/support/http/ws_client.hpp"

namespace mundoctor::testing {

class live_updates_test : public api_test {
 protected:
  void configure(config::settings& s) const override { s.shutdown_grace_ms = 5'000; }
  /// Starts the runtime and checks that the hub is published.
  void SetUp() override;
  /// Stops the runtime if a test has not (without expecting a drained stop).
  void TearDown() override { stop(); }

  /// Active and verified, working every day 08:00-20:00 Europe/Madrid, one 30-minute service,
  /// no minimum notice and no cancellation window.
  bookable_professional make_professional() const;
  /// Sets the account status of `user` ("suspended", "deleted", ...).
  void set_status(const std::string& user, const std::string& status) const;

  /// POST /api/appointments as the patient, at `start` (RFC 3339).
  http_result book(const std::string& patient, const bookable_professional& pro,
                   const std::string& start) const;
  /// DELETE /api/appointments/:id as `user`.
  http_result cancel(const std::string& user, const std::string& appointment_id) const;

  /// A WebSocket to /ws with ?token= (or no token when `token` is empty).
  std::unique_ptr<ws_client> connect(const std::string& token, int receive_buffer = 0) const;
  /// Sends a subscription and returns the confirmation (null JSON when none arrived).
  static nlohmann::json subscribe(ws_client& client, const std::string& topic);

  actors::ws_hub_stats hub_stats() const;
  void publish(const std::string& topic, const std::string& json) const;
};

/// Keys that public calendar events must never carry.
bool has_patient_data(const nlohmann::json& event);

}  // namespace mundoctor::testing
