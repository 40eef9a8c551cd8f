#include "tests/integration/http_calendar/calendar_server.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <caf/all.hpp>

#include "actors/calendar/local_time.hpp"
#include "actors/protocol/atoms.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/router.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::testing {

namespace {

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

// -- runtime -----------------------------------------------------------------------------------

void calendar_api::configure(config::settings& s) const {
  s.http_threads = 2;
  s.db_pool_size = 4;
  s.rate_limit_rps = 100'000;
  s.rate_limit_burst = 100'000;
  s.user_rate_limit_rps = 100'000;
  s.user_rate_limit_burst = 100'000;
  s.shutdown_grace_ms = 5'000;
}

void calendar_api::add_routes(http::router& r) { add_test_routes(r); }

// -- fixtures ----------------------------------------------------------------------------------

bookable_professional calendar_api::make_professional(const professional_options& options) {
  calendar::service_info svc;
  svc.name = "Consulta";
  svc.duration_minutes = 30;
  svc.price_cents = 4500;
  svc.modalities = {"in_person", "virtual"};
  auto pro = make_bookable(svc, options.policy);
  exec(
      "UPDATE professional_profiles SET verified = $2, timezone = 'Europe/Madrid'"
      " WHERE user_id = $1",
      pro.user_id, options.verified);
  if (!options.service_active) {
    pqxx::connection conn{database_url()};
    persistence::set_service_active(conn, pro.profile_id, pro.service_id, false);
  }
  return pro;
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

nlohmann::json calendar_api::booking_body(const bookable_professional& pro,
                                          calendar::instant start) {
  return {{"professionalId", pro.user_id},
          {"serviceId", pro.service_id},
          {"startTime", rfc3339(start)},
          {"modality", "in_person"}};
}

http_result calendar_api::book(const std::string& patient, const bookable_professional& pro,
                               calendar::instant start, const std::string& idempotency_key,
                               const std::string& hold_id) const {
  auto body = booking_body(pro, start);
  if (!hold_id.empty()) body["holdId"] = hold_id;
  header_fields extra;
  if (!idempotency_key.empty()) extra.emplace_back("Idempotency-Key", idempotency_key);
  return call(patient, "POST", "/api/appointments", body, extra);
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

std::vector<std::string> calendar_api::free_slots(const bookable_professional& pro,
                                                  int days) const {
  auto today = calendar::local_date(
      madrid_zone, date::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  auto from = date::format("%F", date::sys_days{today});
  auto to = date::format("%F", date::sys_days{today} + date::days{days - 1});
  auto r = call("", "GET",
                "/api/appointments/availability/" + pro.user_id + "?serviceId=" + pro.service_id +
                    "&from=" + from + "&to=" + to);
  std::vector<std::string> out;
  EXPECT_EQ(r.status, 200u) << r.body;
  if (r.status != 200) return out;
  for (const auto& day : r.json.at("data").at("days"))
    for (const auto& slot : day.at("slots")) out.push_back(slot.get<std::string>());
  return out;
}

http_result calendar_api::test_route(const bookable_professional& pro,
                                     const std::string& action) const {
  return request(port_, "POST", "/test/calendars/" + pro.profile_id + "/" + action);
}

// -- database ----------------------------------------------------------------------------------

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
