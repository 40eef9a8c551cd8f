#include "actors/calendar/availability.hpp"

#include <algorithm>
#include <chrono>
#include <deque>
#include <utility>

namespace mundoctor::calendar {

namespace {

using std::chrono::minutes;

/// Days of margin around a requested range, so rules in far-away zones and ranges ending at
/// midnight are seen from the neighbouring dates too.
constexpr date::days context_days{2};

bool covers(const schedule_exception& e, date::year_month_day day) {
  return e.starts_on <= day && day <= e.ends_on;
}

bool in_effect(const weekly_rule& r, date::year_month_day day) {
  return (!r.effective_from || *r.effective_from <= day) &&
         (!r.effective_until || day <= *r.effective_until);
}

/// One cursor per zone name, so a computation looks each zone up once and reuses its offsets.
class zone_cache {
 public:
  zone_cursor* get(const std::string& name) {
    for (auto& entry : cursors_)
      if (entry.first == name) return &entry.second;
    const auto* zone = find_zone(name);
    if (zone == nullptr) return nullptr;
    cursors_.emplace_back(name, zone_cursor{*zone});
    return &cursors_.back().second;
  }

 private:
  std::deque<std::pair<std::string, zone_cursor>> cursors_;  // a deque keeps pointers stable
};

/// [start_minute, end_minute) of local date `day` in `zone`; gap boundaries are clamped.
interval local_range(zone_cursor& zone, date::year_month_day day, int start_minute,
                     int end_minute) {
  const date::local_seconds midnight{date::local_days{day}};
  return {zone.to_instant_clamped(midnight + minutes{start_minute}),
          zone.to_instant_clamped(midnight + minutes{end_minute})};
}

/// Sorts, joins overlapping or touching intervals and drops empty ones.
void merge(std::vector<interval>& v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](const interval& i) { return i.end <= i.start; }),
          v.end());
  std::sort(v.begin(), v.end(),
            [](const interval& a, const interval& b) { return a.start < b.start; });
  std::vector<interval> out;
  out.reserve(v.size());
  for (const auto& i : v) {
    if (!out.empty() && i.start <= out.back().end)
      out.back().end = std::max(out.back().end, i.end);
    else
      out.push_back(i);
  }
  v = std::move(out);
}

/// Removes `cut` from every interval of `v` (which stays sorted).
void subtract(std::vector<interval>& v, const interval& cut) {
  if (cut.end <= cut.start) return;
  std::vector<interval> out;
  out.reserve(v.size() + 1);
  for (const auto& i : v) {
    if (!i.overlaps(cut)) {
      out.push_back(i);
      continue;
    }
    if (i.start < cut.start) out.push_back({i.start, cut.start});
    if (cut.end < i.end) out.push_back({cut.end, i.end});
  }
  v = std::move(out);
}

void add_weekly_rules(const std::vector<weekly_rule>& rules, date::year_month_day day,
                      zone_cache& zones, std::vector<interval>& out) {
  const auto weekday = static_cast<int>(date::weekday{date::sys_days{day}}.c_encoding());
  for (const auto& rule : rules) {
    if (rule.day_of_week != weekday || !in_effect(rule, day)) continue;
    auto* zone = zones.get(rule.zone);
    if (zone == nullptr) continue;
    std::vector<interval> pieces{local_range(*zone, day, rule.start_minute, rule.end_minute)};
    for (const auto& b : rule.breaks)
      subtract(pieces, local_range(*zone, day, b.start_minute, b.end_minute));
    out.insert(out.end(), pieces.begin(), pieces.end());
  }
}

std::vector<interval> working_intervals_in(const schedule& s, date::year_month_day day,
                                           zone_cache& zones);

/// The merged working intervals of every local date in [first, last].
std::vector<interval> working_between(const schedule& s, date::sys_days first, date::sys_days last,
                                      zone_cache& zones) {
  std::vector<interval> all;
  for (auto d = first; d <= last; d += date::days{1}) {
    auto day = working_intervals_in(s, date::year_month_day{d}, zones);
    all.insert(all.end(), day.begin(), day.end());
  }
  merge(all);
  return all;
}

bool counts_as_busy(const occupancy& o, const std::string& patient_id) {
  const bool own_hold =
      o.kind == occupancy_kind::hold && !patient_id.empty() && o.patient_id == patient_id;
  return !own_hold && o.block.start < o.block.end;
}

