#include "actors/calendar/calendar_handlers.hpp"

#include <caf/all.hpp>

#include "actors/calendar/availability.hpp"
#include "actors/calendar/calendar_events.hpp"
#include "actors/calendar/calendar_json.hpp"
#include "actors/calendar/local_time.hpp"
#include "actors/db_call.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/identity.hpp"
#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/sql_errors.hpp"

namespace mundoctor::actors {

using namespace calendar;
using std::chrono::minutes;
using std::chrono::seconds;

instant now_seconds() { return date::floor<seconds>(std::chrono::system_clock::now()); }

caf::error slot_error(slot_problem p) {
  if (p == slot_problem::slot_taken)
    return make_error(errc::slot_taken, "That time slot is no longer available", "SLOT_TAKEN");
  static const char* messages[] = {"",
                                   "The time is outside the professional's working hours",
                                   "The time is too soon to book",
                                   "The time is too far ahead",
                                   "",
                                   "The service is not active"};
  return make_error(errc::invalid_argument, messages[static_cast<int>(p)], machine_code(p));
}

// The patient, the professional or an admin may act on an appointment; others never see it.
bool may_act(const calendar_state& st, const appointment& a, const principal& who) {
  return who.user_id == a.patient_id || who.user_id == st.user_id || is_admin(who);
}

bool inside_cancellation_window(const calendar_state& st, const appointment& a,
                                const principal& who) {
  if (who.user_id != a.patient_id) return false;
  return now_seconds() >
         a.starts_at - std::chrono::hours{st.sched.policy.cancellation_window_hours};
}

void reload_if_stale(caf::event_based_actor* self, const calendar_data_ptr& d,
                     const caf::error& err, const interval& block) {
  // The database holds a booking memory does not know (SLOT_TAKEN from the backstop), or may
  // hold this one (a statement whose outcome is unknown): the interval stays taken until the
  // reload shows what is there.
  auto info = inspect_error(err);
  if (info.code != errc::slot_taken && info.machine_code != persistence::outcome_unknown_code)
    return;
  // Not "pending:": the reload replaces it with what the database holds.
  d->st.occupy(
      {"stale:" + std::to_string(++d->st.pending_count), occupancy_kind::appointment, block, {}});
  if (d->reload_queued) return;
  d->reload_queued = true;
  self->anon_send(self, reload_atom::value);
}

std::string next_pending_id(calendar_state& st) {
  return "pending:" + std::to_string(++st.pending_count);
}

namespace {

constexpr int max_range_days = 31;

caf::result<std::string> availability(const calendar_data_ptr& d, const std::string& service_id,
                                      const std::string& from, const std::string& to) {
  const auto& st = d->st;
  auto svc = st.service(service_id);
  if (!svc) return make_error(errc::not_found, "Service not found", "SERVICE_NOT_FOUND");
  auto f = parse_date(from);
  auto t = parse_date(to);
  if (!f || !t) return make_error(errc::invalid_argument, "from and to must be YYYY-MM-DD dates");
  auto days = (date::sys_days{*t} - date::sys_days{*f}).count();
  if (days < 0 || days >= max_range_days)
    return make_error(errc::invalid_argument, "The range must be 1 to 31 days", "RANGE_TOO_LONG");
  std::vector<day_slots> slots;
  if (st.bookable) {
    slots = free_slots(st.sched, *svc, st.busy(), *f, *t, now_seconds());
  } else {
    for (auto day = date::sys_days{*f}; day <= date::sys_days{*t}; day += date::days{1})
      slots.push_back({date::year_month_day{day}, {}});
  }
  return availability_json(st.professional_id, service_id, st.sched.zone, slots).dump();
}

caf::error check_booking(const calendar_state& st, const book_request& req, instant start,
                         const service_info*& svc) {
  if (!st.bookable)
    return make_error(errc::invalid_argument, "The professional cannot take bookings now",
                      "PROFESSIONAL_NOT_BOOKABLE");
  svc = st.service(req.service_id);
  if (!svc) return make_error(errc::not_found, "Service not found", "SERVICE_NOT_FOUND");
  auto offered = std::find(svc->modalities.begin(), svc->modalities.end(), req.modality);
  if (offered == svc->modalities.end())
    return make_error(errc::invalid_argument, "The service is not offered in that modality",
                      "MODALITY_NOT_OFFERED");
  if (!req.hold_id.empty()) {
    auto it = st.holds.find(req.hold_id);
    if (it == st.holds.end() || it->second.patient_id != req.patient_id ||
        it->second.starts_at != start || it->second.service_id != req.service_id)
      return make_error(errc::conflict, "The hold does not exist or does not match",
                        "HOLD_INVALID");
  }
  auto p = check_slot(st.sched, *svc, st.busy(), start, now_seconds(), req.patient_id);
  return p == slot_problem::none ? caf::error{} : slot_error(p);
}

appointment new_appointment(const calendar_state& st, const service_info& svc,
                            const book_request& req, instant start) {
  appointment a;
  a.professional_id = st.professional_id;
  a.patient_id = req.patient_id;
  a.service_id = svc.id;
  a.starts_at = start;
  a.ends_at = start + minutes{svc.duration_minutes};
  auto block = block_of(st.sched.policy, svc, start);
  a.buffer_before_minutes =
      static_cast<int>(std::chrono::duration_cast<minutes>(start - block.start).count());
  a.buffer_after_minutes =
      static_cast<int>(std::chrono::duration_cast<minutes>(block.end - a.ends_at).count());
  a.timezone = st.sched.zone;
  a.status = st.sched.policy.auto_confirm ? "confirmed" : "pending";
  a.modality = req.modality;
  a.price_cents = effective_price_cents(svc, now_seconds());
  a.currency = svc.currency;
  a.notes = req.notes;
  a.idempotency_key = req.idempotency_key;
  a.created_by = req.created_by.empty() ? req.patient_id : req.created_by;
  return a;
}

// A plain booking's input to the booking group.
struct booking_item {
  std::shared_ptr<const appointment> a;  // shared with the job's run and step
  const persistence::data_cipher* cipher = nullptr;
};

// Plain bookings that the pool batches together go into one statement.
std::shared_ptr<const persistence::db_group> booking_group() {
  static const auto group = std::make_shared<const persistence::db_group>(persistence::db_group{
      [](pqxx::transaction_base& tx, const std::vector<persistence::db_job>& jobs) {
        std::vector<const appointment*> appts;
        const persistence::data_cipher* cipher = nullptr;
        for (const auto& j : jobs) {
          const auto* item = std::any_cast<booking_item>(&j.item);
          if (!item || (!appts.empty() && item->cipher != cipher))  // nothing sent yet
            throw persistence::domain_error(errc::internal,
                                            "bookings that cannot share a statement");
          cipher = item->cipher;
          appts.push_back(item->a.get());
        }
        std::vector<caf::message> replies;
        for (auto& stored : persistence::insert_appointments(tx, appts, cipher))
          replies.push_back(caf::make_message(std::move(stored), false));
        return replies;
      }});
  return group;
}

// Inserts the appointment (or converts the hold); a reused idempotency key answers the
// appointment it created first, marked as a replay.
// A plain booking (no hold to convert) may share its transaction with other bookings (the
// pool's group commit); anything unusual (a reused idempotency key, an overlap) makes the pool
// run it alone, through `run`.
persistence::db_job insert_job(appointment appt, std::string hold_id,
                               const persistence::data_cipher* cipher) {
  // One copy of the appointment for the three ways the pool may run the job.
  auto a = std::make_shared<const appointment>(std::move(appt));
  auto job = make_job("appointments.insert", [a, hold_id, cipher](pqxx::connection_base& conn) {
    try {
      auto stored = hold_id.empty() ? persistence::insert_appointment(conn, *a, cipher)
                                    : persistence::convert_hold(conn, hold_id, *a, cipher);
      return caf::make_message(stored, false);
    } catch (const persistence::domain_error& e) {
      if (e.code() != errc::already_exists || a->idempotency_key.empty()) throw;
      auto first =
          persistence::find_by_idempotency_key(conn, a->patient_id, a->idempotency_key, cipher);
      if (!first) throw;
      return caf::make_message(*first, true);
    }
  });
  if (hold_id.empty()) {
    job.step = [a, cipher](pqxx::transaction_base& tx) {
      return caf::make_message(persistence::insert_appointment(tx, *a, cipher), false);
    };
    job.group = booking_group();
    job.item = booking_item{a, cipher};
  }
  return job;
}

// The answer of an in-flight booking also answers the retries that waited for it.
template <class Answer>
void answer_waiters(const calendar_data_ptr& d, const std::string& key, const Answer& answer) {
  auto it = d->key_waiters.find(key);
  if (it == d->key_waiters.end()) return;
  auto waiters = std::move(it->second);
  d->key_waiters.erase(it);
  for (auto& w : waiters) w.deliver(answer);
}

caf::result<std::string> book(caf::event_based_actor* self, const calendar_data_ptr& d,
                              book_request& req) {
  auto& st = d->st;
  std::string key;
  if (!req.idempotency_key.empty()) {
    key = reply_key(req.patient_id, req.idempotency_key);
    auto it = st.replies.find(key);
    if (it != st.replies.end()) return it->second;
    auto in_flight = d->key_waiters.find(key);
    if (in_flight != d->key_waiters.end()) {
      auto waiter = self->make_response_promise<std::string>();
      in_flight->second.push_back(waiter);
      return waiter;
    }
  }
  instant start{seconds{req.start_unix}};
  const service_info* svc = nullptr;
  if (auto err = check_booking(st, req, start, svc)) return err;
  auto a = new_appointment(st, *svc, req, start);
  auto pending = next_pending_id(st);
  st.occupy({pending, occupancy_kind::appointment, a.block(), a.patient_id});
  if (!key.empty()) d->key_waiters[key];
  auto rp = self->make_response_promise<std::string>();
  auto hold_id = req.hold_id;
  auto block = a.block();
  self->request(caf::actor_cast<caf::actor>(self->system().registry().get(names::db_pool)),
                d->timeout(), db_run_atom::value, insert_job(std::move(a), hold_id, d->ctx.cipher))
      .then(
          [self, d, rp, pending, hold_id, key](appointment& stored, bool replayed) mutable {
            auto& s = d->st;
            s.release(pending);
            auto json = to_json(stored).dump();
            if (!replayed) {
              if (!hold_id.empty()) s.drop_hold(hold_id);
              s.add_appointment(stored);
              publish_slot(self, s, "calendar.slot_taken", stored.block());
            } else if (s.appointments.count(stored.id) == 0 && is_occupying(stored.status)) {
              // The first attempt's outcome was unknown here; the retry shows it was stored.
              s.add_appointment(stored);
            }
            if (!stored.idempotency_key.empty())
              s.replies[reply_key(stored.patient_id, stored.idempotency_key)] = json;
            answer_waiters(d, key, json);
            rp.deliver(std::move(json));
          },
          [self, d, rp, pending, key, block](caf::error& err) mutable {
            d->st.release(pending);
            reload_if_stale(self, d, err, block);
            answer_waiters(d, key, err);
            rp.deliver(std::move(err));
          });
  return rp;
}

}  // namespace

caf::behavior calendar_handlers(caf::event_based_actor* self, const calendar_data_ptr& d) {
  caf::behavior reads{
      [d](availability_atom, const std::string& service_id, const std::string& from,
          const std::string& to) { return availability(d, service_id, from, to); },
      [d](check_atom, const std::string& service_id, int64_t start_unix,
          const std::string& patient_id) -> caf::result<std::string> {
        book_request req;
        req.service_id = service_id;
        req.patient_id = patient_id;
        const service_info* svc = nullptr;
        auto svc_ptr = d->st.service(service_id);
        if (svc_ptr && !svc_ptr->modalities.empty()) req.modality = svc_ptr->modalities.front();
        auto err = check_booking(d->st, req, instant{seconds{start_unix}}, svc);
        if (!err) return nlohmann::json{{"available", true}}.dump();
        auto info = inspect_error(err);
        if (info.code == errc::not_found) return err;
        return nlohmann::json{{"available", false}, {"reason", info.machine_code}}.dump();
      },
      [self, d](book_atom, book_request& req) { return book(self, d, req); },
  };
  return caf::behavior{
      reads.as_behavior_impl()->or_else(calendar_change_handlers(self, d).as_behavior_impl())};
}

}  // namespace mundoctor::actors
