#include "persistence/db_pool.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"
#include "actors/protocol/introspection.hpp"
#include "config/config.hpp"
#include "persistence/prepared.hpp"
#include "persistence/sql_errors.hpp"

namespace mundoctor::persistence::detail {

// Several step jobs for one worker, and their answers in the same order.
struct db_batch {
  std::vector<db_job> jobs;
};
struct db_batch_replies {
  std::vector<caf::expected<caf::message>> replies;
};

}  // namespace mundoctor::persistence::detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mundoctor::persistence::detail::db_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mundoctor::persistence::detail::db_batch_replies)

namespace mundoctor::persistence {

namespace {

using detail::db_batch;
using detail::db_batch_replies;

constexpr std::size_t max_batch = 16;  // step jobs per shared transaction

using pool_clock = std::chrono::steady_clock;

using db_batch_atom = caf::atom_constant<caf::atom("db_batch")>;  // dispatcher -> worker
using db_work_atom = caf::atom_constant<caf::atom("db_work")>;    // dispatcher -> worker
using db_done_atom = caf::atom_constant<caf::atom("db_done")>;    // worker -> dispatcher

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Adds connect_timeout to a libpq URI or keyword/value conninfo unless it is already there.
std::string with_connect_timeout(const std::string& url, uint32_t seconds) {
  if (seconds == 0 || url.find("connect_timeout=") != std::string::npos) return url;
  auto value = "connect_timeout=" + std::to_string(seconds);
  if (!starts_with(url, "postgresql://") && !starts_with(url, "postgres://"))
    return url + " " + value;
  if (url.back() == '?' || url.back() == '&') return url + value;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + value;
}

// -- worker: one connection, blocking calls only here -------------------------

struct worker_state {
  std::unique_ptr<pqxx::connection> conn;
  int backend_pid = 0;      // of the last connection that ran a job
  bool lost = false;        // a connection broke; the next one that works is a reconnect
  uint64_t reconnects = 0;  // not yet reported to the dispatcher
  static constexpr const char* name = "db_worker";
};

pqxx::connection& open_connection(worker_state& st, const std::string& conninfo) {
  if (!st.conn) st.conn = std::make_unique<pqxx::connection>(conninfo);
  return *st.conn;
}

// Notes a reconnect: a new connection after a broken one, or libpq having reset it by itself.
void note_backend(worker_state& st) {
  auto pid = st.conn ? st.conn->backendpid() : 0;
  if (pid != 0 && st.backend_pid != 0 && pid != st.backend_pid) st.lost = true;
  if (pid != 0 && st.lost) {
    st.lost = false;
    ++st.reconnects;
  }
  if (pid != 0) st.backend_pid = pid;
}

bool connection_lost(const worker_state& st, const std::exception& e) {
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) return true;
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const auto& state = sql->sqlstate();
    if (starts_with(state, "08") || starts_with(state, "57P0")) return true;
  }
  return st.conn && !st.conn->is_open();
}

void drop_connection(worker_state& st) {
  if (st.conn) st.lost = true;
  st.conn.reset();
}

// A connection the server closed while it sat idle (a restart, a terminated backend) is
// noticed here, before a job sends anything on it, so the job runs on a fresh connection
// instead of failing. Reading what the server sent costs one non-blocking recv.
void drop_if_closed(worker_state& st) {
  if (!st.conn) return;
  try {
    st.conn->get_notifs();
  } catch (const std::exception&) {
    drop_connection(st);
  }
}

// The group's statement commits by itself. Refused by the server (an SQL error, a domain
// error): nothing is stored and the caller runs every job alone. Anything else, including a
// lost connection or a failure after the statement returned, may follow the commit: the
// outcome is unknown.
std::vector<caf::message> run_group_statement(const db_group& group, pqxx::transaction_base& tx,
                                              const std::vector<db_job>& jobs) {
  auto replies = run_autocommit("a grouped statement", [&] { return group.run(tx, jobs); });
  if (replies.size() != jobs.size())
    throw pqxx::in_doubt_error{"a grouped statement answered another number of jobs"};
  return replies;
}

