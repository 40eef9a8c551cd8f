#pragma once

// Wall-clock time in IANA zones, and the strict text forms of instants, dates and times that the
// calendar API reads and writes. Pure functions: no I/O beyond the zone database, which the
// date/tz library reads once from /usr/share/zoneinfo (USE_OS_TZDB) and shares read-only.
//
// An unknown zone name never throws out of these functions: find_zone() answers nullptr, the
// conversions answer nullopt, local_date() and format_local() fall back to UTC. Callers validate
// zone names on input with is_known_zone().

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>
#include <date/tz.h>

#include "actors/protocol/calendar.hpp"

namespace mundoctor::calendar {

/// The zone called `name`, or nullptr when the zone database does not know it.
const date::time_zone* find_zone(const std::string& name) noexcept;

/// True when `name` is an IANA zone (or link) the zone database knows.
bool is_known_zone(const std::string& name) noexcept;

/// The local calendar date of `t` in `zone` (UTC when the zone is unknown).
date::year_month_day local_date(const std::string& zone, instant t);

/// The instant of the wall-clock time `minute` minutes after local midnight of `day` in `zone`
/// (minute may be 1440 or more: 1440 is the next local midnight). Minutes count wall-clock
/// labels, not elapsed time, so on a DST change day 03:00 is always minute 180.
/// - an ambiguous time (the repeated hour on a fall-back day) gives its EARLIEST instant;
/// - a nonexistent time (the skipped hour on a spring-forward day) gives nullopt;
/// - an unknown zone gives nullopt.
std::optional<instant> to_instant(const std::string& zone, date::local_days day, int minute);

/// As to_instant(), for a zone already looked up.
std::optional<instant> to_instant(const date::time_zone& zone, date::local_seconds local);

/// As to_instant(), except that a nonexistent time is clamped to the first instant after the
/// gap (02:30 on a spring-forward day in Europe/Madrid becomes 03:00 CEST = 01:00Z).
instant to_instant_clamped(const date::time_zone& zone, date::local_seconds local);

/// The wall-clock time of `t` in `zone`.
date::local_seconds to_local(const date::time_zone& zone, instant t);

/// Conversions in one zone, many of them close together in time (a slot grid): remembers the
/// offset period of the last lookup and answers from it while a wall time lies more than two days
/// inside that period, where no other offset can claim it; anything else asks the zone database.
/// Answers exactly as the free functions above. Not thread-safe; cheap to create per request.
class zone_cursor {
 public:
  explicit zone_cursor(const date::time_zone& zone) : zone_(&zone) {}

  const date::time_zone& zone() const { return *zone_; }
  std::optional<instant> to_instant(date::local_seconds local);
  instant to_instant_clamped(date::local_seconds local);
  date::local_seconds to_local(instant t);

 private:
  void remember(instant t);

  const date::time_zone* zone_;
  bool cached_ = false;
  instant begin_;  // [begin_, end_): the remembered period, in which offset_ applies
  instant end_;
  std::chrono::seconds offset_{0};
};

/// Parses an RFC 3339 date-time: "2026-03-29T08:30:00Z", "2026-03-29T10:30:00+02:00",
/// "2026-03-29T08:30:00.250Z". Strict: four-digit year, two-digit fields, a real calendar date,
/// hours 00-23, minutes and seconds 00-59 (no leap second), 'T' (or 't') between date and time,
/// and a 'Z' (or 'z') or "+HH:MM" / "-HH:MM" offset (hours 00-23). Fractional seconds, when
/// present, need at least one digit and are truncated to whole seconds. Nothing may follow.
std::optional<instant> parse_rfc3339(std::string_view text);

/// "YYYY-MM-DDTHH:MM:SSZ" for `t` in UTC.
std::string format_rfc3339_utc(instant t);

/// `t` rendered in `zone` with a date::format / strftime-style format, e.g. "%Y-%m-%d" or
/// "%H:%M" ("%Z" gives the zone abbreviation). Unknown zones render in UTC.
std::string format_local(const std::string& zone, instant t, const char* fmt);

/// Parses "YYYY-MM-DD": exactly ten characters, digits where digits belong, a real date.
std::optional<date::year_month_day> parse_date(std::string_view text);

/// Parses "HH:MM" into minutes after midnight: exactly five characters, 00:00 to 23:59, plus
/// "24:00" (= 1440, the end of the day).
std::optional<int> parse_hhmm(std::string_view text);

}  // namespace mundoctor::calendar
