#pragma once

// The request handlers of a loaded calendar actor (see calendar_actor.hpp).

#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/behavior.hpp>
#include <caf/fwd.hpp>
#include <caf/result.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/calendar/availability.hpp"
#include "actors/calendar/calendar_actor.hpp"
#include "actors/calendar/calendar_state.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/identity.hpp"

// Repository results travel from the pool back to the calendar actor (local messages only).
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mundoctor::calendar::appointment)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mundoctor::calendar::hold)

namespace mundoctor::actors {

struct calendar_data {
  calendar::calendar_state st;
  calendar_context ctx;
  /// Bookings in flight that carry an idempotency key (by reply_key): retries with the same key
  /// that arrive meanwhile wait here for the first request's answer.
  std::unordered_map<std::string, std::vector<caf::typed_response_promise<std::string>>>
      key_waiters;
  /// A reload is queued (see reload_if_stale); several conflicts cost one reload.
  bool reload_queued = false;
  std::chrono::milliseconds timeout() const {
    return std::chrono::milliseconds{ctx.settings->request_timeout_ms};
  }
};

using calendar_data_ptr = std::shared_ptr<calendar_data>;

/// availability, check, book, hold, cancel, status, reschedule, calendar view, hold expiry.
caf::behavior calendar_handlers(caf::event_based_actor* self, const calendar_data_ptr& d);

/// hold, cancel, status, reschedule, calendar view and hold expiry (calendar_changes.cpp).
caf::behavior calendar_change_handlers(caf::event_based_actor* self, const calendar_data_ptr& d);

/// After a cancellation: offers the freed slot to the oldest waiting patient
/// (calendar_waitlist.cpp).
void offer_freed_slot(caf::event_based_actor* self, const calendar_data_ptr& d,
                      const calendar::appointment& freed);

/// (waitlist_atom, waitlist_request)
caf::result<std::string> join_waitlist(caf::event_based_actor* self, const calendar_data_ptr& d,
                                       const waitlist_request& req);

/// Now, to the second.
calendar::instant now_seconds();

/// After the database refused a change that memory allowed (its exclusion constraint fired:
/// 409 SLOT_TAKEN), memory is behind the database, e.g. a row committed by an earlier
/// incarnation after this one loaded. The refused `block` is marked busy at once and one
/// reload is queued, so the slot stops being offered before the next request is served.
void reload_if_stale(caf::event_based_actor* self, const calendar_data_ptr& d,
                     const caf::error& err, const calendar::interval& block);

/// The error of a refused slot: 409 SLOT_TAKEN or 422 with the rule's machine code.
caf::error slot_error(calendar::slot_problem p);

/// The patient, the professional or an admin may act on an appointment.
bool may_act(const calendar::calendar_state& st, const calendar::appointment& a,
             const principal& who);

/// A patient acting within cancellation_window_hours of the start.
bool inside_cancellation_window(const calendar::calendar_state& st, const calendar::appointment& a,
                                const principal& who);

/// The occupancy id of an in-flight change ("pending:<n>").
std::string next_pending_id(calendar::calendar_state& st);

}  // namespace mundoctor::actors