// Runs a job; a connection that breaks under a running job is replaced and the job retried
// once. A failed connect is not retried, so jobs fail within about connect_timeout.
caf::expected<caf::message> execute(worker_state& st, const std::string& conninfo, db_job& job) {
  drop_if_closed(st);
  for (int attempt = 0;; ++attempt) {
    bool had_connection = st.conn != nullptr;
    try {
      auto reply = job.run(open_connection(st, conninfo));
      note_backend(st);
      return reply;
    } catch (const pqxx::in_doubt_error& e) {
      if (st.conn && !st.conn->is_open()) drop_connection(st);
      return map_exception(e, job.name);
    } catch (const pqxx::statement_completion_unknown& e) {
      if (st.conn && !st.conn->is_open()) drop_connection(st);
      return map_exception(e, job.name);
    } catch (const std::exception& e) {
      if (!connection_lost(st, e)) {
        note_backend(st);
        return map_exception(e, job.name);
      }
      drop_connection(st);
      if (attempt > 0 || !had_connection) {
        spdlog::warn("query {}: database unavailable", job.name);
        return make_error(errc::storage_unavailable, "the database is unavailable");
      }
      spdlog::warn("query {}: database connection lost, reconnecting once", job.name);
    }
  }
}

// Group commit: the steps run one after another in one transaction and are answered after its
// COMMIT. If anything fails before the commit (a step's constraint violation, a broken
// connection), the transaction is rolled back and every job runs alone, so each answer is
// exactly what it would have been without the batch; failures are rare (the calendar actors
// decide conflicts in memory), so optimism costs less than a savepoint per step. Only a COMMIT
// whose outcome is unknown is answered as such, for every job of the batch.
db_batch_replies execute_batch(worker_state& st, const std::string& conninfo, db_batch& batch) {
  auto& jobs = batch.jobs;
  db_batch_replies out;
  out.replies.resize(jobs.size(), caf::message{});
  try {
    drop_if_closed(st);
    auto& conn = open_connection(st, conninfo);
    auto group = jobs.front().group;
    bool grouped = group && std::all_of(jobs.begin(), jobs.end(),
                                        [&group](const db_job& j) { return j.group == group; });
    if (grouped) {
      // The group's one statement commits by itself (autocommit): one round trip in all.
      pqxx::nontransaction tx{conn};
      auto replies = run_group_statement(*group, tx, jobs);
      for (std::size_t i = 0; i < jobs.size(); ++i) out.replies[i] = std::move(replies[i]);
    } else {
      pqxx::work tx{conn};
      for (std::size_t i = 0; i < jobs.size(); ++i) out.replies[i] = jobs[i].step(tx);
      tx.commit();
    }
    note_backend(st);
    return out;
  } catch (const pqxx::in_doubt_error& e) {
    if (st.conn && !st.conn->is_open()) drop_connection(st);
    for (auto& r : out.replies) r = map_exception(e, jobs.front().name);
    return out;
  } catch (const pqxx::statement_completion_unknown& e) {
    if (st.conn && !st.conn->is_open()) drop_connection(st);
    for (auto& r : out.replies) r = map_exception(e, jobs.front().name);
    return out;
  } catch (const std::exception& e) {
    if (connection_lost(st, e)) drop_connection(st);
  }
  // Without a connection every job would wait for its own connect timeout: one attempt for all.
  try {
    open_connection(st, conninfo);
  } catch (const std::exception&) {
    spdlog::warn("query {}: database unavailable", jobs.front().name);
    for (auto& r : out.replies)
      r = make_error(errc::storage_unavailable, "the database is unavailable");
    return out;
  }
  for (std::size_t i = 0; i < jobs.size(); ++i) out.replies[i] = execute(st, conninfo, jobs[i]);
  return out;
}

double seconds_since(pool_clock::time_point t) {
  return std::chrono::duration<double>(pool_clock::now() - t).count();
}

void report_done(caf::stateful_actor<worker_state>* self, const caf::actor_addr& dispatcher,
                 uint64_t index, uint64_t done, uint64_t failed, double seconds) {
  auto& st = self->state;
  bool connected = st.conn && st.conn->is_open();
  if (auto d = caf::actor_cast<caf::actor>(dispatcher))
    self->send(d, db_done_atom::value, index, done, failed, connected, st.reconnects, seconds);
  st.reconnects = 0;
}

caf::behavior db_worker(caf::stateful_actor<worker_state>* self, uint64_t index,
                        const std::string& conninfo, const caf::actor_addr& dispatcher) {
  return {
      [=](db_work_atom, db_job& job) -> caf::expected<caf::message> {
        auto started = pool_clock::now();
        auto result = execute(self->state, conninfo, job);
        report_done(self, dispatcher, index, 1, result ? 0 : 1, seconds_since(started));
        return result;
      },
      [=](db_batch_atom, db_batch& batch) -> db_batch_replies {
        auto started = pool_clock::now();
        auto result = execute_batch(self->state, conninfo, batch);
        uint64_t failed = 0;
        for (const auto& r : result.replies) failed += r ? 0 : 1;
        report_done(self, dispatcher, index, result.replies.size(), failed, seconds_since(started));
        return result;
      },
  };
}

