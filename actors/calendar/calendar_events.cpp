#include "actors/calendar/calendar_events.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <nlohmann/json.hpp>

#include "actors/calendar/local_time.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"

namespace mundoctor::actors {

namespace {

void publish(caf::event_based_actor* self, calendar::calendar_state& st, nlohmann::json event) {
  event["professionalId"] = st.professional_id;
  event["seq"] = ++st.seq;
  auto hub = caf::actor_cast<caf::actor>(self->system().registry().get(names::ws_hub));
  if (!hub) return;
  self->send(hub, publish_atom::value, "calendar:" + st.professional_id, event.dump());
}

}  // namespace

void publish_slot(caf::event_based_actor* self, calendar::calendar_state& st, const char* type,
                  const calendar::interval& slot) {
  publish(self, st,
          {{"type", type},
           {"start", calendar::format_rfc3339_utc(slot.start)},
           {"end", calendar::format_rfc3339_utc(slot.end)}});
}

void publish_changed(caf::event_based_actor* self, calendar::calendar_state& st) {
  publish(self, st, {{"type", "calendar.changed"}});
}

}  // namespace mundoctor::actors
