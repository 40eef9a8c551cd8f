#pragma once

// The one table from database failures to mundoctor error codes. Logs carry the SQLSTATE and the
// query name, never parameters (they hold patient data).

#include <exception>
#include <string>

#include <caf/error.hpp>

namespace mundoctor::persistence {

/// Maps by SQLSTATE: 23505 -> already_exists, 23P01 -> slot_taken, 23503 -> not_found,
/// 23514/23502/22xxx -> invalid_argument, 40001/40P01 -> storage_busy,
/// 08xxx/57P01/broken connection -> storage_unavailable, anything else -> internal.
caf::error map_sql_error(const std::string& sqlstate, const std::string& query_name);

/// Machine code of the error for a write whose commit may or may not have happened (the
/// connection was lost under the COMMIT or under an autocommit statement).
constexpr const char* outcome_unknown_code = "OUTCOME_UNKNOWN";

/// Same, from an exception thrown by libpqxx or by a job; an unknown outcome is
/// storage_unavailable with machine code outcome_unknown_code.
caf::error map_exception(const std::exception& e, const std::string& query_name);

}  // namespace mundoctor::persistence
