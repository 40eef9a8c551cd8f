// Changes to existing bookings: holds, cancellation, the status machine, rescheduling, and the
// calendar view. Each change is decided in memory, committed through the pool, and only then
// applied to the state and acknowledged.

#include <caf/all.hpp>

#include "actors/calendar/calendar_events.hpp"
#include "actors/calendar/calendar_handlers.hpp"
#include "actors/calendar/calendar_json.hpp"
#include "actors/db_call.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::actors {

using namespace calendar;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

caf::error not_found() { return make_error(errc::not_found, "Appointment not found"); }

caf::error invalid_transition(const std::string& from, const std::string& to) {
  return make_error(errc::conflict, "An appointment cannot go from " + from + " to " + to,
                    "INVALID_TRANSITION");
}

caf::error window_passed() {
  return make_error(errc::conflict, "The cancellation window has passed",
                    "CANCELLATION_WINDOW_PASSED");
}

caf::error changed_meanwhile() {
  return make_error(errc::conflict, "The appointment changed meanwhile, reload it", "CONFLICT");
}

caf::result<std::string> place_hold(caf::event_based_actor* self, const calendar_data_ptr& d,
                                    book_request& req) {
  auto& st = d->st;
  if (!st.bookable)
    return make_error(errc::invalid_argument, "The professional cannot take bookings now",
                      "PROFESSIONAL_NOT_BOOKABLE");
  auto svc = st.service(req.service_id);
  if (!svc) return make_error(errc::not_found, "Service not found", "SERVICE_NOT_FOUND");
  instant start{seconds{req.start_unix}};
  auto p = check_slot(st.sched, *svc, st.busy(), start, now_seconds(), req.patient_id);
  if (p != slot_problem::none) return slot_error(p);
  hold h;
  h.professional_id = st.professional_id;
  h.patient_id = req.patient_id;
  h.service_id = svc->id;
  h.starts_at = start;
  h.ends_at = start + minutes{svc->duration_minutes};
  auto block = block_of(st.sched.policy, *svc, start);
  h.buffer_before_minutes = static_cast<int>((start - block.start).count() / 60);
  h.buffer_after_minutes = static_cast<int>((block.end - h.ends_at).count() / 60);
  h.expires_at = now_seconds() + seconds{st.sched.policy.hold_ttl_seconds};
  auto pending = next_pending_id(st);
  st.occupy({pending, occupancy_kind::hold, h.block(), h.patient_id});
  auto rp = self->make_response_promise<std::string>();
  run_job<hold>(
      self, d->timeout(),
      make_job("holds.insert",
               [h](pqxx::connection_base& conn) {
                 return caf::make_message(persistence::insert_hold(conn, h));
               }),
      [self, d, rp, pending](hold& stored) mutable {
        d->st.release(pending);
        d->st.add_hold(stored);
        self->delayed_send(self, stored.expires_at - now_seconds(), expire_atom::value, stored.id);
        publish_slot(self, d->st, "calendar.slot_taken", stored.block());
        rp.deliver(to_json(stored).dump());
      },
      [self, d, rp, pending, refused = h.block()](caf::error& err) mutable {
        d->st.release(pending);
        reload_if_stale(self, d, err, refused);
        rp.deliver(std::move(err));
      });
  return rp;
}

void expire_hold(caf::event_based_actor* self, const calendar_data_ptr& d, const std::string& id) {
  auto it = d->st.holds.find(id);
  if (it == d->st.holds.end() || it->second.expires_at > now_seconds()) return;
  auto block = it->second.block();
  d->st.drop_hold(id);
  publish_slot(self, d->st, "calendar.slot_freed", block);
  auto professional = d->st.professional_id;
  run_job<std::vector<std::string>>(
      self, d->timeout(),
      make_job("holds.expire",
               [professional](pqxx::connection_base& conn) {
                 return caf::make_message(
                     persistence::expire_holds(conn, professional, now_seconds()));
               }),
      [](std::vector<std::string>&) {}, [](caf::error&) {});
}