// -- dispatcher: queue, idle workers, figures ---------------------------------

struct pending_job {
  db_job job;
  caf::response_promise promise;
  pool_clock::time_point queued_at = pool_clock::now();
};

struct worker_slot {
  caf::actor handle;
  bool connected = false;
  pool_clock::time_point started;  // of the job or batch it runs
  uint64_t running = 0;            // jobs in that job or batch; 0 when the worker is idle
  double waited = 0;               // their summed queue wait, counted when they are done
};

struct dispatcher_state {
  std::string conninfo;
  std::vector<worker_slot> workers;
  std::deque<uint64_t> idle;
  std::deque<pending_job> queue;
  uint64_t jobs = 0;
  uint64_t failures = 0;
  uint64_t reconnects = 0;
  uint64_t batches = 0;       // runs of more than one job
  uint64_t batched_jobs = 0;  // jobs run in those
  // Summed over finished jobs (in `jobs`): time in the queue; from being handed to a worker
  // until the dispatcher reads that it is done; the worker thread's own time on the job or
  // its batch.
  double wait_seconds = 0;
  double run_seconds = 0;
  double exec_seconds = 0;
  static constexpr const char* name = "db_pool";
};

using dispatcher_actor = caf::stateful_actor<dispatcher_state>;

caf::actor spawn_worker(dispatcher_actor* self, uint64_t index) {
  return self->spawn<caf::detached + caf::linked>(db_worker, index, self->state.conninfo,
                                                  self->address());
}

// Runs `job` on worker `index`. A job with a step takes the queued step jobs (in queue order,
// up to max_batch in all) along into one transaction; without any, it runs alone.
void start_job(dispatcher_actor* self, uint64_t index, db_job job, caf::response_promise rp,
               pool_clock::time_point queued_at) {
  auto& st = self->state;
  auto& slot = st.workers[index];
  slot.started = pool_clock::now();
  slot.running = 1;
  slot.waited = 0;
  auto waited = [&slot](pool_clock::time_point at) {
    slot.waited += std::chrono::duration<double>(slot.started - at).count();
  };
  waited(queued_at);
  db_batch batch;
  std::vector<caf::response_promise> promises;
  for (auto it = st.queue.begin();
       job.step && it != st.queue.end() && batch.jobs.size() + 1 < max_batch;) {
    if (!it->job.step) {
      ++it;
      continue;
    }
    waited(it->queued_at);
    batch.jobs.push_back(std::move(it->job));
    promises.push_back(std::move(it->promise));
    it = st.queue.erase(it);
  }
  if (batch.jobs.empty()) {
    rp.delegate(slot.handle, db_work_atom::value, std::move(job));
    return;
  }
  batch.jobs.insert(batch.jobs.begin(), std::move(job));
  slot.running = batch.jobs.size();
  ++st.batches;
  st.batched_jobs += batch.jobs.size();
  promises.insert(promises.begin(), std::move(rp));
  self->request(slot.handle, caf::infinite, db_batch_atom::value, std::move(batch))
      .then(
          [promises](db_batch_replies& r) mutable {
            for (std::size_t i = 0; i < promises.size(); ++i) promises[i].deliver(r.replies[i]);
          },
          [promises](caf::error& err) mutable {
            for (auto& p : promises) p.deliver(err);
          });
}

caf::response_promise submit(dispatcher_actor* self, db_job job) {
  auto rp = self->make_response_promise();
  auto& st = self->state;
  if (st.idle.empty()) {
    st.queue.push_back({std::move(job), rp});
  } else {
    auto index = st.idle.front();
    st.idle.pop_front();
    start_job(self, index, std::move(job), rp, pool_clock::now());
  }
  return rp;
}

// `seconds`: the worker thread's own time on the job or batch.
void on_worker_done(dispatcher_actor* self, uint64_t index, uint64_t done, uint64_t failed,
                    bool connected, uint64_t reconnects, double seconds) {
  auto& st = self->state;
  if (index >= st.workers.size()) return;
  st.jobs += done;
  st.failures += failed;
  st.reconnects += reconnects;
  auto& slot = st.workers[index];
  // Times are summed per job, so a job run in a batch counts the whole batch's time.
  st.wait_seconds += slot.waited;
  st.run_seconds += seconds_since(slot.started) * static_cast<double>(done);
  st.exec_seconds += seconds * static_cast<double>(done);
  slot.running = 0;
  slot.waited = 0;
  slot.connected = connected;
  if (st.queue.empty()) {
    st.idle.push_back(index);
    return;
  }
  auto next = std::move(st.queue.front());
  st.queue.pop_front();
  start_job(self, index, std::move(next.job), std::move(next.promise), next.queued_at);
}

