#pragma once

// Parsing and validation of the appointment request bodies (pure; unit-tested).

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "actors/protocol/calendar_messages.hpp"

namespace mundoctor::http {

struct parsed_booking {
  std::string professional_ref;  // professionalId as sent (user id or profile uuid)
  book_request request;
  nlohmann::json errors = nlohmann::json::array();  // validationErrors; empty when valid
};

/// {professionalId, serviceId, startTime (RFC 3339), modality?, notes?, holdId?, patientId?}
/// patientId is read only when `allow_patient_id` (a professional or admin booking for a
/// patient); otherwise the patient is the caller.
parsed_booking parse_booking(const nlohmann::json& body, bool allow_patient_id);

/// An RFC 3339 instant as unix seconds; nullopt when absent or malformed.
std::optional<int64_t> read_instant(const nlohmann::json& body, const char* field);

/// A short id-like string field (1..128 characters); nullopt when absent or not a string.
std::optional<std::string> read_id(const nlohmann::json& body, const char* field);

}  // namespace mundoctor::http
