// The "Schedules" endpoints end to end: weekly rules, exceptions, the booking policy, and the
// calendar actor seeing every change before the change is acknowledged.

#include <chrono>

#include <date/date.h>

#include "http/router.hpp"
#include "http/routes/routes.hpp"
#include "tests/integration/http_catalogue/catalogue_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

json rule(const json& day, const char* start, const char* end) {
  return {{"day_of_week", day}, {"start_time", start}, {"end_time", end}};
}

std::vector<std::string> ids_of(const json& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i["id"]);
  return out;
}

using schedules_api = catalogue_test;

TEST(schedule_routes, static_segments_win_over_the_rule_id) {
  http::router r;
  http::register_schedule_routes(r);
  http::register_service_routes(r);
  auto pattern = [&](http::verb v, const std::string& path) {
    auto m = r.match(v, path);
    return m.matched ? m.matched->pattern : std::string{"(none)"};
  };
  EXPECT_EQ(pattern(http::verb::get, "/api/schedules/exceptions"), "/api/schedules/exceptions");
  EXPECT_EQ(pattern(http::verb::post, "/api/schedules/exceptions"), "/api/schedules/exceptions");
  EXPECT_EQ(pattern(http::verb::put, "/api/schedules/policy"), "/api/schedules/policy");
  EXPECT_EQ(pattern(http::verb::get, "/api/schedules/policy"), "/api/schedules/policy");
  EXPECT_EQ(pattern(http::verb::put, "/api/schedules/exceptions/abc"),
            "/api/schedules/exceptions/:id");
  EXPECT_EQ(pattern(http::verb::put, "/api/schedules/abc"), "/api/schedules/:id");
  EXPECT_EQ(pattern(http::verb::get, "/api/services/professional/abc"),
            "/api/services/professional/:id");
  EXPECT_EQ(pattern(http::verb::patch, "/api/services/abc/status"), "/api/services/:id/status");
}

TEST_F(schedules_api, a_professional_creates_lists_updates_and_deletes_a_rule) {
  auto pro = make_professional();
  auto body = rule("lunes", "09:00", "14:00");
  body["breaks"] = {{{"start_time", "11:00"}, {"end_time", "11:30"}}};
  body["effective_from"] = "2026-01-01";
  auto created = call(pro, "POST", "/api/schedules", body);
  ASSERT_EQ(created.status, 201u) << created.body;
  auto r = created.json["data"];
  auto id = r["id"].get<std::string>();
  EXPECT_EQ(r, (json{{"id", id},
                     {"professional_id", profile_of(pro)},
                     {"day_of_week", 1},
                     {"day_name", "monday"},
                     {"start_time", "09:00"},
                     {"end_time", "14:00"},
                     {"timezone", "Europe/Madrid"},
                     {"effective_from", "2026-01-01"},
                     {"effective_until", nullptr},
                     {"breaks", {{{"start_time", "11:00"}, {"end_time", "11:30"}}}},
                     {"is_active", true}}))
      << "the zone defaults to the professional's";

  auto listed = call(pro, "GET", "/api/schedules");
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(listed.json["data"], json::array({r}));
  EXPECT_EQ(listed.json["metadata"]["pagination"]["total"], 1);

  auto updated = call(pro, "PUT", "/api/schedules/" + id,
                      {{"end_time", "15:00"}, {"timezone", "Atlantic/Canary"}});
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(updated.json["data"]["end_time"], "15:00");
  EXPECT_EQ(updated.json["data"]["timezone"], "Atlantic/Canary");
  EXPECT_EQ(updated.json["data"]["breaks"], r["breaks"]) << "fields not named are kept";
  auto bad = call(pro, "PUT", "/api/schedules/" + id, {{"end_time", "08:00"}});
  expect_error(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(bad), (std::vector<std::string>{"end_time", "breaks[0]"}));

  auto removed = call(pro, "DELETE", "/api/schedules/" + id);
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_TRUE(call(pro, "GET", "/api/schedules").json["data"].empty());
  expect_error(call(pro, "DELETE", "/api/schedules/" + id), 404, "NOT_FOUND");
}

