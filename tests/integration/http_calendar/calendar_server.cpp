#include "tests/integration/http_calendar/calendar_server.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include <caf/all.hpp>

#include "actors/calendar/local_time.hpp"
#include "actors/identity/dev_keys.hpp"
#include "actors/protocol/atoms.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "config/logging.hpp"
#include "http/ask.hpp"
#include "http/router.hpp"
#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/crypto/data_cipher.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::testing {

namespace {

// Warnings and errors of the server go to stderr; the per-request access log stays quiet.
class server_logging : public ::testing::Environment {
 public:
  void SetUp() override { config::init_logging("warn"); }
};

const auto* const registered = ::testing::AddGlobalTestEnvironment(new server_logging);

std::mt19937_64& generator() {
  static thread_local std::mt19937_64 gen{std::random_device{}()};
  return gen;
}

std::string random_text(std::size_t n) {
  static constexpr char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<std::size_t> pick{0, sizeof(chars) - 2};
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(chars[pick(generator())]);
  return out;
}

const actors::identity::rsa_keypair& token_keys() {
  static const auto keys = actors::identity::generate_rsa_keypair();
  return keys;
}

// A random data key for the binary, so appointment notes can be stored.
const std::string& data_key() {
  static const std::string key = [] {
    std::string bytes;
    std::uniform_int_distribution<int> byte{0, 255};
    for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<char>(byte(generator())));
    return persistence::encode_base64(bytes);
  }();
  return key;
}

void add_test_routes(http::router& r) {
  http::route_options opts;
  opts.body = http::body_kind::none;
  r.add(
      http::verb::post, "/test/calendars/:key/reload",
      [](http::request_context& ctx, http::responder res) {
        auto msg = caf::make_message(route_atom::value, ctx.param("key"),
                                     caf::make_message(reload_atom::value));
        http::ask(ctx, ctx.svc->lookup(names::calendars), std::move(msg), res,
                  [res](bool reloaded) {
                    res.ok({{"reloaded", reloaded}});
                  });
      },
      opts);
  r.add(
      http::verb::post, "/test/calendars/:key/kill",
      [](http::request_context& ctx, http::responder res) {
        auto registry = ctx.svc->lookup(names::calendars);
        if (!registry) return res.fail(errc::unavailable, "no calendar registry");
        // An exit message is handled by the receiving actor as such whoever routed it, so the
        // calendar actor ends with reason unhandled_exception, exactly as if it had crashed.
        // (Not exit_reason::kill: a kill cannot be trapped and would travel up the links.)
        caf::anon_send(registry, route_atom::value, ctx.param("key"),
                       caf::make_message(caf::exit_msg{caf::actor_addr{},
                                                       caf::exit_reason::unhandled_exception}));
        res.ok({{"sent", true}});
      },
      opts);
}

}  // namespace

std::unique_ptr<scratch_database> calendar_api::database_;
std::string calendar_api::database_error_;

void calendar_api::SetUpTestSuite() {
  if (!test_database_admin_url() || database_) return;
  try {
    database_ = std::make_unique<scratch_database>(migrated_database());
  } catch (const std::exception& e) {
    database_error_ = e.what();
  }
}

void calendar_api::TearDownTestSuite() { database_.reset(); }

void calendar_api::SetUp() {
  REQUIRE_DATABASE();
  ASSERT_TRUE(database_) << "the scratch database could not be prepared: " << database_error_;
  settings_ = calendar_settings();
  start();
}

void calendar_api::TearDown() {
  if (runtime_) {
    EXPECT_TRUE(stop());
  }
  runtime_.reset();
}

config::settings calendar_api::calendar_settings() const {
  auto s = test_settings(database_url());
  s.env = "test";
  s.listen = {{"127.0.0.1", 0}};
  s.redis_url.clear();
  s.http_threads = 2;
  s.db_pool_size = 4;
  s.auth_jwt_key = token_keys().public_pem;
  s.auth_issuer = calendar_issuer;
  s.ops_token = calendar_ops_token;
  s.data_key = data_key();
  s.rate_limit_rps = 100'000;
  s.rate_limit_burst = 100'000;
  s.user_rate_limit_rps = 100'000;
  s.user_rate_limit_burst = 100'000;
  s.shutdown_grace_ms = 5'000;
  return s;
}

