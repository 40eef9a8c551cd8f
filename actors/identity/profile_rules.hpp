#pragma once

// Pure validation of the user endpoints' bodies (PUT /api/users/profile, PUT
// /api/users/preferences, POST /api/users/select-role) and parsing of Clerk webhook payloads.
// No I/O: every rule here is unit-tested on its own.

#include <optional>
#include <string>
#include <vector>

#include <caf/error.hpp>
#include <nlohmann/json.hpp>

#include "persistence/users/user_repository.hpp"

namespace mundoctor::actors::identity {

/// One entry of metadata.validationErrors.
struct field_error {
  std::string field;    // "phone", "professional.experience_years"
  std::string message;  // human text
  std::string code;     // INVALID_TYPE, INVALID_PHONE, OUT_OF_RANGE, ...
  nlohmann::json received;
};

/// A parsed body: `value` is meaningful only when `errors` is empty.
template <class T>
struct parsed {
  T value;
  std::vector<field_error> errors;
  bool ok() const noexcept { return errors.empty(); }
};

/// Accepts `name` (split into first and last name at the first space) or
/// `first_name`/`last_name`, `phone` (normalized to E.164), `avatar_url` or `profile_image_url`
/// (http(s) URL, at most 2048 characters), `insuranceData` (object), and nested `professional` /
/// `patient` objects. null or "" clears an optional field. Unknown fields are ignored.
parsed<persistence::profile_update> parse_profile_update(const nlohmann::json& body);

/// The patient profile fields of one JSON object (the nested `patient` block of
/// parse_profile_update, or the body of PUT /api/patients/profile): `date_of_birth`, `gender`,
/// `dni`, `address`, `city`, `postal_code`, `country`. Error fields are prefixed by `prefix`.
parsed<persistence::patient_update> parse_patient_fields(const nlohmann::json& body,
                                                         const std::string& prefix = {});

/// `language` (xx or xx-YY), `timezone` (IANA name), `notification_channels` (subset of
/// in_app, email, sms, push), `reminder_offsets_minutes` (at most 5, 1..10080).
parsed<persistence::preferences_update> parse_preferences(const nlohmann::json& body);

/// Only "patient" and "professional" may be self-selected.
std::vector<field_error> check_selectable_role(const std::string& role);

/// True for a zone name the time zone database knows ("Europe/Madrid").
bool is_time_zone(const std::string& name);

/// errc::invalid_argument "VALIDATION_ERROR" with {"validationErrors":[...]} as details.
caf::error validation_failure(const std::vector<field_error>& errors);

/// The user fields of a Clerk event (snake_case payload: email_addresses with
/// primary_email_address_id, phone_numbers with primary_phone_number_id, first_name,
/// last_name, image_url, public_metadata.role). nullopt when the payload is not a JSON object.
std::optional<persistence::clerk_event> parse_clerk_event(const std::string& payload_json);

}  // namespace mundoctor::actors::identity