TEST_F(schedules_api, overlapping_ranges_of_a_day_are_refused) {
  auto pro = make_professional();
  ASSERT_EQ(call(pro, "POST", "/api/schedules", rule(2, "09:00", "13:00")).status, 201u);
  auto later = call(pro, "POST", "/api/schedules", rule("Tuesday", "13:00", "17:00"));
  ASSERT_EQ(later.status, 201u) << "touching ranges of one day are fine: " << later.body;

  auto overlap = call(pro, "POST", "/api/schedules", rule("martes", "12:00", "14:00"));
  expect_error(overlap, 422, "SCHEDULE_OVERLAP");
  EXPECT_EQ(invalid_fields(overlap), std::vector<std::string>{"start_time"});
  auto moved = call(pro, "PUT", "/api/schedules/" + later.json["data"]["id"].get<std::string>(),
                    {{"start_time", "12:30"}});
  expect_error(moved, 422, "SCHEDULE_OVERLAP");

  auto batch = call(pro, "POST", "/api/schedules",
                    {{"schedules", {rule(3, "09:00", "12:00"), rule(3, "11:00", "13:00")}}});
  expect_error(batch, 422, "SCHEDULE_OVERLAP");
  EXPECT_EQ(invalid_fields(batch),
            (std::vector<std::string>{"schedules[0].start_time", "schedules[1].start_time"}));
  EXPECT_EQ(call(pro, "GET", "/api/schedules").json["data"].size(), 2u)
      << "a refused batch creates nothing";

  auto clash = call(pro, "POST", "/api/schedules",
                    {{"schedules", {rule(4, "09:00", "12:00"), rule(2, "08:00", "10:00")}}});
  expect_error(clash, 422, "SCHEDULE_OVERLAP");
  EXPECT_EQ(invalid_fields(clash), std::vector<std::string>{"schedules[1].start_time"});
}

TEST_F(schedules_api, a_batch_creates_every_rule) {
  auto pro = make_professional();
  auto created = call(pro, "POST", "/api/schedules",
                      {{"schedules",
                        {rule(1, "09:00", "13:00"), rule(1, "15:00", "19:00"),
                         rule("viernes", "08:00", "12:00")}}});
  ASSERT_EQ(created.status, 201u) << created.body;
  ASSERT_TRUE(created.json["data"].is_array());
  EXPECT_EQ(created.json["data"].size(), 3u);
  auto listed = call(pro, "GET", "/api/schedules?limit=2");
  EXPECT_EQ(listed.json["data"].size(), 2u);
  EXPECT_EQ(listed.json["metadata"]["pagination"]["total"], 3);
  EXPECT_EQ(listed.json["metadata"]["pagination"]["hasNext"], true);
}

TEST_F(schedules_api, another_professional_cannot_touch_my_schedule) {
  auto mine = make_professional();
  auto other = make_professional();
  auto id = call(mine, "POST", "/api/schedules", rule(1, "09:00", "13:00"))
                .json["data"]["id"]
                .get<std::string>();
  expect_error(call(other, "PUT", "/api/schedules/" + id, {{"end_time", "20:00"}}), 404,
               "NOT_FOUND");
  expect_error(call(other, "DELETE", "/api/schedules/" + id), 404, "NOT_FOUND");
  expect_error(call(other, "GET", "/api/schedules?professionalId=" + mine), 404, "NOT_FOUND");
  EXPECT_TRUE(call(other, "GET", "/api/schedules").json["data"].empty());
  auto still = call(mine, "GET", "/api/schedules").json["data"];
  ASSERT_EQ(still.size(), 1u);
  EXPECT_EQ(still[0]["end_time"], "13:00");
  expect_error(call(make_patient(), "GET", "/api/schedules"), 403, "FORBIDDEN");
}

TEST_F(schedules_api, an_admin_names_the_professional) {
  auto admin = make_admin();
  auto pro = make_professional();
  auto missing = call(admin, "POST", "/api/schedules", rule(1, "09:00", "13:00"));
  expect_error(missing, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(missing), std::vector<std::string>{"professionalId"});
  auto body = rule(1, "09:00", "13:00");
  body["professionalId"] = pro;
  ASSERT_EQ(call(admin, "POST", "/api/schedules", body).status, 201u);
  auto listed = call(admin, "GET", "/api/schedules?professionalId=" + profile_of(pro));
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(listed.json["data"].size(), 1u);
}

TEST_F(schedules_api, exceptions_follow_their_type_rules) {
  auto pro = make_professional();
  auto off = call(pro, "POST", "/api/schedules/exceptions",
                  {{"type", "day_off"}, {"starts_on", "2026-08-10"}, {"reason", "Día libre"}});
  ASSERT_EQ(off.status, 201u) << off.body;
  auto id = off.json["data"]["id"].get<std::string>();
  EXPECT_EQ(off.json["data"], (json{{"id", id},
                                    {"professional_id", profile_of(pro)},
                                    {"type", "day_off"},
                                    {"starts_on", "2026-08-10"},
                                    {"ends_on", "2026-08-10"},
                                    {"start_time", nullptr},
                                    {"end_time", nullptr},
                                    {"reason", "Día libre"}}));

  auto timed_off = call(pro, "POST", "/api/schedules/exceptions",
                        {{"type", "vacation"},
                         {"starts_on", "2026-08-01"},
                         {"ends_on", "2026-08-15"},
                         {"start_time", "09:00"}});
  expect_error(timed_off, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(timed_off), std::vector<std::string>{"start_time"});
  auto untimed = call(pro, "POST", "/api/schedules/exceptions",
                      {{"type", "special_hours"}, {"starts_on", "2026-08-11"}});
  expect_error(untimed, 422, "VALIDATION_ERROR");
  auto backwards =
      call(pro, "POST", "/api/schedules/exceptions",
           {{"type", "day_off"}, {"starts_on", "2026-08-11"}, {"ends_on", "2026-08-10"}});
  EXPECT_EQ(invalid_fields(backwards), std::vector<std::string>{"ends_on"});

  auto changed = call(pro, "PUT", "/api/schedules/exceptions/" + id,
                      {{"type", "block"}, {"start_time", "12:00"}, {"end_time", "14:00"}});
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(changed.json["data"]["type"], "block");
  EXPECT_EQ(changed.json["data"]["start_time"], "12:00");
  EXPECT_EQ(changed.json["data"]["reason"], "Día libre");

  auto listed = call(pro, "GET", "/api/schedules/exceptions");
  ASSERT_EQ(listed.status, 200u) << "the static segment wins over /api/schedules/:id: "
                                 << listed.body;
  EXPECT_EQ(ids_of(listed.json["data"]), std::vector<std::string>{id});
  EXPECT_TRUE(call(pro, "GET", "/api/schedules/exceptions?from=2026-08-11").json["data"].empty());
  expect_error(call(make_professional(), "DELETE", "/api/schedules/exceptions/" + id), 404,
               "NOT_FOUND");
  EXPECT_EQ(call(pro, "DELETE", "/api/schedules/exceptions/" + id).status, 200u);
  EXPECT_TRUE(call(pro, "GET", "/api/schedules/exceptions").json["data"].empty());
}