void calendar_api::start() {
  runtime_ = std::make_unique<http::runtime>(settings_, add_test_routes);
  auto ports = runtime_->start();
  ASSERT_EQ(ports.size(), 1u);
  port_ = ports.front();
  ASSERT_NE(port_, 0);
  // The root supervisor answers /ops/actors only once every service is published.
  auto ready = ops_get("/ops/actors");
  ASSERT_EQ(ready.status, 200u) << ready.body;
}

bool calendar_api::stop() {
  if (!runtime_) return true;
  bool drained = runtime_->stop();
  runtime_.reset();
  return drained;
}

// -- fixtures ----------------------------------------------------------------------------------

test_professional calendar_api::make_professional(const professional_options& options) {
  test_professional pro;
  pro.user_id = "user_pro_" + random_text(12);
  pqxx::connection conn{database_url()};
  persistence::assign_role(conn, pro.user_id, "professional");
  {
    pqxx::work tx{conn};
    tx.exec_params("UPDATE users SET status = 'active' WHERE id = $1", pro.user_id);
    tx.exec_params(
        "UPDATE professional_profiles SET verified = $2, timezone = 'Europe/Madrid'"
        " WHERE user_id = $1",
        pro.user_id, options.verified);
    tx.commit();
  }
  pro.profile_id = persistence::resolve_professional_id(conn, pro.user_id).value();
  calendar::service_info svc;
  svc.name = "Consulta";
  svc.duration_minutes = 30;
  svc.price_cents = 4500;
  svc.modalities = {"in_person", "virtual"};
  pro.service_id = persistence::create_service(conn, pro.profile_id, svc).info.id;
  if (!options.service_active)
    persistence::set_service_active(conn, pro.profile_id, pro.service_id, false);
  for (int day = 0; day < 7; ++day) {
    calendar::weekly_rule rule;
    rule.day_of_week = day;
    rule.start_minute = 8 * 60;
    rule.end_minute = 20 * 60;
    rule.zone = madrid_zone;
    persistence::create_weekly_rule(conn, pro.profile_id, rule);
  }
  persistence::put_policy(conn, pro.profile_id, options.policy);
  return pro;
}

std::string calendar_api::make_patient() {
  auto id = "user_pat_" + random_text(12);
  pqxx::connection conn{database_url()};
  persistence::assign_role(conn, id, "patient");
  return id;
}

std::vector<std::string> calendar_api::make_patients(int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(make_patient());
  return out;
}

// -- time --------------------------------------------------------------------------------------

