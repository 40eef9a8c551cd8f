#include "tests/integration/http_ws/live_fixture.hpp"

#include <chrono>
#include <ctime>
#include <random>
#include <thread>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/identity/dev_keys.hpp"
#include "actors/protocol/names.hpp"
#include "config/logging.hpp"
#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::testing {

namespace {

constexpr auto issuer = "https://clerk.test.mundoctor";

// Warnings and errors of the server go to stderr; the per-request access log stays quiet.
class server_logging : public ::testing::Environment {
 public:
  void SetUp() override { config::init_logging("warn"); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new server_logging);

const actors::identity::rsa_keypair& keys() {
  static const auto pair = actors::identity::generate_rsa_keypair();
  return pair;
}

header_fields auth_headers(const std::string& token) {
  return {{"Authorization", "Bearer " + token},
          {"Content-Type", "application/json; charset=utf-8"}};
}

}  // namespace

std::unique_ptr<scratch_database> live_updates_test::database_;
std::string live_updates_test::database_error_;

void live_updates_test::SetUpTestSuite() {
  if (!test_database_admin_url() || database_) return;
  try {
    database_ = std::make_unique<scratch_database>(migrated_database());
  } catch (const std::exception& e) {
    database_error_ = e.what();
  }
}

void live_updates_test::TearDownTestSuite() { database_.reset(); }

void live_updates_test::SetUp() {
  REQUIRE_DATABASE();
  ASSERT_TRUE(database_) << "the scratch database could not be prepared: " << database_error_;
  settings_ = test_settings(database_->url());
  settings_.redis_url.clear();
  settings_.env = "test";
  settings_.auth_jwt_key = keys().public_pem;
  settings_.auth_issuer = issuer;
  settings_.shutdown_grace_ms = 5'000;
  runtime_ = std::make_unique<http::runtime>(settings_);
  auto ports = runtime_->start();
  ASSERT_EQ(ports.size(), 1u);
  port_ = ports.front();
  // The supervisor publishes its children as it starts them.
  auto& registry = runtime_->system().registry();
  for (int i = 0; i < 500 && !registry.get(names::ws_hub); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  ASSERT_TRUE(registry.get(names::ws_hub)) << "the hub was not published";
}

void live_updates_test::TearDown() { stop_server(); }

bool live_updates_test::stop_server() {
  if (!runtime_) return true;
  auto drained = runtime_->stop();
  runtime_.reset();
  return drained;
}

std::string live_updates_test::unique_user(const std::string& prefix) {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  return prefix + "_" + std::to_string(gen() % 1'000'000'000'000ULL);
}

std::string live_updates_test::token_for(const std::string& sub) {
  return actors::identity::make_session_token(keys().private_pem, sub, issuer,
                                              std::chrono::hours{1});
}

bookable_professional live_updates_test::make_professional() const {
  bookable_professional pro;
  pro.user_id = unique_user("user_pro");
  pqxx::connection conn{database_->url()};
  persistence::assign_role(conn, pro.user_id, "professional");
  {
    pqxx::work tx{conn};
    tx.exec_params("UPDATE users SET status = 'active' WHERE id = $1", pro.user_id);
    tx.exec_params("UPDATE professional_profiles SET verified = true WHERE user_id = $1",
                   pro.user_id);
    tx.commit();
  }
  pro.profile_id = persistence::resolve_professional_id(conn, pro.user_id).value_or("");
  calendar::service_info service;
  service.name = "Consulta general";
  service.duration_minutes = 30;
  service.price_cents = 5'000;
  pro.service_id = persistence::create_service(conn, pro.profile_id, service).info.id;
  for (int day = 0; day < 7; ++day) {
    calendar::weekly_rule rule;
    rule.day_of_week = day;
    rule.start_minute = 8 * 60;
    rule.end_minute = 20 * 60;
    persistence::create_weekly_rule(conn, pro.profile_id, rule);
  }
  calendar::booking_policy policy;
  policy.min_notice_minutes = 0;
  policy.cancellation_window_hours = 0;
  policy.slot_step_minutes = 30;
  policy.auto_confirm = true;
  persistence::put_policy(conn, pro.profile_id, policy);
  return pro;
}

std::string live_updates_test::make_patient() const {
  auto id = unique_user("user_pat");
  pqxx::connection conn{database_->url()};
  persistence::assign_role(conn, id, "patient");
  return id;
}

void live_updates_test::set_status(const std::string& user, const std::string& status) const {
  pqxx::connection conn{database_->url()};
  pqxx::work tx{conn};
  tx.exec_params("UPDATE users SET status = $2 WHERE id = $1", user, status);
  tx.commit();
}

http_result live_updates_test::book(const std::string& patient, const bookable_professional& pro,
                                    const std::string& start) const {
  nlohmann::json body{{"professionalId", pro.user_id},
                      {"serviceId", pro.service_id},
                      {"startTime", start},
                      {"notes", "dolor de cabeza"}};
  return request(port_, "POST", "/api/appointments", body.dump(),
                 auth_headers(token_for(patient)));
}

http_result live_updates_test::cancel(const std::string& user,
                                      const std::string& appointment_id) const {
  return request(port_, "DELETE", "/api/appointments/" + appointment_id, "",
                 auth_headers(token_for(user)));
}

std::string live_updates_test::start_in_days(int days) {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() +
                                                std::chrono::hours{24 * days});
  std::tm utc{};
  gmtime_r(&t, &utc);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT10:00:00Z", &utc);
  return out;
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
  auto& sys = runtime_->system();
  auto hub = caf::actor_cast<caf::actor>(sys.registry().get(names::ws_hub));
  if (!hub) throw std::runtime_error("no hub");
  actors::ws_hub_stats out;
  caf::scoped_actor self{sys};
  self->request(hub, std::chrono::seconds{5}, stats_atom::value)
      .receive([&out](actors::ws_hub_stats& s) { out = s; },
               [](caf::error& e) { throw std::runtime_error(caf::to_string(e)); });
  return out;
}

void live_updates_test::publish(const std::string& topic, const std::string& json) const {
  auto& sys = runtime_->system();
  auto hub = caf::actor_cast<caf::actor>(sys.registry().get(names::ws_hub));
  if (!hub) throw std::runtime_error("no hub");
  caf::anon_send(hub, publish_atom::value, topic, json);
}

bool has_patient_data(const nlohmann::json& event) {
  for (const auto* key : {"patient_id", "patientId", "patient", "notes", "patientName"})
    if (event.contains(key)) return true;
  return false;
}

}  // namespace mundoctor::testing
