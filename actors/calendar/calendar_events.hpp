#pragma once

// Live calendar events for WebSocket subscribers of topic "calendar:<professionalId>":
// {"type":"calendar.slot_taken"|"calendar.slot_freed"|"calendar.changed","professionalId",
//  "start","end","seq"} with a per-calendar monotonic seq and no patient data.

#include <caf/fwd.hpp>

#include "actors/calendar/calendar_state.hpp"

namespace mundoctor::actors {

void publish_slot(caf::event_based_actor* self, calendar::calendar_state& st, const char* type,
                  const calendar::interval& slot);

void publish_changed(caf::event_based_actor* self, calendar::calendar_state& st);

}  // namespace mundoctor::actors
