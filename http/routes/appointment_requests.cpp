#include "http/routes/appointment_requests.hpp"

#include "actors/calendar/local_time.hpp"
#include "http/routes/calendar_client.hpp"

namespace mundoctor::http {

namespace {

constexpr std::size_t max_notes = 2000;

}  // namespace

std::optional<std::string> read_id(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  auto value = it->get<std::string>();
  if (value.empty() || value.size() > 128) return std::nullopt;
  return value;
}

std::optional<int64_t> read_instant(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string()) return std::nullopt;
  auto t = calendar::parse_rfc3339(it->get<std::string>());
  if (!t) return std::nullopt;
  return t->time_since_epoch().count();
}

parsed_booking parse_booking(const nlohmann::json& body, bool allow_patient_id) {
  parsed_booking out;
  auto& errors = out.errors;
  auto received = [&body](const char* f) { return body.contains(f) ? body[f] : nlohmann::json(); };
  if (auto id = read_id(body, "professionalId"))
    out.professional_ref = *id;
  else
    errors.push_back(field_error("professionalId", "professionalId is required", "REQUIRED",
                                 received("professionalId")));
  if (auto id = read_id(body, "serviceId"))
    out.request.service_id = *id;
  else
    errors.push_back(
        field_error("serviceId", "serviceId is required", "REQUIRED", received("serviceId")));
  if (auto t = read_instant(body, "startTime"))
    out.request.start_unix = *t;
  else
    errors.push_back(field_error("startTime", "startTime must be an RFC 3339 instant",
                                 "INVALID_DATETIME", received("startTime")));
  auto modality = body.value("modality", nlohmann::json("in_person"));
  if (modality == "in_person" || modality == "virtual")
    out.request.modality = modality.get<std::string>();
  else
    errors.push_back(
        field_error("modality", "modality must be in_person or virtual", "INVALID_ENUM", modality));
  auto notes = body.value("notes", nlohmann::json(""));
  if (notes.is_null()) notes = "";
  if (!notes.is_string() || notes.get<std::string>().size() > max_notes)
    errors.push_back(
        field_error("notes", "notes must be text of at most 2000 characters", "TOO_LONG"));
  else
    out.request.notes = notes.get<std::string>();
  if (body.contains("holdId")) {
    if (auto id = read_id(body, "holdId"))
      out.request.hold_id = *id;
    else
      errors.push_back(
          field_error("holdId", "holdId must be an id", "INVALID", received("holdId")));
  }
  if (allow_patient_id) {
    if (auto id = read_id(body, "patientId"))
      out.request.patient_id = *id;
    else
      errors.push_back(field_error("patientId", "patientId is required when booking for a patient",
                                   "REQUIRED", received("patientId")));
  }
  return out;
}

}  // namespace mundoctor::http
