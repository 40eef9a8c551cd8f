// Calendar actors are visible to operators: /ops/actors, /ops/actors/calendar/<key>, /metrics.

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/integration/http_calendar/calendar_server.hpp"

namespace mundoctor::testing {
namespace {

using calendar_introspection = calendar_api;

/// The value of the first sample line that starts with `series`; -1 when absent.
double sample(const std::string& metrics, const std::string& series) {
  std::istringstream lines{metrics};
  std::string line;
  while (std::getline(lines, line))
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

TEST_F(calendar_introspection, a_booked_calendar_shows_in_ops_actors_and_metrics) {
  auto pro = make_professional();
  EXPECT_EQ(ops_get("/ops/actors/calendar/" + pro.profile_id).status, 404u)
      << "no calendar runs before it is used";
  ASSERT_EQ(book(make_patient(), pro, madrid(2, 10)).status, 201u);

  auto actors = ops_get("/ops/actors");
  ASSERT_EQ(actors.status, 200u) << actors.body;
  nlohmann::json calendar;
  for (const auto& k : actors.json.at("data").at("kinds"))
    if (k.value("kind", "") == "calendar") calendar = k;
  ASSERT_TRUE(calendar.is_object()) << actors.body;
  EXPECT_GE(calendar.value("count", 0), 1) << calendar.dump();
  EXPECT_GE(calendar.value("spawned", 0), 1) << calendar.dump();
  EXPECT_TRUE(calendar.contains("mailbox_total")) << calendar.dump();
  EXPECT_TRUE(calendar.contains("crashes")) << calendar.dump();

  auto one = ops_get("/ops/actors/calendar/" + pro.profile_id);
  ASSERT_EQ(one.status, 200u) << one.body;
  const auto& summary = one.json.at("data");
  EXPECT_EQ(summary.value("professional_id", ""), pro.profile_id);
  EXPECT_EQ(summary.value("occupying_appointments", -1), 1) << summary.dump();
  EXPECT_EQ(summary.value("bookable", false), true);

  auto metrics = ops_get("/metrics");
  ASSERT_EQ(metrics.status, 200u) << metrics.body;
  EXPECT_GE(sample(metrics.body, "mundoctor_actors{kind=\"calendar\"}"), 1) << metrics.body;
  EXPECT_GE(sample(metrics.body, "mundoctor_actor_mailbox_depth{kind=\"calendar\"}"), 0)
      << metrics.body;
  EXPECT_GE(sample(metrics.body, "mundoctor_actor_spawns_total{kind=\"calendar\"}"), 1)
      << metrics.body;
}

}  // namespace
}  // namespace mundoctor::testing
