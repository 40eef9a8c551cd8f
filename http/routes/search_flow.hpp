#pragma once

// Running directory reads without blocking the I/O thread: one short-lived actor per request
// looks the cache up, runs the query on the DB pool, asks the calendar actors when the search
// depends on availability, stores the answer and responds.

#include <string>

#include "http/handler.hpp"
#include "http/routes/search_requests.hpp"
#include "persistence/db_pool.hpp"

namespace mundoctor::http {

/// Answers a parsed (valid) search with data {professionals, pagination} and
/// metadata.pagination. Searches that need the calendars are not cached.
void run_search(const request_context& ctx, const responder& res, search_request req);

/// A directory answer as jobs return it and the cache keeps it: the data JSON, a newline, the
/// metadata JSON (dump() escapes control characters, so the first newline separates them).
/// Answered without parsing it again.
std::string answer_form(const nlohmann::json& data, const nlohmann::json& metadata);

/// Answers with the answer_form text that `job` returns, cached under `key`.
void run_cached_read(const request_context& ctx, const responder& res, const std::string& key,
                     persistence::db_job job);

}  // namespace mundoctor::http
