#include "actors/identity/audit_actor.hpp"

#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <spdlog/spdlog.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/names.hpp"
#include "persistence/db_pool.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::actors::identity {

namespace {

constexpr size_t max_batch = 1'000;  // records per COPY when a backlog is drained
constexpr auto write_timeout = std::chrono::seconds{30};

using records = std::vector<audit_record>;

struct writer_state {
  std::chrono::milliseconds flush_every{200};
  caf::atom_value pool{};  // the name the DB pool is published under
  std::deque<audit_record> buffer;
  size_t in_flight = 0;  // records of the batch being written
  bool stopping = false;
  caf::error stop_reason;
  audit_writer_stats stats;
  uint64_t unlogged_drops = 0;
};

using state_ptr = std::shared_ptr<writer_state>;

void add(writer_state& st, audit_record record) {
  st.buffer.push_back(std::move(record));
  while (st.buffer.size() + st.in_flight > audit_buffer_limit && !st.buffer.empty()) {
    st.buffer.pop_front();
    ++st.stats.dropped;
    ++st.unlogged_drops;
  }
}

void report_drops(writer_state& st) {
  if (st.unlogged_drops == 0) return;
  spdlog::error("audit buffer full: {} audit records dropped", st.unlogged_drops);
  st.unlogged_drops = 0;
}

// Quits once shutting down and nothing is left to write.
bool finish_if_done(caf::event_based_actor* self, writer_state& st) {
  if (!st.stopping || st.in_flight > 0 || !st.buffer.empty()) return false;
  self->quit(st.stop_reason);
  return true;
}

void flush(caf::event_based_actor* self, const state_ptr& st);

// `refused`: records of the batch the database would not store (see insert_audit_batch).
void on_written(caf::event_based_actor* self, const state_ptr& st, uint64_t refused) {
  if (refused > 0)
    spdlog::error("audit batch: {} of {} records refused by the database and not stored", refused,
                  st->in_flight);
  st->stats.written += st->in_flight - refused;
  st->stats.dropped += refused;
  st->in_flight = 0;
  if (finish_if_done(self, *st)) return;
  if (st->stopping || st->buffer.size() >= audit_batch_size) flush(self, st);
}

void on_failed(caf::event_based_actor* self, const state_ptr& st, std::shared_ptr<records> batch,
               const caf::error& err) {
  st->in_flight = 0;
  if (st->stopping) {
    auto lost = batch->size() + st->buffer.size();
    spdlog::error("audit writer stopping: {} audit records lost ({})", lost,
                  self->system().render(err));
    st->stats.dropped += lost;
    st->buffer.clear();
    finish_if_done(self, *st);
    return;
  }
  spdlog::warn("audit batch of {} records not written ({}); retrying later", batch->size(),
               self->system().render(err));
  for (auto it = batch->rbegin(); it != batch->rend(); ++it) st->buffer.push_front(*it);
  while (st->buffer.size() > audit_buffer_limit) {
    st->buffer.pop_front();
    ++st->stats.dropped;
    ++st->unlogged_drops;
  }
}

void flush(caf::event_based_actor* self, const state_ptr& st) {
  report_drops(*st);
  if (st->in_flight > 0 || st->buffer.empty()) return;
  auto batch = std::make_shared<records>();
  while (!st->buffer.empty() && batch->size() < max_batch) {
    batch->push_back(std::move(st->buffer.front()));
    st->buffer.pop_front();
  }
  st->in_flight = batch->size();
  auto pool = caf::actor_cast<caf::actor>(self->system().registry().get(st->pool));
  if (!pool) {
    on_failed(self, st, batch, make_error(errc::storage_unavailable, "no database pool"));
    return;
  }
  persistence::db_job job{"audit.insert_batch", [batch](pqxx::connection_base& conn) {
                            auto refused = persistence::insert_audit_batch(conn, *batch);
                            return caf::make_message(static_cast<uint64_t>(refused));
                          }};
  self->request(pool, write_timeout, db_run_atom::value, std::move(job))
      .then([self, st](uint64_t refused) { on_written(self, st, refused); },
            [self, st, batch](caf::error& err) { on_failed(self, st, batch, err); });
}

}  // namespace

caf::behavior audit_writer(caf::event_based_actor* self, std::chrono::milliseconds flush_every,
                           caf::atom_value pool) {
  auto st = std::make_shared<writer_state>();
  st->flush_every = flush_every;
  st->pool = pool;
  self->set_exit_handler([self, st](caf::exit_msg& msg) {
    if (!msg.reason) return;  // normal exits of others are not a shutdown request
    st->stopping = true;
    st->stop_reason = msg.reason;
    if (!finish_if_done(self, *st)) flush(self, st);
  });
  self->delayed_send(self, flush_every, tick_atom::value);
  return {
      [self, st](audit_atom, audit_record& record) {
        add(*st, std::move(record));
        if (st->buffer.size() >= audit_batch_size) flush(self, st);
      },
      [self, st](tick_atom) {
        flush(self, st);
        if (!st->stopping) self->delayed_send(self, st->flush_every, tick_atom::value);
      },
      [st](stats_atom) {
        auto out = st->stats;
        out.buffered = st->buffer.size() + st->in_flight;
        return out;
      },
  };
}

}  // namespace mundoctor::actors::identity
