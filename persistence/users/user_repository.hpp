#pragma once

// All SQL about users: principals, profiles, role selection, preferences, dashboards, Clerk
// webhook events and the audit trail. Every function takes a connection, opens and commits
// exactly one transaction, and throws on failure (libpqxx exceptions, mapped by the DB pool, or
// domain_error for rule violations), so a pool retry after a broken connection is safe.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/error.hpp>

#include "actors/protocol/errors.hpp"
#include "actors/protocol/identity.hpp"
#include "persistence/domain_error.hpp"

namespace pqxx {
class connection_base;
}

namespace mundoctor::persistence {

// -- principals and profiles -----------------------------------------------------------------

std::optional<principal> find_principal(pqxx::connection_base& conn, const std::string& id);

/// Creates the user on first sight (status incomplete, no role); returns the stored principal.
principal provision_user(pqxx::connection_base& conn, const std::string& id);

/// The profile of API.md "Users": the user fields, mirrored under "user", and the role's
/// profile under "professional" or "patient" (never encrypted columns). nullopt: no such user.
std::optional<std::string> get_profile_json(pqxx::connection_base& conn, const std::string& id);

/// Fields of the professional profile a user may edit; unset members are left unchanged, an
/// empty string clears a text column.
struct professional_update {
  std::optional<std::string> bio;
  std::optional<std::string> specialty_id;  // uuid text; empty clears
  std::optional<std::string> college_number;
  std::optional<int64_t> experience_years;
  std::optional<int64_t> consultation_fee_cents;
  std::optional<std::string> city;
  std::optional<std::string> address;
  std::optional<std::string> postal_code;
  std::optional<std::vector<std::string>> languages;
  std::optional<std::string> education_json;       // JSON array text
  std::optional<std::string> certifications_json;  // JSON array text
  std::optional<std::string> office_hours_json;    // JSON object/array text; "null" clears
  std::optional<double> latitude;                  // set together with longitude
  std::optional<double> longitude;
  std::optional<std::string> timezone;  // IANA name, validated by the caller
  bool empty() const;
};

struct patient_update {
  std::optional<std::string> date_of_birth;  // YYYY-MM-DD; empty clears
  std::optional<std::string> gender;         // female | male | other | undisclosed; empty clears
  std::optional<std::string> dni;
  std::optional<std::string> address;
  std::optional<std::string> city;
  std::optional<std::string> postal_code;
  std::optional<std::string> country;  // ISO 3166 alpha-2
  bool empty() const;
};

struct profile_update {
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> phone;           // E.164, or empty to clear
  std::optional<std::string> avatar_url;      // empty clears
  std::optional<std::string> insurance_json;  // JSON object text, or "null" to clear
  professional_update professional;  // applied only when the user has a professional profile
  patient_update patient;            // applied only when the user has a patient profile
};

/// Applies the update; domain_error not_found when the user does not exist.
void update_profile(pqxx::connection_base& conn, const std::string& id,
                    const profile_update& update);

/// patient: status active and a patient profile; professional: status pending_validation and
/// a professional profile (the status changes only while it is incomplete). Selecting the role
/// the user already has is a no-op. domain_error invalid_argument for any other role (admins
/// are never self-selected), conflict when the user already has a different role, not_found
/// when the user does not exist.
principal select_role(pqxx::connection_base& conn, const std::string& id, const std::string& role);

/// An administrative role assignment (any of the four roles; also used by `mundoctor
/// dev-token`): creates the user when missing, sets the role, and moves an incomplete user to
/// the role's first status (patient and admins active, professional pending_validation) with
/// the role's profile row. Suspended and deleted users keep their status.
principal assign_role(pqxx::connection_base& conn, const std::string& id, const std::string& role);

// -- preferences -------------------------------------------------------------------------------

struct preferences_update {
  std::optional<std::string> language;  // xx or xx-YY
  std::optional<std::string> timezone;  // IANA name, validated by the caller
  std::optional<std::vector<std::string>> notification_channels;  // in_app, email, sms, push
  std::optional<std::vector<int64_t>> reminder_offsets_minutes;   // at most 5, 1..10080
};

/// {language, timezone, notification_channels, reminder_offsets_minutes}; the defaults are
/// stored on first read. domain_error not_found when the user does not exist.
std::string get_preferences_json(pqxx::connection_base& conn, const std::string& id);
std::string put_preferences_json(pqxx::connection_base& conn, const std::string& id,
                                 const preferences_update& update);

// -- dashboards (computed from the database; zeros and empty lists without data) --------------

/// Role-shaped figures of API.md: professional, patient, admin/super_admin; "{}" otherwise.
std::string dashboard_stats_json(pqxx::connection_base& conn, const std::string& id);
/// The caller's own appointments (as patient or professional), newest first, at most `limit`.
std::string dashboard_appointments_json(pqxx::connection_base& conn, const std::string& id,
                                        int64_t limit);
/// Reviews about the professional, or written by the patient, newest first.
std::string dashboard_reviews_json(pqxx::connection_base& conn, const std::string& id,
                                   int64_t limit);

// -- Clerk webhook events ----------------------------------------------------------------------

/// A Clerk webhook event, parsed and normalized by the caller
/// (actors/identity/profile_rules.hpp: parse_clerk_event).
struct clerk_user_fields {
  std::string id;
  std::optional<std::string> email;  // normalized primary address; nullopt when none or invalid
  bool email_verified = false;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  std::optional<std::string> avatar_url;
  std::optional<std::string> phone;  // E.164; nullopt when none or invalid
  std::string role;                  // public_metadata.role when patient | professional
};

struct clerk_event {
  std::string type;          // user.created, user.updated, user.deleted, ...
  std::string payload_json;  // the whole event, stored as received
  clerk_user_fields user;    // data.id and, for created / updated, the user's fields
};

/// Records the event under its svix id and applies user.created / user.updated (upsert; a
/// public_metadata role is taken when the user has none yet) and user.deleted (soft delete) in
/// the same transaction; other types are recorded and ignored. false when the svix id was seen
/// before (nothing is applied twice).
bool apply_clerk_event(pqxx::connection_base& conn, const std::string& svix_id,
                       const clerk_event& event);

// -- audit trail -------------------------------------------------------------------------------

/// Writes the records in one transaction with one COPY. Actions are stored in the dotted form
/// audit_log requires, outcomes as success | failure | denied; the original texts go to
/// `details`. Text that is not UTF-8 is stored with U+FFFD in its place. When the database
/// refuses the batch's data (SQLSTATE class 22, 23 or P0), every record is written alone and the
/// number refused again is returned; those are not stored. Other errors are thrown.
std::size_t insert_audit_batch(pqxx::connection_base& conn,
                               const std::vector<audit_record>& records);

/// "POST /api/users/select-role" -> "post.api.users.select_role"; already dotted actions stay.
std::string audit_action_key(const std::string& action);
/// success | failure | denied from "success", "denied", "error", "403", "201"...
std::string audit_outcome(const std::string& outcome);

}  // namespace mundoctor::persistence
