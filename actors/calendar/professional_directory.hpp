#pragma once

// Resolves the ids clients use for a professional (the profile uuid or the user id) to the
// profile uuid that keys the calendar registry, with a cache: the mapping never changes.
//   (resolve_pro_atom, id) -> std::string profile uuid, or errc::not_found
// The cache is a professional_ids map the HTTP threads read directly (http/routes/
// calendar_client.cpp), so a known id costs no message; only this actor writes it.

#include <memory>
#include <string>

#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

#include "actors/protocol/sharded_map.hpp"
#include "config/settings.hpp"

namespace mundoctor::actors {

/// Client id (profile uuid or user id) -> profile uuid.
using professional_ids = sharded_map<std::string>;
constexpr std::size_t max_cached_professional_ids = 200'000;

/// `ids` may be null: the actor then keeps its own map.
caf::behavior professional_directory(caf::event_based_actor* self, const config::settings* settings,
                                     std::shared_ptr<professional_ids> ids);

}  // namespace mundoctor::actors
