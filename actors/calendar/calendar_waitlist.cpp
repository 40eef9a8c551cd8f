// The waitlist: patients wait for a window at a professional; when an occupying appointment in
// that window is cancelled, the oldest waiting patient is offered a hold on the freed slot.

#include <caf/all.hpp>

#include "actors/calendar/availability.hpp"
#include "actors/calendar/calendar_events.hpp"
#include "actors/calendar/calendar_handlers.hpp"
#include "actors/calendar/calendar_json.hpp"
#include "actors/calendar/local_time.hpp"
#include "actors/db_call.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "persistence/calendar/calendar_repository.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mundoctor::persistence::waitlist_entry)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<mundoctor::persistence::waitlist_entry>)

namespace mundoctor::actors {

using namespace calendar;
using std::chrono::seconds;
using entry = persistence::waitlist_entry;

namespace {

constexpr auto max_window = std::chrono::hours{24 * 62};

nlohmann::json to_json(const entry& e) {
  return {{"id", e.id},
          {"professional_id", e.professional_id},
          {"patient_id", e.patient_id},
          {"service_id", e.service_id.empty() ? nlohmann::json() : nlohmann::json(e.service_id)},
          {"from", format_rfc3339_utc(e.window.start)},
          {"to", format_rfc3339_utc(e.window.end)},
          {"status", e.status},
          {"created_at", format_rfc3339_utc(e.created_at)}};
}

void tell_patient(caf::event_based_actor* self, const std::string& user_id, nlohmann::json event) {
  auto hub = caf::actor_cast<caf::actor>(self->system().registry().get(names::ws_hub));
  if (hub) self->send(hub, notify_atom::value, user_id, event.dump());
}

// Creates the offered hold and marks the entry offered, in one job.
void offer(caf::event_based_actor* self, const calendar_data_ptr& d, const entry& e,
           const service_info& svc, instant start) {
  auto& st = d->st;
  if (check_slot(st.sched, svc, st.busy(), start, now_seconds(), e.patient_id) !=
      slot_problem::none)
    return;
  hold h;
  h.professional_id = st.professional_id;
  h.patient_id = e.patient_id;
  h.service_id = svc.id;
  h.starts_at = start;
  h.ends_at = start + std::chrono::minutes{svc.duration_minutes};
  auto block = block_of(st.sched.policy, svc, start);
  h.buffer_before_minutes = static_cast<int>((start - block.start).count() / 60);
  h.buffer_after_minutes = static_cast<int>((block.end - h.ends_at).count() / 60);
  h.expires_at = now_seconds() + seconds{st.sched.policy.hold_ttl_seconds};
  auto pending = next_pending_id(st);
  st.occupy({pending, occupancy_kind::hold, h.block(), h.patient_id});
  run_job<hold>(
      self, d->timeout(),
      make_job("waitlist.offer",
               [h, id = e.id](pqxx::connection_base& conn) {
                 auto stored = persistence::insert_hold(conn, h);
                 persistence::mark_offered(conn, id, stored.id);
                 return caf::make_message(stored);
               }),
      [self, d, pending](hold& stored) {
        d->st.release(pending);
        d->st.add_hold(stored);
        self->delayed_send(self, stored.expires_at - now_seconds(), expire_atom::value, stored.id);
        publish_slot(self, d->st, "calendar.slot_taken", stored.block());
        tell_patient(self, stored.patient_id,
                     {{"type", "notification"},
                      {"event", "waitlist.offer"},
                      {"professionalId", d->st.professional_id},
                      {"holdId", stored.id},
                      {"start", format_rfc3339_utc(stored.starts_at)},
                      {"expiresAt", format_rfc3339_utc(stored.expires_at)}});
      },
      [d, pending](caf::error&) { d->st.release(pending); });
}

}  // namespace

void offer_freed_slot(caf::event_based_actor* self, const calendar_data_ptr& d,
                      const appointment& freed) {
  auto professional = d->st.professional_id;
  interval window{freed.starts_at, freed.ends_at};
  run_job<std::optional<entry>>(
      self, d->timeout(),
      make_job("waitlist.first",
               [professional, window](pqxx::connection_base& conn) {
                 return caf::make_message(
                     persistence::first_waiting_entry(conn, professional, window));
               }),
      [self, d, freed](std::optional<entry>& e) {
        if (!e) return;
        auto svc_id = e->service_id.empty() ? freed.service_id : e->service_id;
        auto svc = d->st.service(svc_id);
        if (svc) offer(self, d, *e, *svc, freed.starts_at);
      },
      [](caf::error&) {});
}

caf::result<std::string> join_waitlist(caf::event_based_actor* self, const calendar_data_ptr& d,
                                       const waitlist_request& req) {
  instant from{seconds{req.from_unix}};
  instant to{seconds{req.to_unix}};
  if (to <= from || to - from > max_window || to <= now_seconds())
    return make_error(errc::invalid_argument,
                      "The window must end after it starts, in the future,"
                      " and span at most 62 days",
                      "INVALID_WINDOW");
  if (!req.service_id.empty() && !d->st.service(req.service_id))
    return make_error(errc::not_found, "Service not found", "SERVICE_NOT_FOUND");
  entry e;
  e.professional_id = d->st.professional_id;
  e.patient_id = req.patient_id;
  e.service_id = req.service_id;
  e.window = {from, to};
  auto rp = self->make_response_promise<std::string>();
  run_job<entry>(
      self, d->timeout(),
      make_job("waitlist.add",
               [e](pqxx::connection_base& conn) {
                 return caf::make_message(persistence::add_waitlist_entry(conn, e));
               }),
      [rp](entry& stored) mutable { rp.deliver(to_json(stored).dump()); },
      [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
  return rp;
}

}  // namespace mundoctor::actors
