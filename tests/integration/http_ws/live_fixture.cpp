#include "tests/integration/http_ws/live_fixture.hpp"

#include <chrono>
#include <stdexcept>

#include <caf/all.hpp>

#include "actors/protocol/names.hpp"

namespace mundoctor::testing {

namespace {

caf::actor hub_of(http::runtime& runtime) {
  auto hub = caf::actor_cast<caf::actor>(runtime.system().registry().get(names::ws_hub));
  if (!hub) throw std::runtime_error("no hub");
  return hub;
}

}  // namespace

void live_updates_test::SetUp() {
  api_test::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  // start() has waited until the supervisor published every service.
  ASSERT_TRUE(runtime().system().registry().get(names::ws_hub)) << "the hub was not published";
}

bookable_professional live_updates_test::make_professional() const {
  calendar::service_info service;
  service.name = "Consulta general";
  service.duration_minutes = 30;
  service.price_cents = 5'000;
  calendar::booking_policy policy;
  policy.min_notice_minutes = 0;
  policy.cancellation_window_hours = 0;
  policy.slot_step_minutes = 30;
  policy.auto_confirm = true;
  return make_bookable(service, policy);
}

void live_updates_test::set_status(const std::string& user, const std::string& status) const {
  exec("UPDATE users SET status = $2 WHERE id = $1", user, status);
}

http_result live_updates_test::book(const std::string& patient, const bookable_professional& pro,
                                    const std::string& start) const {
  nlohmann::json body{{"professionalId", pro.user_id},
                      {"serviceId", pro.service_id},
                      {"startTime", start},
                      {"notes", "dolor de cabeza"}};
  return call(patient, "POST", "/api/appointments", body);
}

http_result live_updates_test::cancel(const std::string& user,
                                      const std::string& appointment_id) const {
  return call(user, "DELETE", "/api/appointments/" + appointment_id);
}

std::unique_ptr<ws_client> live_updates_test::connect(const std::string& token,
                                                      int receive_buffer) const {
  auto target = token.empty() ? std::string{"/ws"} : "/ws?token=" + token;
  return std::make_unique<ws_client>(port_, target, receive_buffer);
}

nlohmann::json live_updates_test::subscribe(ws_client& client, const std::string& topic) {
  client.send_json({{"type", "subscribe"}, {"topic", topic}});
  auto reply = client.read_json();
  return reply ? *reply : nlohmann::json();
}

actors::ws_hub_stats live_updates_test::hub_stats() const {
  auto hub = hub_of(runtime());
  actors::ws_hub_stats out;
  caf::scoped_actor self{runtime().system()};
  self->request(hub, std::chrono::seconds{5}, stats_atom::value)
      .receive([&out](actors::ws_hub_stats& s) { out = s; },
               [](caf::error& e) { throw std::runtime_error(caf::to_string(e)); });
  return out;
}

void live_updates_test::publish(const std::string& topic, const std::string& json) const {
  caf::anon_send(hub_of(runtime()), publish_atom::value, topic, json);
}

bool has_patient_data(const nlohmann::json& event) {
  for (const auto* key : {"patient_id", "patientId", "patient", "notes", "patientName"})
    if (event.contains(key)) return true;
  return false;
}

}  // namespace mundoctor::testing
