#pragma once

// The query parameters of the directory search (API.md "Public directory and search") and the
// shape of one result item (pure; no I/O).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "http/envelope.hpp"
#include "http/routes/catalogue_requests.hpp"
#include "persistence/search/directory_repository.hpp"

namespace mundoctor::http {

/// How many SQL candidates are checked against the calendar actors when the search needs
/// availability (available_on, sort_by=next_available): the first this many matches in the
/// SQL order. Matches past the cap are not considered; the response says so in
/// metadata.candidatesCapped.
constexpr int64_t availability_candidate_cap = 60;

/// Days ahead (today included, in each professional's zone) that sort_by=next_available looks.
constexpr int next_available_days = 14;

struct search_request {
  persistence::directory_query query;  // offset and limit already set from `page`
  page_request page;
  std::string available_on;     // YYYY-MM-DD or empty
  bool next_available = false;  // sort_by=next_available
  nlohmann::json errors = nlohmann::json::array();

  /// Whether the calendar actors take part (then the result is never cached).
  bool needs_calendars() const { return !available_on.empty() || next_available; }
  /// A canonical text of everything that selects the result (the cache key).
  std::string cache_key() const;
};

/// q, city, specialty_id (uuid, slug or name; also "specialty"), rating_min (0..5),
/// consultation_fee_max (euros, >= 0), modality (in_person | virtual), lat + lng (+ radius_km,
/// 0 < r <= 20000), available_on (YYYY-MM-DD), sort_by (relevance, rating, consultation_fee,
/// experience_years, distance, next_available), sort_order (asc | desc). The default order is
/// relevance with q, else rating; the default direction is desc for relevance, rating and
/// experience_years and asc otherwise. Bad values give one validationErrors entry each.
search_request parse_search(const query_lookup& query, const page_request& page);

/// The API.md item: id, user_id, name, avatar_url, specialty {id, name} | null, specialty_name,
/// city, rating, total_reviews, consultation_fee (euros) | null, consultation_fee_cents,
/// currency, latitude, longitude, services (names), about, verified, experience_years,
/// distance_km (km, 2 decimals) | null.
nlohmann::json directory_entry_json(const persistence::directory_entry& e);

}  // namespace mundoctor::http
