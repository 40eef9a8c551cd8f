#pragma once

// Messages of the calendar actors: one actor per professional, reached through the calendar
// registry (names::calendars) as (route_atom, professional_profile_id, payload). The key is
// always the professional's profile uuid (resolve ids first: names::professionals), so one
// professional never has two calendar actors.
//
// Payloads and replies (JSON crosses the boundary as text):
//   (availability_atom, service_id, from "YYYY-MM-DD", to "YYYY-MM-DD")
//       -> std::string {"professionalId","serviceId","timezone","days":[{"date","slots":[...]}]}
//   (check_atom, service_id, start_unix, patient_id)     -> std::string {"available", "reason"?}
//   (book_atom, book_request)                           -> std::string appointment JSON
//   (hold_atom, book_request)                           -> std::string hold JSON
//   (cancel_atom, appointment_id, reason, principal)    -> std::string appointment JSON
//   (status_atom, appointment_id, new_status, principal)-> std::string appointment JSON
//   (reschedule_atom, appointment_id, new_start_unix, principal) -> std::string appointment JSON
//   (calendar_atom, from_unix, to_unix)                 -> std::string {"appointments","holds"}
//   (waitlist_atom, waitlist_request)                   -> std::string waitlist entry JSON; when
//       an occupying appointment in the window is cancelled, the oldest waiting patient is
//       offered a hold on the freed slot (and told on their "user:<id>" channel)
//   (reload_atom)                                       -> bool: state reloaded from the database
//   (apply_atom, persistence::db_job)                   -> the job's std::string reply, after
//       the job committed and the state was reloaded: schedule, exception, policy and service
//       changes go through here so availability is never stale and changes are serialized
//       with bookings
// Errors are mundoctor errors: 409 SLOT_TAKEN / INVALID_TRANSITION / CANCELLATION_WINDOW_PASSED,
// 422 OUTSIDE_WORKING_HOURS / TOO_SOON / TOO_FAR / PROFESSIONAL_NOT_BOOKABLE / SERVICE_INACTIVE.

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

namespace mundoctor {

using availability_atom = caf::atom_constant<caf::atom("avail")>;
using check_atom = caf::atom_constant<caf::atom("check")>;
using book_atom = caf::atom_constant<caf::atom("book")>;
using hold_atom = caf::atom_constant<caf::atom("hold")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using status_atom = caf::atom_constant<caf::atom("status")>;
using reschedule_atom = caf::atom_constant<caf::atom("resched")>;
using calendar_atom = caf::atom_constant<caf::atom("calendar")>;
using reload_atom = caf::atom_constant<caf::atom("reload")>;
using waitlist_atom = caf::atom_constant<caf::atom("waitlist")>;
using notify_atom = caf::atom_constant<caf::atom("notify")>;  // ws hub: (user_id, json)
using apply_atom = caf::atom_constant<caf::atom("apply")>;
using expire_atom = caf::atom_constant<caf::atom("expire")>;
using publish_atom = caf::atom_constant<caf::atom("publish")>;  // ws hub: (topic, json)
using resolve_pro_atom = caf::atom_constant<caf::atom("resolvepro")>;

// Appointment reads (published as names::appointments; they run on the DB pool):
//   (locate_atom, appointment_id, principal)  -> std::string professional profile uuid, or
//                                                not_found when missing or not the caller's
//   (get_atom, appointment_id, principal)     -> std::string appointment JSON (+ history)
//   (list_atom, appointment_query)            -> std::string {"items":[...],"total":N}
//   (patient_atom, patient_id, start_date, end_date, status, language) -> std::string array
using locate_atom = caf::atom_constant<caf::atom("locate")>;
using list_atom = caf::atom_constant<caf::atom("list")>;
using patient_atom = caf::atom_constant<caf::atom("patient")>;

struct appointment_query {
  std::string viewer_id;
  std::string viewer_role;
  std::string status;
  int64_t from_unix = 0;  // 0 = unbounded
  int64_t to_unix = 0;
  std::string professional_id;  // profile uuid or user id; empty = any
  std::string patient_id;
  int64_t page = 1;
  int64_t limit = 20;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, appointment_query& x) {
  return f(caf::meta::type_name("appointment_query"), x.viewer_id, x.viewer_role, x.status,
           x.from_unix, x.to_unix, x.professional_id, x.patient_id, x.page, x.limit);
}

struct book_request {
  std::string patient_id;
  std::string service_id;
  int64_t start_unix = 0;
  std::string modality = "in_person";
  std::string notes;
  std::string idempotency_key;
  std::string hold_id;
  std::string created_by;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_request& x) {
  return f(caf::meta::type_name("book_request"), x.patient_id, x.service_id, x.start_unix,
           x.modality, x.notes, x.idempotency_key, x.hold_id, x.created_by);
}

struct waitlist_request {
  std::string patient_id;
  std::string service_id;  // empty = any service
  int64_t from_unix = 0;
  int64_t to_unix = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, waitlist_request& x) {
  return f(caf::meta::type_name("waitlist_request"), x.patient_id, x.service_id, x.from_unix,
           x.to_unix);
}

}  // namespace mundoctor
