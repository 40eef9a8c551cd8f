#pragma once

// Parsing and validation of the patient side's bodies (pure; unit-tested): the patient
// profile, emergency contacts and the medical record a professional writes. Each parser
// records one validationErrors entry {field, message, code, received?} per bad field.

#include <string>

#include <nlohmann/json.hpp>

#include "persistence/patients/patient_repository.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::http {

/// Longest medical free text (allergies, conditions, medications, diagnosis, treatment).
constexpr std::size_t max_medical_text = 5000;
/// Most items of a medical list (allergies as an array, prescriptions).
constexpr std::size_t max_medical_items = 50;

struct parsed_patient_profile {
  persistence::profile_update profile;          // user fields and the patient block
  persistence::medical_profile_update medical;  // blood type and sealed texts
  nlohmann::json errors = nlohmann::json::array();
};

/// PUT /api/patients/profile: the user fields of PUT /api/users/profile (name, first_name,
/// last_name, phone, avatar_url, insuranceData), the patient fields (date_of_birth, gender,
/// dni, address, city, postal_code, country) at the top level or in a nested `patient` object
/// (the same rules as PUT /api/users/profile), and the medical fields, at either place too:
/// `blood_type` (A+ ... O-), `allergies`, `conditions`, `medications` (a text of at most
/// max_medical_text characters or an array of at most max_medical_items texts of 1..200
/// characters). null or "" clears a field.
parsed_patient_profile parse_patient_profile(const nlohmann::json& body);

struct parsed_contact {
  persistence::contact_fields fields;
  nlohmann::json errors = nlohmann::json::array();
};

/// An emergency contact: `name` (1..200), `phone` (normalized to E.164 like the user profile;
/// both required when creating), `relationship` (<= 100), `email`, `is_primary`.
parsed_contact parse_contact(const nlohmann::json& body, bool create);

struct parsed_medical_record {
  persistence::medical_record_input input;
  nlohmann::json errors = nlohmann::json::array();
};

/// PUT /api/appointments/:id/medical-record: `diagnosis` and `treatment` (texts of at most
/// max_medical_text characters, null = none) and `prescriptions` (an array of at most
/// max_medical_items texts of 1..500 characters or objects naming a `name` or `medication`).
/// At least one of the three must say something.
parsed_medical_record parse_medical_record(const nlohmann::json& body);

}  // namespace mundoctor::http