/// Occupied blocks sorted by start with a running maximum of their ends: a block [s, e)
/// overlaps something iff among the blocks starting before e the latest end is after s.
class busy_index {
 public:
  busy_index(const std::vector<occupancy>& busy, const std::string& patient_id) {
    std::vector<interval> blocks;
    blocks.reserve(busy.size());
    for (const auto& o : busy)
      if (counts_as_busy(o, patient_id)) blocks.push_back(o.block);
    auto by_start = [](const interval& a, const interval& b) { return a.start < b.start; };
    if (!std::is_sorted(blocks.begin(), blocks.end(), by_start))
      std::sort(blocks.begin(), blocks.end(), by_start);
    starts_.reserve(blocks.size());
    max_end_.reserve(blocks.size());
    for (const auto& b : blocks) {
      starts_.push_back(b.start);
      max_end_.push_back(max_end_.empty() ? b.end : std::max(max_end_.back(), b.end));
    }
  }

  bool overlaps(const interval& block) const {
    const auto k = std::lower_bound(starts_.begin(), starts_.end(), block.end) - starts_.begin();
    return k > 0 && max_end_[static_cast<std::size_t>(k - 1)] > block.start;
  }

 private:
  std::vector<instant> starts_;
  std::vector<instant> max_end_;
};

/// Calls `visit(start)` for each grid start before `stop` inside `w` that leaves room for
/// `duration`, stepping wall-clock labels from the local start of `w`: labels in a gap are
/// skipped, repeated labels map to their earliest instant (which may fall before `w` and is then
/// skipped). Earliest instants grow with their labels, so the first one past the end stops.
template <class Visit>
void for_each_grid_start(zone_cursor& zone, const interval& w, minutes step, minutes duration,
                         instant stop, Visit&& visit) {
  for (auto label = zone.to_local(w.start);; label += step) {
    const auto t = zone.to_instant(label);
    if (!t) continue;
    if (*t + duration > w.end || *t >= stop) return;
    if (*t >= w.start) visit(*t);
  }
}

std::vector<interval> working_intervals_in(const schedule& s, date::year_month_day day,
                                           zone_cache& zones) {
  auto* zone = zones.get(s.zone);
  if (zone == nullptr || !day.ok()) return {};
  bool special = false;
  std::vector<interval> out;
  for (const auto& e : s.exceptions) {
    if (!covers(e, day)) continue;
    if (e.type == exception_type::day_off || e.type == exception_type::vacation) return {};
    if (e.type == exception_type::special_hours) {
      special = true;
      out.push_back(local_range(*zone, day, e.start_minute, e.end_minute));
    }
  }
  if (!special) add_weekly_rules(s.weekly, day, zones, out);
  merge(out);
  for (const auto& e : s.exceptions) {
    if (e.type != exception_type::block || !covers(e, day)) continue;
    const bool whole_day = e.end_minute <= e.start_minute;
    subtract(out, whole_day ? local_range(*zone, day, 0, 24 * 60)
                            : local_range(*zone, day, e.start_minute, e.end_minute));
  }
  return out;
}

}  // namespace

std::vector<interval> working_intervals(const schedule& s, date::year_month_day day) {
  zone_cache zones;
  return working_intervals_in(s, day, zones);
}

interval block_of(const booking_policy& p, const service_info& svc, instant start) {
  const int before = std::max(0, svc.buffer_before_minutes.value_or(p.buffer_before_minutes));
  const int after = std::max(0, svc.buffer_after_minutes.value_or(p.buffer_after_minutes));
  return {start - minutes{before}, start + minutes{svc.duration_minutes + after}};
}

int64_t effective_price_cents(const service_info& svc, instant at) {
  const bool valid = (!svc.discount_valid_from || *svc.discount_valid_from <= at) &&
                     (!svc.discount_valid_until || at <= *svc.discount_valid_until);
  if (!valid) return svc.price_cents;
  if (svc.discount_percent) {
    const int64_t percent = std::clamp(*svc.discount_percent, 0, 100);
    const int64_t hundredths = svc.price_cents * (100 - percent) + 50;
    // floor division, so halves round up for negative prices too
    return hundredths / 100 - (hundredths % 100 < 0 ? 1 : 0);
  }
  if (svc.discount_amount_cents) {
    const int64_t amount = std::max<int64_t>(0, *svc.discount_amount_cents);
    return std::max<int64_t>(0, svc.price_cents - amount);
  }
  return svc.price_cents;
}

