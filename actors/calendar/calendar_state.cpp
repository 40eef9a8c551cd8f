#include "actors/calendar/calendar_state.hpp"

#include <algorithm>

namespace mundoctor::calendar {

bool allowed_transition(const std::string& from, const std::string& to) {
  if (from == "pending") return to == "confirmed" || to == "cancelled";
  if (from == "confirmed") return to == "in_progress" || to == "cancelled" || to == "no_show";
  if (from == "in_progress") return to == "completed";
  return false;
}

void calendar_state::occupy(occupancy o) {
  auto pos = std::upper_bound(busy_.begin(), busy_.end(), o.block.start,
                              [](instant t, const occupancy& x) { return t < x.block.start; });
  busy_.insert(pos, std::move(o));
}

bool calendar_state::release(const std::string& id) {
  auto it =
      std::find_if(busy_.begin(), busy_.end(), [&](const occupancy& o) { return o.id == id; });
  if (it == busy_.end()) return false;
  busy_.erase(it);
  return true;
}

std::vector<occupancy> calendar_state::busy_without(const std::string& id) const {
  std::vector<occupancy> out;
  out.reserve(busy_.size());
  std::copy_if(busy_.begin(), busy_.end(), std::back_inserter(out),
               [&](const occupancy& o) { return o.id != id; });
  return out;
}

void calendar_state::add_appointment(const appointment& a) {
  appointments[a.id] = a;
  occupy({a.id, occupancy_kind::appointment, a.block(), a.patient_id});
}

void calendar_state::drop_appointment(const std::string& id) {
  appointments.erase(id);
  release(id);
}

void calendar_state::add_hold(const hold& h) {
  holds[h.id] = h;
  occupy({h.id, occupancy_kind::hold, h.block(), h.patient_id});
}

void calendar_state::drop_hold(const std::string& id) {
  holds.erase(id);
  release(id);
}

const service_info* calendar_state::service(const std::string& id) const {
  auto it = services.find(id);
  return it == services.end() ? nullptr : &it->second;
}

std::string reply_key(const std::string& patient_id, const std::string& idempotency_key) {
  return patient_id + '\n' + idempotency_key;
}

}  // namespace mundoctor::calendar
