#include "persistence/sql_errors.hpp"

#include <pqxx/except>
#include <typeinfo>

#include <spdlog/spdlog.h>

#include "actors/protocol/errors.hpp"

namespace mundoctor::persistence {

namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// Client-facing messages: generic on purpose, never SQL text or parameters.
caf::error error_for_state(const std::string& sqlstate) {
  if (sqlstate == "23505")
    return make_error(errc::already_exists, "the request conflicts with existing data");
  if (sqlstate == "23P01")
    return make_error(errc::slot_taken, "the requested time slot is no longer available",
                      "SLOT_TAKEN");
  if (sqlstate == "23503")
    return make_error(errc::not_found, "a referenced resource does not exist");
  if (sqlstate == "23514" || sqlstate == "23502" || starts_with(sqlstate, "22"))
    return make_error(errc::invalid_argument, "the request contains invalid data");
  if (sqlstate == "40001" || sqlstate == "40P01")
    return make_error(errc::storage_busy, "the database is busy, please retry");
  if (starts_with(sqlstate, "08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03")
    return make_error(errc::storage_unavailable, "the database is unavailable");
  return make_error(errc::internal, "an internal error occurred");
}

caf::error storage_unavailable() {
  return make_error(errc::storage_unavailable, "the database is unavailable");
}

}  // namespace

caf::error map_sql_error(const std::string& sqlstate, const std::string& query_name) {
  auto err = error_for_state(sqlstate);
  auto code = static_cast<errc>(err.code());
  if (code == errc::internal || code == errc::storage_unavailable)
    spdlog::error("query {} failed: SQLSTATE {}", query_name, sqlstate);
  else
    spdlog::debug("query {} rejected: SQLSTATE {}", query_name, sqlstate);
  return err;
}

caf::error map_exception(const std::exception& e, const std::string& query_name) {
  // Most specific first: in libpqxx 6.4 the rollback family does not derive from sql_error.
  if (auto* sql = dynamic_cast<const pqxx::sql_error*>(&e))
    return map_sql_error(sql->sqlstate(), query_name);
  if (dynamic_cast<const pqxx::serialization_failure*>(&e) != nullptr)
    return map_sql_error("40001", query_name);
  if (dynamic_cast<const pqxx::deadlock_detected*>(&e) != nullptr)
    return map_sql_error("40P01", query_name);
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e) != nullptr ||
      dynamic_cast<const pqxx::statement_completion_unknown*>(&e) != nullptr) {
    // The commit may or may not have happened: report it, never retry it.
    spdlog::error("query {}: outcome unknown after the connection was lost", query_name);
    return make_error(errc::storage_unavailable,
                      "The database connection was lost before the outcome was known; retry "
                      "with the same Idempotency-Key to learn it",
                      outcome_unknown_code);
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) != nullptr) {
    spdlog::warn("query {}: database connection unavailable", query_name);
    return storage_unavailable();
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e) != nullptr)
    return map_sql_error("40000", query_name);
  // libpqxx usage and conversion errors, or anything a job threw: internal. The exception text
  // may quote data, so only its type is logged.
  spdlog::error("query {} failed with {}", query_name, typeid(e).name());
  return make_error(errc::internal, "an internal error occurred");
}

}  // namespace mundoctor::persistence
