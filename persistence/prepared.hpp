#pragma once

// Statements on the hot path (the booking insert, the audit batch) are prepared once per
// connection under a fixed name, so PostgreSQL parses, analyses and plans them once instead of
// on every execution. libpqxx keeps the definitions per connection and registers them with the
// server on first use; a new connection after a failure declares them again here. An autocommit
// statement runs through run_autocommit, which tells a refusal from an unknown outcome.

#include <pqxx/pqxx>
#include <string>
#include <utility>

#include "persistence/domain_error.hpp"

namespace mundoctor::persistence {

/// Runs `sql` as the prepared statement `name` on `tx`'s connection. `name` must always come
/// with the same `sql` (libpqxx rejects a different redefinition).
template <class... Args>
pqxx::result exec_prepared_sql(pqxx::transaction_base& tx, const std::string& name,
                               const std::string& sql, Args&&... args) {
  tx.conn().prepare(name, sql);  // a no-op once `name` is defined with this text
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

/// Runs `statement()`, an autocommit statement (its success is its commit). A refusal by the
/// server (pqxx::sql_error) or a domain_error means nothing was stored and passes as is; any
/// other failure (a lost connection, an answer that cannot be read) may come after the commit
/// and becomes pqxx::in_doubt_error, which the pool answers "outcome unknown" and never retries.
template <class Statement>
auto run_autocommit(const char* what, Statement&& statement) {
  try {
    return statement();
  } catch (const pqxx::sql_error&) {
    throw;
  } catch (const domain_error&) {
    throw;
  } catch (const std::exception& e) {
    throw pqxx::in_doubt_error{std::string{what} + " failed after it was sent: " + e.what()};
  }
}

}  // namespace mundoctor::persistence
