// The 422 and 404 answers of POST /api/appointments (API.md "Appointments").

#include <string>

#include <gtest/gtest.h>

#include "tests/integration/http_calendar/calendar_server.hpp"

namespace mundoctor::testing {
namespace {

using booking_rules = calendar_api;

void expect_refusal(const http_result& r, unsigned status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  ASSERT_TRUE(r.json.is_object()) << r.body;
  EXPECT_EQ(r.json.value("success", true), false) << r.body;
  EXPECT_EQ(r.json.value("code", std::string{}), code) << r.body;
}

TEST_F(booking_rules, a_time_outside_working_hours_is_422) {
  auto pro = make_professional();
  auto patient = make_patient();
  expect_refusal(book(patient, pro, madrid(2, 3)), 422, "OUTSIDE_WORKING_HOURS");
  // The last 30 minutes of the day fit; a start at 19:45 would end after 20:00.
  expect_refusal(book(patient, pro, madrid(2, 19, 45)), 422, "OUTSIDE_WORKING_HOURS");
  EXPECT_EQ(book(patient, pro, madrid(2, 19, 30)).status, 201u);
}

TEST_F(booking_rules, a_time_inside_the_minimum_notice_is_422_too_soon) {
  professional_options options;
  options.policy.min_notice_minutes = 4 * 24 * 60;
  auto pro = make_professional(options);
  auto patient = make_patient();
  expect_refusal(book(patient, pro, madrid(2, 10)), 422, "TOO_SOON");
  EXPECT_EQ(book(patient, pro, madrid(6, 10)).status, 201u);
}

TEST_F(booking_rules, a_time_past_the_horizon_is_422_too_far) {
  professional_options options;
  options.policy.horizon_days = 10;
  auto pro = make_professional(options);
  auto patient = make_patient();
  expect_refusal(book(patient, pro, madrid(12, 10)), 422, "TOO_FAR");
  EXPECT_EQ(book(patient, pro, madrid(8, 10)).status, 201u);
}

TEST_F(booking_rules, an_unverified_professional_is_422_not_bookable) {
  professional_options options;
  options.verified = false;
  auto pro = make_professional(options);
  expect_refusal(book(make_patient(), pro, madrid(2, 10)), 422, "PROFESSIONAL_NOT_BOOKABLE");
  EXPECT_EQ(
      count("SELECT count(*) FROM appointments WHERE professional_id = $1::uuid", pro.profile_id),
      0);
}

TEST_F(booking_rules, an_inactive_service_is_422) {
  professional_options options;
  options.service_active = false;
  auto pro = make_professional(options);
  expect_refusal(book(make_patient(), pro, madrid(2, 10)), 422, "SERVICE_INACTIVE");
}

TEST_F(booking_rules, an_unknown_professional_is_404) {
  auto pro = make_professional();
  auto patient = make_patient();
  auto unknown = pro;
  unknown.user_id = "user_nobody_at_all";
  auto r = book(patient, unknown, madrid(2, 10));
  expect_refusal(r, 404, "NOT_FOUND");
  unknown.user_id = "00000000-0000-4000-8000-000000000000";
  expect_refusal(book(patient, unknown, madrid(2, 10)), 404, "NOT_FOUND");
}

}  // namespace
}  // namespace mundoctor::testing
