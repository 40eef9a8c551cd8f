#pragma once

// The in-memory state of one professional's calendar: its rules, services, occupying
// appointments and live holds, and the sorted occupancy list the availability rules read.
// Plain data and functions: the calendar actor owns one and is its only writer.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "actors/protocol/calendar.hpp"

namespace mundoctor::calendar {

/// The status machine of API.md: pending -> confirmed | cancelled; confirmed -> in_progress |
/// cancelled | no_show; in_progress -> completed.
bool allowed_transition(const std::string& from, const std::string& to);

struct calendar_state {
  std::string professional_id;  // profile uuid
  std::string user_id;          // the professional's user id
  bool bookable = false;
  schedule sched;
  std::unordered_map<std::string, service_info> services;
  std::unordered_map<std::string, appointment> appointments;  // occupying only
  std::unordered_map<std::string, hold> holds;                // active only
  std::unordered_map<std::string, std::string> replies;       // patient + '\n' + idempotency key
  uint64_t seq = 0;            // calendar event sequence for live updates
  uint64_t pending_count = 0;  // ids of in-flight bookings

  /// Sorted by block.start; appointments, holds and in-flight bookings.
  const std::vector<occupancy>& busy() const { return busy_; }
  void occupy(occupancy o);
  bool release(const std::string& id);
  /// The occupancy list without one entry (a reschedule checks its new time against the rest).
  std::vector<occupancy> busy_without(const std::string& id) const;

  void add_appointment(const appointment& a);
  void drop_appointment(const std::string& id);
  void add_hold(const hold& h);
  void drop_hold(const std::string& id);

  const service_info* service(const std::string& id) const;

 private:
  std::vector<occupancy> busy_;
};

std::string reply_key(const std::string& patient_id, const std::string& idempotency_key);

}  // namespace mundoctor::calendar