calendar::instant calendar_api::madrid(int days_ahead, int hour, int minute) {
  auto today = calendar::local_date(
      madrid_zone, date::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  auto day = date::local_days{today} + date::days{days_ahead};
  return calendar::to_instant(madrid_zone, day, hour * 60 + minute).value();
}

std::string calendar_api::rfc3339(calendar::instant t) { return calendar::format_rfc3339_utc(t); }

// -- HTTP --------------------------------------------------------------------------------------

std::string calendar_api::token_for(const std::string& user) const {
  return actors::identity::make_session_token(token_keys().private_pem, user, calendar_issuer,
                                              std::chrono::hours{1}, "test");
}

http_result calendar_api::call(const std::string& method, const std::string& target,
                               const std::string& user, const nlohmann::json& body,
                               const header_fields& extra) const {
  header_fields headers = extra;
  if (!user.empty()) headers.emplace_back("Authorization", "Bearer " + token_for(user));
  std::string text;
  if (!body.is_null()) {
    text = body.dump();
    headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  }
  return request(port_, method, target, text, headers);
}

nlohmann::json calendar_api::booking_body(const test_professional& pro, calendar::instant start) {
  return {{"professionalId", pro.user_id},
          {"serviceId", pro.service_id},
          {"startTime", rfc3339(start)},
          {"modality", "in_person"}};
}

http_result calendar_api::book(const std::string& patient, const test_professional& pro,
                               calendar::instant start, const std::string& idempotency_key,
                               const std::string& hold_id) const {
  auto body = booking_body(pro, start);
  if (!hold_id.empty()) body["holdId"] = hold_id;
  header_fields extra;
  if (!idempotency_key.empty()) extra.emplace_back("Idempotency-Key", idempotency_key);
  return call("POST", "/api/appointments", patient, body, extra);
}

booking_outcome calendar_api::outcome_of(const http_result& r) {
  booking_outcome out;
  out.status = r.status;
  if (!r.json.is_object()) return out;
  out.code = r.json.value("code", std::string{});
  if (r.status == 201 && r.json.contains("data"))
    out.id = r.json["data"].value("id", std::string{});
  return out;
}

std::vector<std::string> calendar_api::free_slots(const test_professional& pro, int days) const {
  auto today = calendar::local_date(
      madrid_zone, date::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  auto from = date::format("%F", date::sys_days{today});
  auto to = date::format("%F", date::sys_days{today} + date::days{days - 1});
  auto r = call("GET",
                "/api/appointments/availability/" + pro.user_id + "?serviceId=" + pro.service_id +
                    "&from=" + from + "&to=" + to,
                "");
  std::vector<std::string> out;
  EXPECT_EQ(r.status, 200u) << r.body;
  if (r.status != 200) return out;
  for (const auto& day : r.json.at("data").at("days"))
    for (const auto& slot : day.at("slots")) out.push_back(slot.get<std::string>());
  return out;
}

http_result calendar_api::ops_get(const std::string& target) const {
  return request(port_, "GET", target, "",
                 {{"Authorization", std::string{"Bearer "} + calendar_ops_token}});
}

http_result calendar_api::test_route(const test_professional& pro,
                                     const std::string& action) const {
  return request(port_, "POST", "/test/calendars/" + pro.profile_id + "/" + action);
}

// -- database ----------------------------------------------------------------------------------

const std::string& calendar_api::database_url() const {
  static const std::string none;
  return database_ ? database_->url() : none;
}

int64_t calendar_api::count(const std::string& sql, const std::string& param) const {
  pqxx::connection conn{database_url()};
  pqxx::read_transaction tx{conn};
  return tx.exec_params1(sql, param)[0].as<int64_t>();
}

void calendar_api::exec(const std::string& sql, const std::string& param) const {
  pqxx::connection conn{database_url()};
  pqxx::work tx{conn};
  tx.exec_params(sql, param);
  tx.commit();
}

int64_t calendar_api::overlapping_pairs(const std::string& profile_id) const {
  return count(
      "SELECT count(*) FROM appointments a JOIN appointments b"
      "  ON b.professional_id = a.professional_id AND a.id < b.id"
      " AND tstzrange(a.block_starts_at, a.block_ends_at, '[)')"
      "  && tstzrange(b.block_starts_at, b.block_ends_at, '[)')"
      " WHERE a.professional_id = $1::uuid"
      "   AND a.status IN ('pending', 'confirmed', 'in_progress')"
      "   AND b.status IN ('pending', 'confirmed', 'in_progress')",
      profile_id);
}

int64_t calendar_api::occupying_rows(const std::string& profile_id) const {
  return count(
      "SELECT count(*) FROM appointments WHERE professional_id = $1::uuid"
      " AND status IN ('pending', 'confirmed', 'in_progress')",
      profile_id);
}

bool calendar_api::occupying(const std::string& appointment_id) const {
  return count(
             "SELECT count(*) FROM appointments WHERE id = $1::uuid"
             " AND status IN ('pending', 'confirmed', 'in_progress')",
             appointment_id) == 1;
}

// -- threads -----------------------------------------------------------------------------------

void run_together(int n, const std::function<void(int)>& fn) {
  std::mutex mutex;
  std::condition_variable cv;
  int waiting = 0;
  bool go = false;
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      {
        std::unique_lock<std::mutex> lock{mutex};
        ++waiting;
        cv.notify_all();
        cv.wait(lock, [&] { return go; });
      }
      fn(i);
    });
  }
  {
    std::unique_lock<std::mutex> lock{mutex};
    cv.wait(lock, [&] { return waiting == n; });
    go = true;
  }
  cv.notify_all();
  for (auto& t : threads) t.join();
}

}  // namespace mundoctor::testing
