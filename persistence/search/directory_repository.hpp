#pragma once

// The SQL of the public directory search: only bookable professionals (the
// professional_profiles.bookable column, migration 0018), the featured list, and the demo
// directory. Specialties with their counts live in professionals/professional_repository.hpp. Text
// matching is Spanish full text over professional_profiles.search_text (0004 + 0015: name,
// specialty, city, bio and active services, unaccented and lower-case); when it finds nothing,
// misspelt words are replaced by their nearest words of the search_words vocabulary (0018) and
// searched again.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace mundoctor::persistence {

enum class directory_sort : uint8_t { relevance, rating, fee, experience, distance };

struct directory_query {
  std::string text;       // q; empty = any
  std::string city;       // accent- and case-insensitive equality; empty = any
  std::string specialty;  // specialty uuid, slug or name; empty = any
  std::optional<double> rating_min;
  std::optional<int64_t> fee_max_cents;
  std::string modality;       // in_person | virtual: an active service offers it; empty = any
  std::optional<double> lat;  // the reference point (distance_km, distance sort)
  std::optional<double> lng;
  std::optional<double> radius_km;  // with lat/lng: only professionals within the circle
  bool featured = false;            // rating >= 4.0 with at least 5 reviews
  bool needs_service = false;       // only professionals with an active service
  directory_sort sort = directory_sort::rating;
  bool descending = true;
  int64_t offset = 0;
  int64_t limit = 20;
};

struct directory_entry {
  std::string id;  // profile uuid
  std::string user_id;
  std::string name;
  std::string avatar_url;
  std::string specialty_id;  // empty when none
  std::string specialty_name;
  std::string city;
  std::string about;
  double rating = 0;
  int64_t total_reviews = 0;
  std::optional<int64_t> fee_cents;
  std::string currency;
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<double> distance_km;  // when the query has a point and the profile coordinates
  std::vector<std::string> services;  // names of the active services, by name
  bool verified = false;
  std::optional<int> experience_years;
  std::string probe_service_id;  // the shortest active service (availability probes); or empty
  std::string timezone;
  std::string local_today;  // YYYY-MM-DD in the professional's zone
};

struct directory_page {
  std::vector<directory_entry> items;
  int64_t total = 0;  // every match, not only this page
};

/// One page of bookable professionals matching `query`, in its order (ties by profile id).
directory_page search_directory(pqxx::connection_base& conn, const directory_query& query);

/// Idempotent demo directory: professionals user_demo_pro_00001..N (active, verified, bookable)
/// in Spanish cities with real coordinates, every specialty, services, Monday-Friday schedules,
/// a booking policy and rating figures, all deterministic. Returns the number of demo
/// professionals in the database afterwards.
int64_t seed_demo(pqxx::connection_base& conn, int professionals);

}  // namespace mundoctor::persistence
