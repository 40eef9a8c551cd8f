#pragma once

// The audit writer (published as names::audit): (audit_atom, audit_record) -> nothing.
// Records are batched and written through the DB pool published as `pool` every `flush_every`,
// or as soon as audit_batch_size of them wait. The server gives the trail a pool of its own
// (names::db_log_pool), so its batches never hold a connection that a booking waits for. A
// failed batch goes back to the buffer and is retried at the next flush; the buffer holds at
// most audit_buffer_limit records, beyond which the oldest are dropped (and counted in an error
// log). Records the database refuses (persistence::insert_audit_batch) are dropped, counted and
// logged, so they never hold back the others.
//
// Shutdown: an exit message with a non-normal reason (a supervisor's user_shutdown) makes the
// writer flush everything it holds and only then quit with that reason, so records are not
// lost on a graceful shutdown while the pool still runs. A batch that fails during shutdown is
// reported and dropped. Exit messages with the normal reason are ignored.
//
//   (stats_atom) -> audit_writer_stats

#include <chrono>
#include <cstddef>
#include <cstdint>

#include <caf/atom.hpp>
#include <caf/behavior.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>

namespace mundoctor::actors::identity {

constexpr size_t audit_batch_size = 200;
constexpr size_t audit_buffer_limit = 100'000;

struct audit_writer_stats {
  uint64_t written = 0;   // records committed to audit_log
  uint64_t dropped = 0;   // lost: buffer overflow, failure during shutdown, refused by the DB
  uint64_t buffered = 0;  // records waiting, including a batch in flight
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audit_writer_stats& x) {
  return f(caf::meta::type_name("audit_writer_stats"), x.written, x.dropped, x.buffered);
}

caf::behavior audit_writer(caf::event_based_actor* self, std::chrono::milliseconds flush_every,
                           caf::atom_value pool);

}  // namespace mundoctor::actors::identity
