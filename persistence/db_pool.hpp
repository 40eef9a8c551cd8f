#pragma once

// The PostgreSQL connection pool: K detached actors, each owning one libpqxx connection, behind
// one dispatcher actor. Blocking libpqxx calls run only on those threads.
//
// Protocol of the dispatcher (a dynamic caf::actor):
//   (db_run_atom, db_job)  -> whatever message the job returns, or a mundoctor error
//                             (persistence/sql_errors.hpp maps SQLSTATEs)
//   (ping_atom)            -> bool: SELECT 1 answered on a pool connection
//   (stats_atom)           -> db_pool_stats
// A job whose connection broke before it could commit is retried once on a fresh connection;
// while PostgreSQL is down jobs fail fast with errc::storage_unavailable and the workers
// reconnect when it is back.
//
// Group commit: jobs that also carry a `step` (one transaction's worth of writes) are, when
// several wait in the queue, run together in one transaction and answered only after its one
// COMMIT. If any step throws, that transaction is rolled back and every job of the batch runs
// alone, through `run`, so each answer is exactly what it would have been without the batch.
// Under load this turns many commits (and WAL flushes) into one; alone, a job runs as before.
// Jobs that also name a `group` (the bookings) are run by that group's one statement for the
// whole batch when a batch holds only them: one round trip to PostgreSQL instead of one per job.

#include <any>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/fwd.hpp>
#include <caf/message.hpp>

#include "config/settings.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace mundoctor::persistence {

struct db_group;

/// A unit of work for the pool. `run` may block; it opens its own transaction(s) on the
/// connection and returns the reply message (caf::make_message(...)). Exceptions it throws are
/// mapped to mundoctor errors by SQLSTATE.
struct db_job {
  db_job() = default;
  db_job(std::string job_name, std::function<caf::message(pqxx::connection_base&)> body)
      : name(std::move(job_name)), run(std::move(body)) {}

  std::string name;  // query name for metrics and logs ("users.find"); never parameters
  std::function<caf::message(pqxx::connection_base&)> run;
  /// Optional: the same work as `run` within a transaction the pool opens and commits, for
  /// group commit. Must not commit, and must answer as `run` does when it succeeds.
  std::function<caf::message(pqxx::transaction_base&)> step;
  /// Optional, with `step`: a batch made only of jobs of this group is run by one call of
  /// `group->run` instead of one step per job. `item` is this job's input to it.
  std::shared_ptr<const db_group> group;
  std::any item;
};

/// Work several jobs share: `run` does the steps of all `jobs` (same group) in ONE statement,
/// run in autocommit (`tx` is a pqxx::nontransaction), and answers in their order, as their
/// steps would have. A pqxx::sql_error or domain_error means the statement was refused and
/// nothing is stored: every job then runs alone. Any other exception may come after the
/// statement committed: every job is answered "outcome unknown" (never run again).
struct db_group {
  std::function<std::vector<caf::message>(pqxx::transaction_base&, const std::vector<db_job>&)> run;
};

/// Spawns the dispatcher and its `settings.db_pool_size` workers. Connections open lazily, so
/// this succeeds while PostgreSQL is down.
caf::actor spawn_db_pool(caf::actor_system& sys, const config::settings& settings);

/// The pool of public directory reads (search, specialties): CPU-bound queries, so at most
/// about one per core runs at once (`settings.db_read_pool_size`, 0 = cores + 1) and they never
/// take the connections that bookings commit on.
caf::actor spawn_db_read_pool(caf::actor_system& sys, const config::settings& settings);

/// The pool of the append-only logs (the audit trail): one connection, so their large batched
/// writes never take a connection that a booking waits for, and never more than one of them
/// competes with the bookings for PostgreSQL's CPU.
caf::actor spawn_db_log_pool(caf::actor_system& sys, const config::settings& settings);

}  // namespace mundoctor::persistence

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mundoctor::persistence::db_job)
