// Appointment lists: the role-scoped list of GET /api/appointments and the patient page's
// JSON of GET /api/patients/appointments.

#include <nlohmann/json.hpp>

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence {

using namespace calendar_detail;  // NOLINT(google-build-using-namespace): internal helpers
using nlohmann::json;

namespace {

// $1 role, $2 viewer id, $3 status, $4 from, $5 to, $6 professional id, $7 patient id.
constexpr const char* list_where = R"SQL(
 WHERE (($1 IN ('admin', 'super_admin'))
        OR ($1 = 'patient' AND a.patient_id = $2)
        OR ($1 = 'professional' AND a.professional_id =
            (SELECT p.id FROM professional_profiles p WHERE p.user_id = $2)))
   AND ($3::text IS NULL OR a.status = $3::text)
   AND ($4::double precision IS NULL OR a.starts_at >= to_timestamp($4::double precision))
   AND ($5::double precision IS NULL OR a.starts_at < to_timestamp($5::double precision))
   AND ($6::uuid IS NULL OR a.professional_id = $6::uuid)
   AND ($7::text IS NULL OR a.patient_id = $7::text)
)SQL";

std::optional<int64_t> epoch_or_null(const std::optional<calendar::instant>& t) {
  if (!t) return std::nullopt;
  return to_epoch(*t);
}

std::string rfc3339(calendar::instant t) { return date::format("%FT%TZ", t); }

const char* status_label(const std::string& status, bool english) {
  struct label {
    const char* code;
    const char* es;
    const char* en;
  };
  static constexpr label labels[] = {
      {"pending", "pendiente", "pending"},        {"confirmed", "confirmada", "confirmed"},
      {"in_progress", "en curso", "in progress"}, {"completed", "completada", "completed"},
      {"cancelled", "cancelada", "cancelled"},    {"no_show", "no presentado", "no-show"}};
  for (const auto& l : labels)
    if (status == l.code) return english ? l.en : l.es;
  return "";
}

json appointment_json(const calendar::appointment& a) {
  return json{{"id", a.id},
              {"professional_id", a.professional_id},
              {"patient_id", a.patient_id},
              {"service_id", a.service_id.empty() ? json(nullptr) : json(a.service_id)},
              {"starts_at", rfc3339(a.starts_at)},
              {"ends_at", rfc3339(a.ends_at)},
              {"timezone", a.timezone},
              {"status", a.status},
              {"modality", a.modality},
              {"price_cents", a.price_cents},
              {"currency", a.currency},
              {"notes", a.notes},
              {"created_at", rfc3339(a.created_at)}};
}

std::optional<std::string> checked_date(const std::string& text, const char* field) {
  if (text.empty()) return std::nullopt;
  if (!parse_ymd(text))
    throw domain_error(errc::invalid_argument, std::string{field} + " must be a YYYY-MM-DD date");
  return text;
}

}  // namespace

appointment_page list_appointments(pqxx::connection_base& conn, const appointment_filter& f,
                                   const data_cipher* cipher) {
  appointment_page page;
  if (f.professional_id && !is_uuid(*f.professional_id)) return page;
  pqxx::read_transaction tx{conn};
  auto from = epoch_or_null(f.from);
  auto to = epoch_or_null(f.to);
  page.total = tx.exec_params1(std::string{"SELECT count(*) FROM appointments a"} + list_where,
                               f.viewer_role, f.viewer_id, f.status, from, to, f.professional_id,
                               f.patient_id)[0]
                   .as<int64_t>();
  auto rows = tx.exec_params("SELECT " + appointment_columns() + " FROM appointments a" +
                                 list_where + " ORDER BY a.starts_at, a.id LIMIT $8 OFFSET $9",
                             f.viewer_role, f.viewer_id, f.status, from, to, f.professional_id,
                             f.patient_id, clamp_limit(f.limit), page_offset(f.page, f.limit));
  for (const auto& r : rows) page.items.push_back(read_appointment(r, cipher));
  return page;
}

std::string list_patient_appointments(pqxx::connection_base& conn, const std::string& patient_id,
                                      const std::string& start_date, const std::string& end_date,
                                      const std::string& status, const std::string& language,
                                      const data_cipher* cipher) {
  auto from = checked_date(start_date, "startDate");
  auto to = checked_date(end_date, "endDate");
  bool english = language == "en" || language.rfind("en-", 0) == 0;
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(
      "SELECT " + appointment_columns() +
          ", p.id::text, nullif(u.full_name, ''), u.avatar_url, sp.name, s.name,"
          " to_char(a.starts_at AT TIME ZONE a.timezone, 'YYYY-MM-DD'),"
          " to_char(a.starts_at AT TIME ZONE a.timezone, 'HH24:MI')"
          " FROM appointments a"
          " JOIN professional_profiles p ON p.id = a.professional_id"
          " JOIN users u ON u.id = p.user_id"
          " LEFT JOIN specialties sp ON sp.id = p.specialty_id"
          " LEFT JOIN services s ON s.id = a.service_id"
          " WHERE a.patient_id = $1"
          " AND ($2::date IS NULL OR (a.starts_at AT TIME ZONE a.timezone)::date >= $2::date)"
          " AND ($3::date IS NULL OR (a.starts_at AT TIME ZONE a.timezone)::date <= $3::date)"
          " AND ($4::text IS NULL OR a.status = $4::text)"
          " ORDER BY a.starts_at DESC, a.id",
      patient_id, from, to, null_if_empty(status));
  auto out = json::array();
  constexpr int n = appointment_column_count;
  auto nullable = [](const pqxx::field& f) {
    return f.is_null() ? json(nullptr) : json(f.as<std::string>());
  };
  for (const auto& r : rows) {
    auto a = read_appointment(r, cipher);
    auto item = appointment_json(a);
    item["professional"] = {{"id", r[n].as<std::string>()},
                            {"name", nullable(r[n + 1])},
                            {"avatar_url", nullable(r[n + 2])}};
    item["specialty"] = nullable(r[n + 3]);
    item["service_name"] = nullable(r[n + 4]);
    item["appointment_date"] = r[n + 5].as<std::string>();
    item["appointment_time"] = r[n + 6].as<std::string>();
    item["consultation_type"] = a.modality == "virtual" ? "Videoconsulta" : "Presencial";
    item["status_label"] = status_label(a.status, english);
    out.push_back(std::move(item));
  }
  return out.dump();
}

}  // namespace mundoctor::persistence
