#pragma once

// One professional's calendar (see actors/protocol/calendar_messages.hpp for its protocol).
// It loads its state from the database on start, decides every booking in memory (so all
// bookings of one professional are serialized by its mailbox and rejected in microseconds when
// they conflict), acknowledges a booking only after the row is committed, and publishes
// slot_taken / slot_freed / changed events. Messages that arrive while it loads wait in its
// mailbox. It passivates when idle (actors/lifecycle.hpp) and is respawned from the database.

#include <string>

#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

#include "config/settings.hpp"

namespace mundoctor::persistence {
class data_cipher;
}

namespace mundoctor::actors {

struct calendar_context {
  const config::settings* settings = nullptr;
  const persistence::data_cipher* cipher = nullptr;  // null: notes cannot be stored
  /// The previous calendar of this professional crashed: a booking it began may commit after
  /// this one loaded, so the state is loaded once more after the request timeout.
  bool after_crash = false;
};

caf::behavior calendar_actor(caf::event_based_actor* self, std::string professional_id,
                             calendar_context ctx);

}  // namespace mundoctor::actors
