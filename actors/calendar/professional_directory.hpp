#pragma once

// Resolves the ids clients use for a professional (the profile uuid or the user id) to the
// profile uuid that keys the calendar registry, with a cache: the mapping never changes.
//   (resolve_pro_atom, id) -> std::string profile uuid, or errc::not_found

#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

#include "config/settings.hpp"

namespace mundoctor::actors {

caf::behavior professional_directory(caf::event_based_actor* self,
                                     const config::settings* settings);

}  // namespace mundoctor::actors
