#pragma once

// Statements on the hot path (the booking insert, the audit batch) are prepared once per
// connection under a fixed name, so PostgreSQL parses, analyses and plans them once instead of
// on every execution. libpqxx keeps the definitions per connection and registers them with the
// server on first use; a new connection after a failure declares them again here.

#include <pqxx/pqxx>
#include <string>
#include <utility>

namespace mundoctor::persistence {

/// Runs `sql` as the prepared statement `name` on `tx`'s connection. `name` must always come
/// with the same `sql` (libpqxx rejects a different redefinition).
template <class... Args>
pqxx::result exec_prepared_sql(pqxx::transaction_base& tx, const std::string& name,
                               const std::string& sql, Args&&... args) {
  tx.conn().prepare(name, sql);  // a no-op once `name` is defined with this text
  return tx.exec_prepared(name, std::forward<Args>(args)...);
}

}  // namespace mundoctor::persistence