// Moves an appointment to `to` (cancelled included) after the status machine allows it.
caf::result<std::string> change_status(caf::event_based_actor* self, const calendar_data_ptr& d,
                                       const std::string& id, const std::string& to,
                                       const std::string& reason, const principal& who) {
  auto& st = d->st;
  auto it = st.appointments.find(id);
  if (it == st.appointments.end()) return not_found();
  const auto& a = it->second;
  if (!may_act(st, a, who)) return not_found();
  if (!allowed_transition(a.status, to)) return invalid_transition(a.status, to);
  bool patient = who.user_id == a.patient_id && who.user_id != st.user_id;
  if (patient && to != "cancelled")
    return make_error(errc::forbidden, "Only the professional changes an appointment's status");
  if (to == "cancelled" && inside_cancellation_window(st, a, who)) return window_passed();
  auto from = a.status;
  auto rp = self->make_response_promise<std::string>();
  run_job<bool>(
      self, d->timeout(),
      make_job("appointments.status",
               [id, from, to, reason, by = who.user_id](pqxx::connection_base& conn) {
                 return caf::make_message(
                     persistence::update_status(conn, id, from, to, by, reason));
               }),
      [self, d, rp, id, to, reason](bool changed) mutable {
        auto found = d->st.appointments.find(id);
        if (!changed || found == d->st.appointments.end()) {
          rp.deliver(changed_meanwhile());
          return;
        }
        auto updated = found->second;
        updated.status = to;
        if (to == "cancelled") updated.cancellation_reason = reason;
        if (is_occupying(to)) {
          found->second = updated;
        } else {
          d->st.drop_appointment(id);
          publish_slot(self, d->st, "calendar.slot_freed", updated.block());
          if (to == "cancelled") offer_freed_slot(self, d, updated);
        }
        rp.deliver(to_json(updated).dump());
      },
      [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

caf::result<std::string> move(caf::event_based_actor* self, const calendar_data_ptr& d,
                              const std::string& id, int64_t start_unix, const principal& who) {
  auto& st = d->st;
  auto it = st.appointments.find(id);
  if (it == st.appointments.end()) return not_found();
  const auto& a = it->second;
  if (!may_act(st, a, who)) return not_found();
  if (inside_cancellation_window(st, a, who)) return window_passed();
  service_info svc;
  if (auto known = st.service(a.service_id)) svc = *known;
  svc.duration_minutes = static_cast<int>((a.ends_at - a.starts_at).count() / 60);
  svc.buffer_before_minutes = a.buffer_before_minutes;
  svc.buffer_after_minutes = a.buffer_after_minutes;
  svc.active = true;
  instant start{seconds{start_unix}};
  auto p = check_slot(st.sched, svc, st.busy_without(id), start, now_seconds(), a.patient_id);
  if (p != slot_problem::none) return slot_error(p);
  instant end = start + (a.ends_at - a.starts_at);
  auto moved = a;
  moved.starts_at = start;
  moved.ends_at = end;
  // The old slot stays taken until the new one is committed.
  auto pending = next_pending_id(st);
  st.occupy({pending, occupancy_kind::appointment, moved.block(), a.patient_id});
  auto rp = self->make_response_promise<std::string>();
  run_job<bool>(
      self, d->timeout(),
      make_job("appointments.reschedule",
               [id, start, end, by = who.user_id](pqxx::connection_base& conn) {
                 return caf::make_message(persistence::reschedule(conn, id, start, end, by));
               }),
      [self, d, rp, pending, moved, old_block = a.block()](bool ok) mutable {
        d->st.release(pending);
        if (!ok || !d->st.appointments.count(moved.id)) {
          rp.deliver(changed_meanwhile());
          return;
        }
        d->st.drop_appointment(moved.id);
        d->st.add_appointment(moved);
        publish_slot(self, d->st, "calendar.slot_freed", old_block);
        publish_slot(self, d->st, "calendar.slot_taken", moved.block());
        rp.deliver(to_json(moved).dump());
      },
      [self, d, rp, pending, refused = moved.block()](caf::error& err) mutable {
        d->st.release(pending);
        reload_if_stale(self, d, err, refused);
        rp.deliver(std::move(err));
      });
  return rp;
}

std::string calendar_view(const calendar_state& st, int64_t from_unix, int64_t to_unix) {
  interval range{instant{seconds{from_unix}}, instant{seconds{to_unix}}};
  auto appointments = nlohmann::json::array();
  for (const auto& [id, a] : st.appointments)
    if (interval{a.starts_at, a.ends_at}.overlaps(range)) appointments.push_back(to_json(a));
  auto holds = nlohmann::json::array();
  for (const auto& [id, h] : st.holds)
    if (interval{h.starts_at, h.ends_at}.overlaps(range)) holds.push_back(to_json(h));
  return nlohmann::json{{"appointments", std::move(appointments)}, {"holds", std::move(holds)}}
      .dump();
}

}  // namespace

caf::behavior calendar_change_handlers(caf::event_based_actor* self, const calendar_data_ptr& d) {
  return {
      [self, d](hold_atom, book_request& req) { return place_hold(self, d, req); },
      [self, d](expire_atom, const std::string& id) { expire_hold(self, d, id); },
      [self, d](cancel_atom, const std::string& id, const std::string& reason,
                const principal& who) {
        return change_status(self, d, id, "cancelled", reason, who);
      },
      [self, d](status_atom, const std::string& id, const std::string& to, const principal& who) {
        return change_status(self, d, id, to, {}, who);
      },
      [self, d](reschedule_atom, const std::string& id, int64_t start_unix, const principal& who) {
        return move(self, d, id, start_unix, who);
      },
      [self, d](waitlist_atom, const waitlist_request& req) { return join_waitlist(self, d, req); },
      [d](calendar_atom, int64_t from_unix, int64_t to_unix) {
        return calendar_view(d->st, from_unix, to_unix);
      },
  };
}

}  // namespace mundoctor::actors
