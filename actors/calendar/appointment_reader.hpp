#pragma once

// Appointment reads that need no calendar actor: one appointment, lists with filters and
// paging, the patient page, and locating an appointment's professional before a change is
// routed to its calendar. Access rules: patients see their own appointments, professionals
// theirs, admins all; anything else is answered not_found (ids never reveal existence).

#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

#include "actors/calendar/calendar_actor.hpp"

namespace mundoctor::actors {

caf::behavior appointment_reader(caf::event_based_actor* self, calendar_context ctx);

}  // namespace mundoctor::actors
