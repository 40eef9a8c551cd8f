#include "actors/calendar/local_time.hpp"

#include <chrono>
#include <cstdio>
#include <exception>

namespace mundoctor::calendar {

namespace {

/// Reads exactly `count` decimal digits at `pos`; nullopt when any is missing.
std::optional<int> read_digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool char_at(std::string_view text, std::size_t pos, char expected) {
  return pos < text.size() && text[pos] == expected;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// "HH:MM:SS" at `pos` as seconds after midnight (00:00:00 .. 23:59:59).
std::optional<int> parse_time_of_day(std::string_view text, std::size_t pos) {
  auto h = read_digits(text, pos, 2);
  auto m = read_digits(text, pos + 3, 2);
  auto s = read_digits(text, pos + 6, 2);
  if (!h || !m || !s || !char_at(text, pos + 2, ':') || !char_at(text, pos + 5, ':'))
    return std::nullopt;
  if (*h > 23 || *m > 59 || *s > 59) return std::nullopt;
  return (*h * 60 + *m) * 60 + *s;
}

/// The offset that ends the text at `pos` ("Z", "+HH:MM", "-HH:MM") in seconds east of UTC.
std::optional<int> parse_offset(std::string_view text, std::size_t pos) {
  if (pos + 1 == text.size() && (text[pos] == 'Z' || text[pos] == 'z')) return 0;
  if (pos + 6 != text.size() || (text[pos] != '+' && text[pos] != '-')) return std::nullopt;
  auto h = read_digits(text, pos + 1, 2);
  auto m = read_digits(text, pos + 4, 2);
  if (!h || !m || !char_at(text, pos + 3, ':') || *h > 23 || *m > 59) return std::nullopt;
  const int seconds = (*h * 60 + *m) * 60;
  return text[pos] == '-' ? -seconds : seconds;
}

}  // namespace

const date::time_zone* find_zone(const std::string& name) noexcept {
  if (name.empty()) return nullptr;
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool is_known_zone(const std::string& name) noexcept { return find_zone(name) != nullptr; }

date::local_seconds to_local(const date::time_zone& zone, instant t) { return zone.to_local(t); }

date::year_month_day local_date(const std::string& zone, instant t) {
  const auto* tz = find_zone(zone);
  if (tz == nullptr) return date::year_month_day{date::floor<date::days>(t)};
  return date::year_month_day{date::floor<date::days>(tz->to_local(t))};
}

std::optional<instant> to_instant(const date::time_zone& zone, date::local_seconds local) {
  const auto info = zone.get_info(local);
  if (info.result == date::local_info::nonexistent) return std::nullopt;
  // unique and ambiguous alike: `first` is the earlier interpretation.
  return instant{local.time_since_epoch()} - info.first.offset;
}

std::optional<instant> to_instant(const std::string& zone, date::local_days day, int minute) {
  const auto* tz = find_zone(zone);
  if (tz == nullptr) return std::nullopt;
  return to_instant(*tz, date::local_seconds{day} + std::chrono::minutes{minute});
}

instant to_instant_clamped(const date::time_zone& zone, date::local_seconds local) {
  return zone.to_sys(local, date::choose::earliest);  // nonexistent: the end of the gap
}

namespace {

/// Offsets differ by at most a day (Samoa, 2011), so a wall time two days inside a period can
/// belong to no other period.
constexpr date::days unambiguous_margin{2};

}  // namespace

void zone_cursor::remember(instant t) {
  const auto info = zone_->get_info(t);
  begin_ = info.begin;
  end_ = info.end;
  offset_ = info.offset;
  cached_ = true;
}

std::optional<instant> zone_cursor::to_instant(date::local_seconds local) {
  const instant guess = instant{local.time_since_epoch()} - offset_;
  if (cached_ && begin_ + unambiguous_margin <= guess && guess + unambiguous_margin < end_)
    return guess;
  auto t = calendar::to_instant(*zone_, local);
  if (t) remember(*t);
  return t;
}

instant zone_cursor::to_instant_clamped(date::local_seconds local) {
  if (auto t = to_instant(local)) return *t;
  return calendar::to_instant_clamped(*zone_, local);
}

date::local_seconds zone_cursor::to_local(instant t) {
  if (!cached_ || t < begin_ || end_ <= t) remember(t);
  return date::local_seconds{(t + offset_).time_since_epoch()};
}

std::optional<instant> parse_rfc3339(std::string_view text) {
  auto day = parse_date(text.substr(0, 10));
  if (!day || text.size() < 20 || (text[10] != 'T' && text[10] != 't')) return std::nullopt;
  auto seconds = parse_time_of_day(text, 11);
  if (!seconds) return std::nullopt;
  std::size_t pos = 19;
  if (char_at(text, pos, '.')) {
    const std::size_t first_digit = ++pos;
    while (pos < text.size() && is_digit(text[pos])) ++pos;
    if (pos == first_digit) return std::nullopt;
  }
  auto offset = parse_offset(text, pos);
  if (!offset) return std::nullopt;
  return instant{date::sys_days{*day}} + std::chrono::seconds{*seconds - *offset};
}

// Written by hand: date::format builds an ostringstream (and its locale) per call, which made
// rendering availability replies the largest cost of serving them.
std::string format_rfc3339_utc(instant t) {
  auto day = date::floor<date::days>(t);
  date::year_month_day ymd{day};
  auto secs = (t - day).count();  // 0 .. 86399
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

std::string format_local(const std::string& zone, instant t, const char* fmt) {
  const auto* tz = find_zone(zone);
  if (tz == nullptr) tz = find_zone("UTC");
  if (tz == nullptr) return date::format(fmt, t);
  return date::format(fmt, date::zoned_seconds{tz, t});
}

std::optional<date::year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = read_digits(text, 0, 4);
  auto m = read_digits(text, 5, 2);
  auto d = read_digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

std::optional<int> parse_hhmm(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto h = read_digits(text, 0, 2);
  auto m = read_digits(text, 3, 2);
  if (!h || !m || *m > 59) return std::nullopt;
  const int minutes = *h * 60 + *m;
  if (minutes > 24 * 60) return std::nullopt;
  return minutes;
}

}  // namespace mundoctor::calendar