std::vector<day_slots> free_slots(const schedule& s, const service_info& svc,
                                  const std::vector<occupancy>& busy, date::year_month_day from,
                                  date::year_month_day to, instant now,
                                  const std::string& patient_id) {
  if (!from.ok() || !to.ok() || to < from) return {};
  const date::sys_days first{from};
  const auto day_count = (date::sys_days{to} - first).count() + 1;
  if (day_count > max_slot_range_days) return {};
  std::vector<day_slots> out;
  for (auto d = first; d <= date::sys_days{to}; d += date::days{1})
    out.push_back({date::year_month_day{d}, {}});
  zone_cache zones;
  auto* zone = zones.get(s.zone);
  if (!svc.active || svc.duration_minutes <= 0 || zone == nullptr) return out;
  const auto& p = s.policy;
  const minutes step{p.slot_step_minutes > 0 ? p.slot_step_minutes : fallback_slot_step_minutes};
  const minutes duration{svc.duration_minutes};
  const instant earliest = now + minutes{p.min_notice_minutes};
  const instant horizon_end = now + date::days{p.horizon_days};
  const busy_index index{busy, patient_id};
  const auto working =
      working_between(s, first - context_days, date::sys_days{to} + context_days, zones);
  for (const auto& w : working)
    for_each_grid_start(*zone, w, step, duration, horizon_end, [&](instant t) {
      if (t < earliest || index.overlaps(block_of(p, svc, t))) return;
      const auto offset =
          (date::floor<date::days>(zone->to_local(t)).time_since_epoch() - first.time_since_epoch())
              .count();
      if (offset >= 0 && offset < day_count)
        out[static_cast<std::size_t>(offset)].starts.push_back(t);
    });
  for (auto& d : out) {
    std::sort(d.starts.begin(), d.starts.end());
    d.starts.erase(std::unique(d.starts.begin(), d.starts.end()), d.starts.end());
  }
  return out;
}

slot_problem check_slot(const schedule& s, const service_info& svc,
                        const std::vector<occupancy>& busy, instant start, instant now,
                        const std::string& patient_id) {
  if (!svc.active) return slot_problem::service_inactive;
  zone_cache zones;
  auto* zone = zones.get(s.zone);
  if (svc.duration_minutes <= 0 || zone == nullptr) return slot_problem::outside_working_hours;
  const instant end = start + minutes{svc.duration_minutes};
  const date::sys_days first{date::floor<date::days>(zone->to_local(start)).time_since_epoch()};
  const date::sys_days last{date::floor<date::days>(zone->to_local(end)).time_since_epoch()};
  const auto working = working_between(s, first - context_days, last + context_days, zones);
  const bool inside = std::any_of(working.begin(), working.end(), [&](const interval& w) {
    return w.start <= start && end <= w.end;
  });
  if (!inside) return slot_problem::outside_working_hours;
  const auto& p = s.policy;
  if (start < now + minutes{p.min_notice_minutes}) return slot_problem::too_soon;
  if (start >= now + date::days{p.horizon_days}) return slot_problem::too_far;
  const interval block = block_of(p, svc, start);
  const bool taken = std::any_of(busy.begin(), busy.end(), [&](const occupancy& o) {
    return counts_as_busy(o, patient_id) && o.block.overlaps(block);
  });
  return taken ? slot_problem::slot_taken : slot_problem::none;
}

const char* machine_code(slot_problem problem) {
  switch (problem) {
    case slot_problem::none:
      return "";
    case slot_problem::outside_working_hours:
      return "OUTSIDE_WORKING_HOURS";
    case slot_problem::too_soon:
      return "TOO_SOON";
    case slot_problem::too_far:
      return "TOO_FAR";
    case slot_problem::slot_taken:
      return "SLOT_TAKEN";
    case slot_problem::service_inactive:
      return "SERVICE_INACTIVE";
  }
  return "";
}

std::vector<std::string> overlapping_rules(const std::vector<weekly_rule>& rules) {
  auto conflict = [](const weekly_rule& a, const weekly_rule& b) {
    const bool times = a.start_minute < a.end_minute && b.start_minute < b.end_minute &&
                       a.start_minute < b.end_minute && b.start_minute < a.end_minute;
    const bool dates =
        (!a.effective_from || !b.effective_until || *a.effective_from <= *b.effective_until) &&
        (!b.effective_from || !a.effective_until || *b.effective_from <= *a.effective_until);
    return a.day_of_week == b.day_of_week && times && dates;
  };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (std::size_t j = 0; j < rules.size(); ++j) {
      if (i != j && conflict(rules[i], rules[j])) {
        out.push_back(rules[i].id.empty() ? std::to_string(i) : rules[i].id);
        break;
      }
    }
  }
  return out;
}

}  // namespace mundoctor::calendar
