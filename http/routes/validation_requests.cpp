#include "http/routes/validation_requests.hpp"

#include <initializer_list>
#include <regex>

#include "actors/calendar/local_time.hpp"
#include "http/routes/catalogue_fields.hpp"
#include "persistence/professionals/validation_rules.hpp"

namespace mundoctor::http {

using catalogue_detail::field_reader;
using nlohmann::json;

namespace {

constexpr std::size_t max_bio = 5000;
constexpr std::size_t max_reference = 2048;
constexpr double max_fee_euros = 100'000;

// The first of `keys` the body has, or the first key when it has none.
const char* key_of(const json& body, std::initializer_list<const char*> keys) {
  for (const char* k : keys)
    if (body.contains(k)) return k;
  return *keys.begin();
}

// An array, or a non-empty string as a one-entry array; null and absent give "[]".
std::string list_json(field_reader& in, const char* key) {
  const auto* v = in.find(key);
  if (!v || v->is_null()) return "[]";
  if (v->is_array()) return v->dump();
  if (v->is_string()) return v->get<std::string>().empty() ? "[]" : json::array({*v}).dump();
  in.fail(key, "must be an array", "INVALID_TYPE", *v);
  return "[]";
}

void add_reference(parsed_submission& out, const std::string& field, const json& value,
                   const std::string& kind) {
  auto text = value.is_string() ? value.get<std::string>() : std::string{};
  auto name = text.size() <= max_reference ? persistence::upload_filename(text) : std::string{};
  if (name.empty()) {
    out.errors.push_back(
        validation_entry(field, "must name an uploaded document", "INVALID_DOCUMENT", value));
    return;
  }
  out.value.documents.push_back({field, name, kind, text});
}

void read_documents(const json& body, parsed_submission& out) {
  static const std::array<std::array<const char*, 3>, 3> named{{
      {"dniDocumentUrl", "dni_document_url", "dni"},
      {"degreeDocumentUrl", "degree_document_url", "degree"},
      {"certificationDocumentUrl", "certification_document_url", "certification"},
  }};
  for (const auto& [camel, snake, kind] : named) {
    const char* key = key_of(body, {camel, snake});
    auto it = body.find(key);
    if (it != body.end() && !it->is_null() && !(it->is_string() && it->get<std::string>().empty()))
      add_reference(out, key, *it, kind);
  }
  auto docs = body.find("documents");
  if (docs != body.end() && !docs->is_null()) {
    if (!docs->is_array()) {
      out.errors.push_back(
          validation_entry("documents", "must be an array", "INVALID_TYPE", *docs));
      return;
    }
    for (std::size_t i = 0; i < docs->size(); ++i) {
      const auto& d = (*docs)[i];
      auto field = "documents[" + std::to_string(i) + "]";
      if (!d.is_object()) {
        add_reference(out, field, d, "");
        continue;
      }
      auto kind = d.value("kind", std::string{});
      if (!kind.empty() && kind != "dni" && kind != "degree" && kind != "certification") {
        out.errors.push_back(validation_entry(
            field + ".kind", "must be dni, degree or certification", "INVALID_ENUM", d["kind"]));
        continue;
      }
      add_reference(out, field, d.contains("filename") ? d["filename"] : d.value("url", json{}),
                    kind);
    }
  }
  if (out.value.documents.empty() && out.errors.empty())
    out.errors.push_back(
        validation_entry("documents", "at least one uploaded document is required", "REQUIRED"));
}

void read_fee(const json& body, field_reader& in, parsed_submission& out) {
  const char* cents = key_of(body, {"consultation_fee_cents", "consultationFeeCents"});
  out.value.consultation_fee_cents = in.integer(cents, 0, 10'000'000);
  const char* euros = key_of(body, {"consultationFee", "consultation_fee"});
  const auto* v = in.find(euros);
  if (!v || v->is_null()) return;
  if (!v->is_number() || v->get<double>() < 0 || v->get<double>() > max_fee_euros)
    return in.fail(euros, "must be an amount in euros between 0 and 100000", "OUT_OF_RANGE", *v);
  out.value.consultation_fee_cents = static_cast<int64_t>(std::llround(v->get<double>() * 100.0));
}

}  // namespace

parsed_submission parse_submission(const json& body, const std::string& user_id) {
  parsed_submission out;
  out.value.user_id = user_id;
  if (!body.is_object()) {
    out.errors.push_back(validation_entry("body", "a JSON object is required", "REQUIRED"));
    return out;
  }
  field_reader in{body, out.errors, ""};
  auto& s = out.value;
  s.college_number = in.text(key_of(body, {"collegeNumber", "college_number"}), 1, 50, true)
                         .value_or(std::string{});
  s.dni = in.text("dni", 1, 20, true).value_or(std::string{});
  s.specialty = in.text(key_of(body, {"specialty", "specialty_id", "specialtyId"}), 0, 100);
  s.bio = in.nullable_text("bio", max_bio);
  if (s.bio && s.bio->empty()) s.bio.reset();
  const char* years = key_of(body, {"experienceYears", "experience_years"});
  if (const auto* v = in.find(years); v && !v->is_null())
    s.experience_years = in.integer(years, 0, 80);
  s.education_json = list_json(in, "education");
  s.certifications_json = list_json(in, "certifications");
  read_fee(body, in, out);
  read_documents(body, out);
  return out;
}

std::string parse_review_notes(const json& body, const std::string& to_status, json& errors) {
  json object = body.is_object() ? body : json::object();
  const char* key = key_of(object, {"reviewNotes", "review_notes", "notes", "validation_notes"});
  auto it = object.find(key);
  bool required = persistence::notes_required(to_status);
  if (it == object.end() || it->is_null()) {
    if (required)
      errors.push_back(
          validation_entry(key, "a reason of 10 to 2000 characters is required", "REQUIRED"));
    return {};
  }
  if (!it->is_string()) {
    errors.push_back(validation_entry(key, "must be a string", "INVALID_TYPE", *it));
    return {};
  }
  auto notes = it->get<std::string>();
  auto n = utf8_length(notes);
  auto min = required ? persistence::min_review_notes : 0;
  if (n < min || n > persistence::max_review_notes)
    errors.push_back(validation_entry(key,
                                      "must have " + std::to_string(min) + " to " +
                                          std::to_string(persistence::max_review_notes) +
                                          " characters",
                                      n < min ? "TOO_SHORT" : "TOO_LONG", *it));
  return notes;
}

bool is_date_or_instant(const std::string& text) {
  static const std::regex day{R"(^(\d{4})-(\d{2})-(\d{2})$)"};
  std::smatch m;
  if (!std::regex_match(text, m, day)) return calendar::parse_rfc3339(text).has_value();
  date::year_month_day ymd{date::year{std::stoi(m[1])},
                           date::month{static_cast<unsigned>(std::stoi(m[2]))},
                           date::day{static_cast<unsigned>(std::stoi(m[3]))}};
  return ymd.ok();
}

persistence::validation_filter parse_validation_query(const query_lookup_fn& query, json& errors) {
  persistence::validation_filter f;
  if (auto status = query("status"); status && !status->empty()) {
    std::size_t start = 0;
    while (start <= status->size()) {
      auto comma = status->find(',', start);
      auto one =
          status->substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (persistence::is_validation_status(one))
        f.statuses.push_back(one);
      else
        errors.push_back(
            validation_entry("status", "unknown validation status", "INVALID_ENUM", one));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  auto search = query("search");
  if (!search) search = query("q");
  if (search && !search->empty()) f.search = search->substr(0, 200);
  for (auto [key, alias, target] :
       {std::make_tuple("from", "dateFrom", &f.from), std::make_tuple("to", "dateTo", &f.to)}) {
    auto v = query(key);
    if (!v) v = query(alias);
    if (!v || v->empty()) continue;
    if (is_date_or_instant(*v))
      *target = *v;
    else
      errors.push_back(validation_entry(key, "must be a date YYYY-MM-DD or an RFC 3339 instant",
                                        "INVALID_DATE", *v));
  }
  return f;
}

}  // namespace mundoctor::http
