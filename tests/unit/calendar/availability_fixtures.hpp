#pragma once

// Small builders shared by the availability rule tests.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "actors/calendar/availability.hpp"

namespace mundoctor::calendar::testing {

constexpr int sunday = 0;
constexpr int monday = 1;

inline instant at(const char* rfc3339) {
  auto t = parse_rfc3339(rfc3339);
  EXPECT_TRUE(t.has_value()) << rfc3339;
  return t.value_or(instant{});
}

inline date::year_month_day ymd(int y, unsigned m, unsigned d) {
  return date::year_month_day{date::year{y}, date::month{m}, date::day{d}};
}

inline weekly_rule rule(int day_of_week, int start_minute, int end_minute,
                        std::string zone = "Europe/Madrid") {
  weekly_rule r;
  r.day_of_week = day_of_week;
  r.start_minute = start_minute;
  r.end_minute = end_minute;
  r.zone = std::move(zone);
  return r;
}

inline schedule_exception exception_on(exception_type type, date::year_month_day from,
                                       date::year_month_day to, int start_minute = 0,
                                       int end_minute = 0) {
  schedule_exception e;
  e.type = type;
  e.starts_on = from;
  e.ends_on = to;
  e.start_minute = start_minute;
  e.end_minute = end_minute;
  return e;
}

/// A schedule with no notice, a long horizon, no buffers and a 30-minute grid.
inline schedule open_schedule(std::string zone, std::vector<weekly_rule> weekly) {
  schedule s;
  s.zone = std::move(zone);
  s.weekly = std::move(weekly);
  s.policy.slot_step_minutes = 30;
  s.policy.min_notice_minutes = 0;
  s.policy.horizon_days = 3650;
  s.policy.buffer_before_minutes = 0;
  s.policy.buffer_after_minutes = 0;
  return s;
}

inline service_info service(int duration_minutes = 30) {
  service_info svc;
  svc.id = "svc-1";
  svc.duration_minutes = duration_minutes;
  return svc;
}

inline occupancy busy_block(std::string id, occupancy_kind kind, instant start, instant end,
                            std::string patient_id = "patient-other") {
  occupancy o;
  o.id = std::move(id);
  o.kind = kind;
  o.block = {start, end};
  o.patient_id = std::move(patient_id);
  return o;
}

/// A moment long before every date the tests use.
inline instant long_ago() { return at("2026-01-01T00:00:00Z"); }

/// The starts free_slots() offers on one local date.
inline std::vector<instant> slots_on(const schedule& s, const service_info& svc,
                                     const std::vector<occupancy>& busy, date::year_month_day day,
                                     instant now, const std::string& patient_id = {}) {
  auto days = free_slots(s, svc, busy, day, day, now, patient_id);
  EXPECT_EQ(days.size(), 1u);
  return days.empty() ? std::vector<instant>{} : days.front().starts;
}

/// Local "HH:MM" labels of instants.
inline std::vector<std::string> labels(const std::string& zone, const std::vector<instant>& ts) {
  std::vector<std::string> out;
  for (auto t : ts) out.push_back(format_local(zone, t, "%H:%M"));
  return out;
}

inline std::vector<std::string> utc(const std::vector<instant>& ts) {
  std::vector<std::string> out;
  for (auto t : ts) out.push_back(format_rfc3339_utc(t));
  return out;
}

}  // namespace mundoctor::calendar::testing
