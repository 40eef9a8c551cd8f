#pragma once

// Public reads of the professional directory (the public profile, specialties with their
// counts) and the professional's own patient list. Bookability is the
// professional_profiles.bookable column (migration 0018). Results are JSON text built by SQL.

#include <cstdint>
#include <optional>
#include <string>

namespace pqxx {
class connection_base;
}

namespace mundoctor::persistence {

/// The public profile of a bookable professional (profile uuid): id, user_id, name,
/// first_name, last_name, avatar_url, specialty {id, name} (or null), specialty_name, bio,
/// about, experience_years, education, certifications, languages, consultation_fee (euros),
/// consultation_fee_cents, currency, city, address, postal_code, latitude, longitude,
/// office_hours, timezone, rating, total_reviews, rating_distribution {"1".."5"}, verified,
/// verified_at, recent_reviews (the 5 newest approved reviews: id, rating, comment,
/// patient_name (first name only), created_at, professional_reply). Nothing private (no DNI,
/// documents, email or phone). nullopt when unknown or not bookable.
std::optional<std::string> public_profile(pqxx::connection_base& conn,
                                          const std::string& professional_id);

/// Active specialties by sort order: [{id, name, slug, professionals_count}] where the count
/// is of bookable professionals; `total` is the number of active specialties.
struct json_page {
  std::string items_json;
  int64_t total = 0;
};
json_page specialties_with_counts(pqxx::connection_base& conn, int64_t offset, int64_t limit);

/// The patients with at least one appointment (any status but cancelled) with the
/// professional whose user id is `professional_user_id`: [{id, name, first_name, last_name,
/// email, phone, avatar_url, total_appointments, last_appointment_date,
/// next_appointment_date}], the most recent appointment first. last_appointment_date is the
/// start of the latest appointment (past or booked ahead), next_appointment_date the earliest
/// one still to come (null when none).
json_page professional_patients(pqxx::connection_base& conn,
                                const std::string& professional_user_id, int64_t offset,
                                int64_t limit);

}  // namespace mundoctor::persistence
