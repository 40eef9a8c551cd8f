#pragma once

// JSON renderings of the calendar domain, in the shapes of API.md.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/calendar/availability.hpp"
#include "actors/protocol/calendar.hpp"

namespace mundoctor::calendar {

/// id, professional_id, patient_id, service_id, starts_at, ends_at, timezone, status, modality,
/// price_cents, currency, notes, created_at (instants RFC 3339 UTC).
nlohmann::json to_json(const appointment& a);

/// id, professional_id, patient_id, service_id, starts_at, ends_at, expires_at, status.
nlohmann::json to_json(const hold& h);

/// {"professionalId","serviceId","timezone","days":[{"date":"YYYY-MM-DD","slots":[RFC 3339]}]}
nlohmann::json availability_json(const std::string& professional_id, const std::string& service_id,
                                 const std::string& zone, const std::vector<day_slots>& days);

}  // namespace mundoctor::calendar
