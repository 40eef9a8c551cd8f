#pragma once

// Numbered SQL migrations (persistence/migrations/NNNN_name.sql), embedded into the binary at
// build time, applied in order, each in its own transaction, recorded with a SHA-256 checksum in
// schema_migrations. An applied file whose checksum changed stops the start.

#include <stdexcept>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace mundoctor::persistence {

struct migration_source {
  std::string name;  // "0001_extensions.sql"
  std::string sql;
};

/// Every file of persistence/migrations, in name order (generated source).
const std::vector<migration_source>& embedded_migrations();

struct migration {
  int version = 0;  // the NNNN prefix
  std::string name;
  std::string sql;
  std::string checksum;  // lower-case hex SHA-256 of sql
};

class migration_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Validates names (NNNN_lower_snake.sql), orders by version, rejects duplicate versions, and
/// computes checksums. Pure: no database.
std::vector<migration> plan_migrations(const std::vector<migration_source>& sources);

std::string sha256_hex(const std::string& data);

struct migration_report {
  int applied = 0;  // newly applied in this run
  int already_applied = 0;
  int latest_version = 0;
};

/// Applies what is missing, under a PostgreSQL advisory lock so two processes never migrate at
/// once. Throws migration_error on a checksum mismatch or a failing migration (the failing one
/// is rolled back; earlier ones stay applied).
migration_report apply_migrations(pqxx::connection_base& conn,
                                  const std::vector<migration>& migrations);

/// True when every given migration is recorded in schema_migrations with its checksum.
bool migrations_current(pqxx::connection_base& conn, const std::vector<migration>& migrations);

}  // namespace mundoctor::persistence