db_pool_stats make_stats(const dispatcher_state& st) {
  db_pool_stats out;
  out.size = st.workers.size();
  for (const auto& w : st.workers) {
    out.in_use += w.running > 0 ? 1 : 0;
    out.connected = out.connected || w.connected;
  }
  out.idle = st.idle.size();
  out.queued = st.queue.size();
  out.jobs = st.jobs;
  out.failures = st.failures;
  out.reconnects = st.reconnects;
  out.batches = st.batches;
  out.batched_jobs = st.batched_jobs;
  out.wait_seconds = st.wait_seconds;
  out.run_seconds = st.run_seconds;
  out.exec_seconds = st.exec_seconds;
  return out;
}

db_job ping_job() {
  return {"pool.ping", [](pqxx::connection_base& conn) {
            pqxx::nontransaction tx{conn};
            tx.exec1("SELECT 1");
            return caf::make_message(true);
          }};
}

std::optional<uint64_t> worker_index(const dispatcher_state& st, const caf::actor_addr& addr) {
  for (uint64_t i = 0; i < st.workers.size(); ++i)
    if (st.workers[i].handle.address() == addr) return i;
  return std::nullopt;
}

// A worker only exits on its own after an unexpected failure: replace it.
void replace_worker(dispatcher_actor* self, uint64_t index, const caf::error& reason) {
  auto& st = self->state;
  spdlog::error("database worker {} exited ({}), restarting it", index,
                self->system().render(reason));
  auto& slot = st.workers[index];
  slot.handle = spawn_worker(self, index);
  slot.connected = false;
  if (slot.running > 0) {
    st.failures += slot.running;  // the jobs it ran are lost; they are not in jobs or times
    slot.running = 0;
    slot.waited = 0;
    st.idle.push_back(index);
  }
}

void shut_down(dispatcher_actor* self, const caf::error& reason) {
  auto& st = self->state;
  for (auto& pending : st.queue)
    pending.promise.deliver(
        make_error(errc::storage_unavailable, "the database pool is shutting down"));
  st.queue.clear();
  for (auto& w : st.workers) self->send_exit(w.handle, caf::exit_reason::user_shutdown);
  st.workers.clear();
  st.idle.clear();
  self->quit(reason);
}

caf::behavior db_dispatcher(dispatcher_actor* self, std::string conninfo, uint64_t size) {
  self->state.conninfo = std::move(conninfo);
  for (uint64_t i = 0; i < size; ++i) {
    self->state.workers.push_back({spawn_worker(self, i), false, {}, 0, 0});
    self->state.idle.push_back(i);
  }
  self->set_exit_handler([self](caf::exit_msg& msg) {
    if (auto index = worker_index(self->state, msg.source)) {
      if (msg.reason) replace_worker(self, *index, msg.reason);
      return;
    }
    shut_down(self, msg.reason);
  });
  return {
      [self](db_run_atom, db_job& job) { return submit(self, std::move(job)); },
      [self](ping_atom) { return submit(self, ping_job()); },
      [self](stats_atom) { return make_stats(self->state); },
      [self](db_done_atom, uint64_t index, uint64_t done, uint64_t failed, bool connected,
             uint64_t reconnects, double seconds) {
        on_worker_done(self, index, done, failed, connected, reconnects, seconds);
      },
  };
}

}  // namespace

namespace {

caf::actor spawn_pool(caf::actor_system& sys, const config::settings& settings, uint64_t size) {
  auto conninfo = with_connect_timeout(settings.database_url, settings.db_connect_timeout_s);
  return sys.spawn(db_dispatcher, std::move(conninfo), std::max<uint64_t>(size, 1));
}

}  // namespace

caf::actor spawn_db_pool(caf::actor_system& sys, const config::settings& settings) {
  return spawn_pool(sys, settings, settings.db_pool_size);
}

caf::actor spawn_db_read_pool(caf::actor_system& sys, const config::settings& settings) {
  auto size = static_cast<uint64_t>(settings.db_read_pool_size);
  return spawn_pool(sys, settings, size ? size : config::cpu_cores() + 1);
}

caf::actor spawn_db_log_pool(caf::actor_system& sys, const config::settings& settings) {
  return spawn_pool(sys, settings, 1);
}

}  // namespace mundoctor::persistence
