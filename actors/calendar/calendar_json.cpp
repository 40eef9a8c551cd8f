#include "actors/calendar/calendar_json.hpp"

#include "actors/calendar/local_time.hpp"

namespace mundoctor::calendar {

nlohmann::json to_json(const appointment& a) {
  return {{"id", a.id},
          {"professional_id", a.professional_id},
          {"patient_id", a.patient_id},
          {"service_id", a.service_id.empty() ? nlohmann::json() : nlohmann::json(a.service_id)},
          {"starts_at", format_rfc3339_utc(a.starts_at)},
          {"ends_at", format_rfc3339_utc(a.ends_at)},
          {"timezone", a.timezone},
          {"status", a.status},
          {"modality", a.modality},
          {"price_cents", a.price_cents},
          {"currency", a.currency},
          {"notes", a.notes.empty() ? nlohmann::json() : nlohmann::json(a.notes)},
          {"created_at", format_rfc3339_utc(a.created_at)}};
}

nlohmann::json to_json(const hold& h) {
  return {{"id", h.id},
          {"professional_id", h.professional_id},
          {"patient_id", h.patient_id},
          {"service_id", h.service_id},
          {"starts_at", format_rfc3339_utc(h.starts_at)},
          {"ends_at", format_rfc3339_utc(h.ends_at)},
          {"expires_at", format_rfc3339_utc(h.expires_at)},
          {"status", h.status}};
}

nlohmann::json availability_json(const std::string& professional_id, const std::string& service_id,
                                 const std::string& zone, const std::vector<day_slots>& days) {
  auto out = nlohmann::json::array();
  for (const auto& d : days) {
    auto slots = nlohmann::json::array();
    for (auto s : d.starts) slots.push_back(format_rfc3339_utc(s));
    out.push_back(
        {{"date", date::format("%F", date::sys_days{d.day})}, {"slots", std::move(slots)}});
  }
  return {{"professionalId", professional_id},
          {"serviceId", service_id},
          {"timezone", zone},
          {"days", std::move(out)}};
}

}  // namespace mundoctor::calendar