TEST_F(schedules_api, a_partial_policy_update_keeps_the_other_settings) {
  auto pro = make_professional();
  auto defaults = call(pro, "GET", "/api/schedules/policy");
  ASSERT_EQ(defaults.status, 200u) << defaults.body;
  EXPECT_EQ(defaults.json["data"]["slot_step_minutes"], 15);
  ASSERT_EQ(
      call(pro, "PUT", "/api/schedules/policy", {{"horizon_days", 30}, {"auto_confirm", true}})
          .status,
      200u);
  auto changed = call(pro, "PUT", "/api/schedules/policy", {{"slot_step_minutes", 20}});
  ASSERT_EQ(changed.status, 200u) << changed.body;
  auto expected = defaults.json["data"];
  expected["slot_step_minutes"] = 20;
  expected["horizon_days"] = 30;
  expected["auto_confirm"] = true;
  EXPECT_EQ(changed.json["data"], expected);
  EXPECT_EQ(call(pro, "GET", "/api/schedules/policy").json["data"], expected);
  auto bad = call(pro, "PUT", "/api/schedules/policy",
                  {{"slot_step_minutes", 4}, {"hold_ttl_seconds", 3601}});
  expect_error(bad, 422, "VALIDATION_ERROR");
  EXPECT_EQ(invalid_fields(bad),
            (std::vector<std::string>{"slot_step_minutes", "hold_ttl_seconds"}));
}

// The free slots of one date, as availability reports them.
std::size_t slots_on(const http_result& r, const std::string& day) {
  EXPECT_EQ(r.status, 200u) << r.body;
  for (const auto& d : r.json["data"]["days"])
    if (d["date"] == day) return d["slots"].size();
  ADD_FAILURE() << day << " missing in " << r.body;
  return 0;
}

TEST_F(schedules_api, availability_reflects_a_change_as_soon_as_it_is_acknowledged) {
  auto pro = make_professional();
  json week = json::array();
  for (int d = 0; d < 7; ++d) week.push_back(rule(d, "09:00", "17:00"));
  ASSERT_EQ(call(pro, "POST", "/api/schedules", {{"schedules", week}}).status, 201u);
  auto service = call(pro, "POST", "/api/services",
                      {{"name", "Consulta"}, {"duration_minutes", 60}, {"price_cents", 5000}});
  ASSERT_EQ(service.status, 201u) << service.body;
  auto day =
      date::format("%F", date::floor<date::days>(std::chrono::system_clock::now()) + date::days{3});
  auto availability = [&] {
    return call("", "GET",
                "/api/appointments/availability/" + pro + "?serviceId=" +
                    service.json["data"]["id"].get<std::string>() + "&from=" + day + "&to=" + day);
  };
  // 09:00 to 16:00 every 15 minutes: the calendar actor is now loaded with the default policy.
  ASSERT_EQ(slots_on(availability(), day), 29u);

  ASSERT_EQ(call(pro, "PUT", "/api/schedules/policy", {{"slot_step_minutes", 60}}).status, 200u);
  EXPECT_EQ(slots_on(availability(), day), 8u) << "the new step applies at once";

  auto off =
      call(pro, "POST", "/api/schedules/exceptions", {{"type", "day_off"}, {"starts_on", day}});
  ASSERT_EQ(off.status, 201u) << off.body;
  EXPECT_EQ(slots_on(availability(), day), 0u) << "the day off applies at once";

  ASSERT_EQ(
      call(pro, "DELETE", "/api/schedules/exceptions/" + off.json["data"]["id"].get<std::string>())
          .status,
      200u);
  EXPECT_EQ(slots_on(availability(), day), 8u);
}

}  // namespace
}  // namespace mundoctor::testing
