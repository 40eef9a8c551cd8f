#pragma once

// The calendar domain model shared by the availability rules (actors/calendar/availability),
// the calendar repository (persistence/calendar) and the calendar actor.
// Instants are UTC seconds (date::sys_seconds); wall-clock rules are minutes after local
// midnight in an IANA zone; local dates are date::year_month_day.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

namespace mundoctor::calendar {

using instant = date::sys_seconds;

/// [start, end)
struct interval {
  instant start;
  instant end;
  bool overlaps(const interval& o) const { return start < o.end && o.start < end; }
};

struct break_range {
  int start_minute = 0;  // minutes after local midnight
  int end_minute = 0;
};

/// A weekly working range: day_of_week 0 = Sunday ... 6 = Saturday.
struct weekly_rule {
  std::string id;
  int day_of_week = 1;
  int start_minute = 9 * 60;
  int end_minute = 17 * 60;
  std::string zone = "Europe/Madrid";
  std::optional<date::year_month_day> effective_from;
  std::optional<date::year_month_day> effective_until;  // inclusive
  std::vector<break_range> breaks;
};

enum class exception_type : uint8_t { day_off, vacation, special_hours, block };

/// Dated exceptions, inclusive of both dates. day_off and vacation remove whole days;
/// special_hours replaces the weekly rules of those dates with [start_minute, end_minute)
/// (several special_hours rows on one date add up); block removes [start_minute, end_minute).
struct schedule_exception {
  std::string id;
  exception_type type = exception_type::day_off;
  date::year_month_day starts_on{};  // value-initialized: year_month_day has no default value
  date::year_month_day ends_on{};
  int start_minute = 0;
  int end_minute = 0;
  std::string reason;
};

struct booking_policy {
  int slot_step_minutes = 15;
  int min_notice_minutes = 60;
  int horizon_days = 90;
  int buffer_before_minutes = 0;
  int buffer_after_minutes = 0;
  int cancellation_window_hours = 24;
  bool auto_confirm = false;
  int hold_ttl_seconds = 300;
};

struct service_info {
  std::string id;
  std::string name;
  std::string description;
  std::string category;
  int duration_minutes = 30;
  int64_t price_cents = 0;
  std::string currency = "EUR";
  std::vector<std::string> modalities{"in_person"};
  std::optional<int> buffer_before_minutes;  // overrides the policy when set
  std::optional<int> buffer_after_minutes;
  std::optional<int> discount_percent;
  std::optional<int64_t> discount_amount_cents;
  std::optional<instant> discount_valid_from;
  std::optional<instant> discount_valid_until;
  bool active = true;
};

/// Everything that decides when a professional works.
struct schedule {
  std::string zone = "Europe/Madrid";  // the professional's zone: local dates are in it
  std::vector<weekly_rule> weekly;
  std::vector<schedule_exception> exceptions;
  booking_policy policy;
};

enum class occupancy_kind : uint8_t { appointment, hold };

/// Something that occupies time: an occupying appointment (pending, confirmed, in_progress) or
/// a live hold. `block` includes the buffers.
struct occupancy {
  std::string id;
  occupancy_kind kind = occupancy_kind::appointment;
  interval block;
  std::string patient_id;
};

/// Appointment statuses; the occupying ones are pending, confirmed and in_progress.
bool is_occupying(const std::string& status);

/// An appointment as stored (notes already decrypted by the repository).
struct appointment {
  std::string id;
  std::string professional_id;  // profile uuid
  std::string patient_id;       // user id
  std::string service_id;
  instant starts_at;
  instant ends_at;
  int buffer_before_minutes = 0;
  int buffer_after_minutes = 0;
  std::string timezone = "Europe/Madrid";
  std::string status = "pending";
  std::string modality = "in_person";
  int64_t price_cents = 0;
  std::string currency = "EUR";
  std::string notes;
  std::string cancellation_reason;
  std::string idempotency_key;
  std::string created_by;
  instant created_at;

  interval block() const {
    return {starts_at - std::chrono::minutes{buffer_before_minutes},
            ends_at + std::chrono::minutes{buffer_after_minutes}};
  }
};

struct hold {
  std::string id;
  std::string professional_id;
  std::string patient_id;
  std::string service_id;
  instant starts_at;
  instant ends_at;
  int buffer_before_minutes = 0;
  int buffer_after_minutes = 0;
  instant expires_at;
  std::string status = "active";

  interval block() const {
    return {starts_at - std::chrono::minutes{buffer_before_minutes},
            ends_at + std::chrono::minutes{buffer_after_minutes}};
  }
};

}  // namespace mundoctor::calendar
