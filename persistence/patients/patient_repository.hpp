#pragma once

// All SQL of the patient side: the medical part of the patient profile, the medical history
// (medical records of completed appointments), favourite professionals and emergency contacts.
// Every function opens and commits its own transaction and throws on failure (libpqxx
// exceptions, mapped by the DB pool, or domain_error for rule violations).
//
// Medical free text (allergies, conditions, medications, diagnosis, treatment, prescriptions)
// is sealed with the given data_cipher before it reaches the database and opened on the way
// out; a null cipher refuses to store medical text (unavailable DATA_KEY_MISSING) and reads it
// as null. Ids that are not of the right form are simply not found.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "persistence/crypto/data_cipher.hpp"

namespace pqxx {
class connection_base;
}

namespace mundoctor::persistence {

/// A page of rendered items and the total number of matching rows.
struct json_page {
  nlohmann::json items = nlohmann::json::array();
  int64_t total = 0;
};

// -- the medical part of the patient profile -----------------------------------------------------

/// Each member: nullopt keeps the column, an empty string clears it. The medical texts are the
/// JSON text of what the patient sent (a string or an array of strings).
struct medical_profile_update {
  std::optional<std::string> blood_type;  // A+ ... O-
  std::optional<std::string> allergies;
  std::optional<std::string> conditions;
  std::optional<std::string> medications;
  bool empty() const { return !blood_type && !allergies && !conditions && !medications; }
};

/// {blood_type, allergies, conditions, medications} of the patient (opened; null when unset);
/// all null when the user has no patient profile.
nlohmann::json get_medical_profile(pqxx::connection_base& conn, const std::string& user_id,
                                   const data_cipher* cipher);

/// Applies the update to the patient's profile row (created when missing).
void update_medical_profile(pqxx::connection_base& conn, const std::string& user_id,
                            const medical_profile_update& update, const data_cipher* cipher);

// -- medical history -----------------------------------------------------------------------------

/// The patient's completed appointments, newest first, each with its medical record opened:
/// {appointment_id, starts_at, ends_at, timezone, status, modality, service {id, name},
///  professional {id, user_id, name, specialty, avatar_url}, record {id, diagnosis, treatment,
///  prescriptions, created_at, updated_at} | null}.
json_page list_medical_history(pqxx::connection_base& conn, const std::string& patient_id,
                               int64_t offset, int64_t limit, const data_cipher* cipher);

/// True when the professional (by user id) has at least one appointment, in any status, with
/// the patient.
bool professional_sees_patient(pqxx::connection_base& conn, const std::string& professional_user,
                               const std::string& patient_id);

/// True when the user exists and has the patient role.
bool is_patient(pqxx::connection_base& conn, const std::string& user_id);

/// The body of PUT /api/appointments/:id/medical-record, validated by the caller. Empty texts
/// are stored as NULL; `prescriptions_json` is the JSON text of the prescriptions array.
struct medical_record_input {
  std::string diagnosis;
  std::string treatment;
  std::string prescriptions_json = "[]";
};

struct medical_record_result {
  nlohmann::json record;  // {id, appointment_id, patient_id, professional_id, diagnosis, ...}
  bool created = false;
};

/// Writes (creates or replaces) the record of a completed appointment. `author` must be the
/// appointment's professional unless `admin`: otherwise, and for an unknown appointment,
/// domain_error not_found; an appointment that is not completed is conflict INVALID_STATE.
medical_record_result put_medical_record(pqxx::connection_base& conn,
                                         const std::string& appointment_id,
                                         const std::string& author, bool admin,
                                         const medical_record_input& input,
                                         const data_cipher* cipher);

// -- favourite professionals ---------------------------------------------------------------------

/// {id, user_id, name, specialty, specialty_id, city, rating, total_reviews, avatar_url,
///  consultation_fee_cents, verified, favorited_at}, most recent first.
json_page list_favorites(pqxx::connection_base& conn, const std::string& patient_id, int64_t offset,
                         int64_t limit);

/// Adds the professional (profile id or user id); `created` is false when it was already a
/// favourite. domain_error not_found for an unknown professional.
struct favorite_result {
  nlohmann::json professional;
  bool created = false;
};
favorite_result add_favorite(pqxx::connection_base& conn, const std::string& patient_id,
                             const std::string& professional_ref);

/// Removes it; domain_error not_found when it is not one of the patient's favourites.
void remove_favorite(pqxx::connection_base& conn, const std::string& patient_id,
                     const std::string& professional_ref);

// -- emergency contacts --------------------------------------------------------------------------

/// Fields of a contact, validated and normalized by the caller (phone in E.164). nullopt keeps
/// the stored value on update; an empty relationship or email clears it.
struct contact_fields {
  std::optional<std::string> name;
  std::optional<std::string> relationship;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<bool> is_primary;
};

/// {id, name, relationship, phone, email, is_primary, created_at, updated_at}; primary first.
json_page list_contacts(pqxx::connection_base& conn, const std::string& patient_id, int64_t offset,
                        int64_t limit);
/// A new contact (name and phone required by the caller). Making a contact primary clears the
/// flag on the patient's other contacts.
nlohmann::json create_contact(pqxx::connection_base& conn, const std::string& patient_id,
                              const contact_fields& fields);
/// domain_error not_found unless the contact belongs to the patient.
nlohmann::json update_contact(pqxx::connection_base& conn, const std::string& patient_id,
                              const std::string& contact_id, const contact_fields& fields);
void delete_contact(pqxx::connection_base& conn, const std::string& patient_id,
                    const std::string& contact_id);

}  // namespace mundoctor::persistence
