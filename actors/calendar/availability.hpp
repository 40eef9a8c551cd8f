#pragma once

// The availability rules of one professional's calendar: working hours, free slots and the
// booking decision. Pure functions over the domain model of actors/protocol/calendar.hpp: no
// I/O, no actors, no shared mutable state, so the calendar actor calls them on its in-memory
// state and tests call them directly.
//
// Time model. Instants are UTC seconds. Weekly rules, breaks and exceptions are wall-clock
// minutes after local midnight; a local date is a date in schedule::zone (the professional's
// zone). On a DST change day wall-clock labels and elapsed time differ:
// - spring forward (Europe/Madrid 2026-03-29, 02:00-03:00 does not exist): a working range that
//   starts or ends in the gap is clamped to the first instant after it, and no slot is offered
//   at a label inside the gap;
// - fall back (Europe/Madrid 2026-10-25, 02:00-03:00 happens twice): a range boundary in the
//   repeated hour is its earliest instant, and each slot label is offered once, at its earliest
//   instant.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "actors/calendar/local_time.hpp"
#include "actors/protocol/calendar.hpp"

namespace mundoctor::calendar {

/// Longest date range free_slots() computes; longer ranges answer nothing. The API caps
/// availability requests at 31 days before they get here.
constexpr int max_slot_range_days = 62;

/// Used when booking_policy::slot_step_minutes is not positive.
constexpr int fallback_slot_step_minutes = 15;

/// The UTC intervals the professional works on local date `day` (a date in s.zone):
/// - day_off or vacation exceptions covering the day: nothing at all;
/// - otherwise, special_hours exceptions covering the day: the union of their
///   [start_minute, end_minute) in s.zone, replacing the weekly rules of that day;
/// - otherwise the weekly rules whose day_of_week is the weekday of `day` and whose effective
///   range [effective_from, effective_until] (both inclusive, each optional) contains `day`,
///   each converted in its own zone (the rule's wall-clock times on the same calendar date),
///   minus that rule's breaks;
/// - then every block exception covering the day removes its [start_minute, end_minute) in
///   s.zone on that date; a block whose end_minute is not after its start_minute (no times)
///   removes the whole day.
/// Boundaries in a spring-forward gap are clamped to the first instant after it (so 01:00-04:00
/// on 2026-03-29 in Europe/Madrid covers 2 real hours); boundaries in a repeated fall-back hour
/// are their earliest instant; minute 1440 is the next local midnight. Rules with an unknown
/// zone contribute nothing, and an unknown s.zone gives nothing at all. The result is sorted,
/// merged (touching intervals join) and holds no empty interval.
std::vector<interval> working_intervals(const schedule& s, date::year_month_day day);

/// What a booking of `svc` starting at `start` occupies:
/// [start - buffer_before, start + duration + buffer_after). The service's buffers override the
/// policy's when set; negative buffers count as 0.
interval block_of(const booking_policy& p, const service_info& svc, instant start);

/// The price of `svc` booked at `at`. A discount applies when `at` lies in
/// [discount_valid_from, discount_valid_until] (both inclusive, each optional). discount_percent
/// (clamped to 0..100) takes precedence over discount_amount_cents: the discounted price is
/// price * (100 - percent) / 100 rounded half up to whole cents. An amount discount subtracts
/// the amount (negative amounts are ignored) and never goes below 0.
int64_t effective_price_cents(const service_info& svc, instant at);

/// The free slot starts of one local date, sorted and unique.
struct day_slots {
  date::year_month_day day;
  std::vector<instant> starts;
};

/// Free slot starts for `svc` on each local date of [from, to] (inclusive), one entry per date in
/// order, dates without slots included with an empty list. Empty when to < from or the range
/// is longer than max_slot_range_days, and every list is empty for an inactive service or a
/// non-positive duration.
///
/// Candidates are stepped in LOCAL wall-clock time (schedule::zone) from the local start of each
/// working interval by policy.slot_step_minutes: a label that does not exist (spring forward) is
/// skipped and a repeated label (fall back) is offered once, at its earliest instant. Working
/// intervals of consecutive dates that touch are merged first, so a slot may cross midnight when
/// the professional works across it. A candidate `start` is offered when
/// - [start, start + duration) lies inside one working interval,
/// - start >= now + min_notice and start < now + horizon_days (days of 24 hours),
/// - block_of(policy, svc, start) overlaps no occupancy in `busy`, except holds whose patient_id
///   equals a non-empty `patient_id` (a patient's own hold does not hide its slot from them).
/// Each start is listed under its local date in s.zone.
///
/// Cost: `busy` is indexed once (linear when sorted by block.start, as the calendar actor keeps
/// it; any other order is sorted on a copy) and each candidate costs one binary search.
/// An unknown schedule zone gives empty lists.
std::vector<day_slots> free_slots(const schedule& s, const service_info& svc,
                                  const std::vector<occupancy>& busy, date::year_month_day from,
                                  date::year_month_day to, instant now,
                                  const std::string& patient_id = {});

enum class slot_problem : uint8_t {
  none,
  outside_working_hours,
  too_soon,
  too_far,
  slot_taken,
  service_inactive
};

/// The booking decision for a start that need not lie on the slot grid. Checks in this order
/// and answers the first problem found:
/// 1. service_inactive: the service is not active;
/// 2. outside_working_hours: [start, start + duration) is not inside one working interval
///    (merged across touching dates, as in free_slots), or the duration is not positive;
/// 3. too_soon: start < now + min_notice;
/// 4. too_far: start >= now + horizon_days;
/// 5. slot_taken: block_of(...) overlaps an occupancy in `busy` other than a hold of a
///    non-empty `patient_id` itself.
/// `busy` may be in any order. Every start free_slots() offers for the same inputs answers none.
slot_problem check_slot(const schedule& s, const service_info& svc,
                        const std::vector<occupancy>& busy, instant start, instant now,
                        const std::string& patient_id);

/// "OUTSIDE_WORKING_HOURS", "TOO_SOON", "TOO_FAR", "SLOT_TAKEN", "SERVICE_INACTIVE"; "" for none.
const char* machine_code(slot_problem problem);

/// Schedule validation: the ids of weekly rules that overlap another rule, i.e. the same
/// day_of_week, intersecting [start_minute, end_minute) ranges (both non-empty), and
/// intersecting effective ranges (an absent bound is unbounded). Minutes are compared as
/// wall-clock labels whatever the rules' zones. A rule without an id is reported by its index
/// in `rules` ("0", "1", ...). Each rule at most once, in input order; empty when none overlap.
std::vector<std::string> overlapping_rules(const std::vector<weekly_rule>& rules);

}  // namespace mundoctor::calendar
