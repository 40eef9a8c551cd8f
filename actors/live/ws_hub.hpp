#pragma once

// The live-update hub: fans published events out to the WebSocket connections subscribed to
// their topic ("calendar:<profile uuid>", "user:<user id>"). Protocol in ws_protocol.hpp.
// It never blocks: sinks only queue the frame on their connection, and a sink that refuses one
// (connection gone, or its queue is over the bound) is dropped from every topic.

#include <caf/behavior.hpp>
#include <caf/fwd.hpp>

namespace mundoctor::actors {

caf::behavior ws_hub(caf::event_based_actor* self);

}  // namespace mundoctor::actors
