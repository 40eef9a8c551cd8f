#include "http/routes/patient_requests.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "actors/identity/contact_rules.hpp"
#include "actors/identity/profile_rules.hpp"
#include "http/routes/catalogue_requests.hpp"

namespace mundoctor::http {

using nlohmann::json;
namespace identity = actors::identity;

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

void add_errors(json& out, const std::vector<identity::field_error>& errors) {
  for (const auto& e : errors)
    out.push_back(validation_entry(e.field, e.message, e.code, e.received));
}

// A text that may be null (= cleared): nullopt when absent or bad.
std::optional<std::string> optional_text(const json& obj, const std::string& key,
                                         const std::string& field, std::size_t max, json& errors) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  if (it->is_null()) return std::string{};
  if (!it->is_string())
    return errors.push_back(validation_entry(field, "must be a string", "INVALID_TYPE", *it)),
           std::nullopt;
  auto text = trim(it->get<std::string>());
  if (utf8_length(text) > max)
    return errors.push_back(validation_entry(
               field, "must be at most " + std::to_string(max) + " characters", "TOO_LONG")),
           std::nullopt;
  return text;
}

// A medical text or list as the JSON text that gets sealed; "" clears.
std::optional<std::string> medical_value(const json& obj, const char* key,
                                         const std::string& prefix, json& errors) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  auto field = prefix + key;
  if (!it->is_array()) {
    auto text = optional_text(obj, key, field, max_medical_text, errors);
    if (!text || text->empty()) return text;
    return json(*text).dump();
  }
  if (it->size() > max_medical_items)
    return errors.push_back(validation_entry(
               field, "must have at most " + std::to_string(max_medical_items) + " items",
               "TOO_MANY_ITEMS")),
           std::nullopt;
  auto items = json::array();
  for (const auto& item : *it) {
    auto text = item.is_string() ? trim(item.get<std::string>()) : std::string{};
    if (text.empty() || utf8_length(text) > 200)
      return errors.push_back(validation_entry(
                 field, "each item must be a text of 1 to 200 characters", "INVALID_VALUE")),
             std::nullopt;
    items.push_back(text);
  }
  return items.empty() ? std::string{} : items.dump();
}

std::optional<std::string> blood_type(const json& obj, const std::string& prefix, json& errors) {
  auto text = optional_text(obj, "blood_type", prefix + "blood_type", 3, errors);
  if (!text || text->empty()) return text;
  std::transform(text->begin(), text->end(), text->begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  static const std::array<const char*, 8> groups{"A+", "A-", "B+", "B-", "AB+", "AB-", "O+", "O-"};
  if (std::find(groups.begin(), groups.end(), *text) != groups.end()) return text;
  errors.push_back(validation_entry(prefix + "blood_type",
                                    "must be one of A+, A-, B+, B-, AB+, AB-, O+, O-",
                                    "INVALID_VALUE", obj.at("blood_type")));
  return std::nullopt;
}

void read_medical(const json& obj, const std::string& prefix,
                  persistence::medical_profile_update& out, json& errors) {
  if (auto v = blood_type(obj, prefix, errors)) out.blood_type = v;
  if (auto v = medical_value(obj, "allergies", prefix, errors)) out.allergies = v;
  if (auto v = medical_value(obj, "conditions", prefix, errors)) out.conditions = v;
  if (auto v = medical_value(obj, "medications", prefix, errors)) out.medications = v;
}

// Fields the top level names replace those of the nested block.
void merge_patient(persistence::patient_update& into, const persistence::patient_update& top) {
  auto take = [](auto& dest, const auto& src) {
    if (src) dest = src;
  };
  take(into.date_of_birth, top.date_of_birth);
  take(into.gender, top.gender);
  take(into.dni, top.dni);
  take(into.address, top.address);
  take(into.city, top.city);
  take(into.postal_code, top.postal_code);
  take(into.country, top.country);
}

}  // namespace

parsed_patient_profile parse_patient_profile(const json& body) {
  parsed_patient_profile out;
  if (!body.is_object()) {
    out.errors.push_back(validation_entry("body", "a JSON object is required", "INVALID_TYPE"));
    return out;
  }
  auto base = identity::parse_profile_update(body);  // user fields and the nested patient block
  add_errors(out.errors, base.errors);
  out.profile = std::move(base.value);
  out.profile.professional = {};
  auto top = identity::parse_patient_fields(body);
  add_errors(out.errors, top.errors);
  merge_patient(out.profile.patient, top.value);
  auto nested = body.find("patient");
  if (nested != body.end() && nested->is_object())
    read_medical(*nested, "patient.", out.medical, out.errors);
  read_medical(body, "", out.medical, out.errors);
  return out;
}

parsed_contact parse_contact(const json& body, bool create) {
  parsed_contact out;
  if (!body.is_object()) {
    out.errors.push_back(validation_entry("body", "a JSON object is required", "INVALID_TYPE"));
    return out;
  }
  auto& f = out.fields;
  auto required = [&](const char* key, const std::optional<std::string>& v) {
    bool absent = body.find(key) == body.end();
    if ((create && absent) || (v && v->empty()))
      out.errors.push_back(validation_entry(key, std::string{key} + " is required", "REQUIRED"));
  };
  f.name = optional_text(body, "name", "name", 200, out.errors);
  required("name", f.name);
  f.relationship = optional_text(body, "relationship", "relationship", 100, out.errors);
  auto phone = optional_text(body, "phone", "phone", 40, out.errors);
  required("phone", phone);
  if (phone && !phone->empty()) {
    f.phone = identity::normalize_phone(*phone);
    if (!f.phone)
      out.errors.push_back(
          validation_entry("phone", "must be a valid phone number", "INVALID_PHONE", *phone));
  }
  if (auto email = optional_text(body, "email", "email", 254, out.errors)) {
    f.email = email->empty() ? email : identity::normalize_email(*email);
    if (!f.email)
      out.errors.push_back(
          validation_entry("email", "must be a valid email address", "INVALID_EMAIL", *email));
  }
  if (auto it = body.find("is_primary"); it != body.end()) {
    if (it->is_boolean())
      f.is_primary = it->get<bool>();
    else
      out.errors.push_back(
          validation_entry("is_primary", "must be true or false", "INVALID_TYPE", *it));
  }
  return out;
}

namespace {

json read_prescriptions(const json& body, json& errors) {
  auto it = body.find("prescriptions");
  if (it == body.end() || it->is_null()) return json::array();
  auto fail = [&errors](const std::string& message, const char* code) {
    errors.push_back(validation_entry("prescriptions", message, code));
    return json::array();
  };
  if (!it->is_array()) return fail("must be an array", "INVALID_TYPE");
  if (it->size() > max_medical_items)
    return fail("must have at most " + std::to_string(max_medical_items) + " items",
                "TOO_MANY_ITEMS");
  auto out = json::array();
  for (const auto& item : *it) {
    if (item.is_string()) {
      auto text = trim(item.get<std::string>());
      if (text.empty() || utf8_length(text) > 500)
        return fail("each text must have 1 to 500 characters", "INVALID_VALUE");
      out.push_back(text);
      continue;
    }
    bool named =
        item.is_object() && ((item.contains("name") && item["name"].is_string()) ||
                             (item.contains("medication") && item["medication"].is_string()));
    if (!named) return fail("each item must be a text or an object with a name", "INVALID_VALUE");
    if (item.dump().size() > 2000) return fail("an item is too long", "TOO_LONG");
    out.push_back(item);
  }
  return out;
}

}  // namespace

parsed_medical_record parse_medical_record(const json& body) {
  parsed_medical_record out;
  if (!body.is_object()) {
    out.errors.push_back(validation_entry("body", "a JSON object is required", "INVALID_TYPE"));
    return out;
  }
  auto diagnosis = optional_text(body, "diagnosis", "diagnosis", max_medical_text, out.errors);
  auto treatment = optional_text(body, "treatment", "treatment", max_medical_text, out.errors);
  auto prescriptions = read_prescriptions(body, out.errors);
  if (!out.errors.empty()) return out;
  out.input.diagnosis = diagnosis.value_or("");
  out.input.treatment = treatment.value_or("");
  out.input.prescriptions_json = prescriptions.dump();
  if (out.input.diagnosis.empty() && out.input.treatment.empty() && prescriptions.empty())
    out.errors.push_back(validation_entry(
        "diagnosis", "give a diagnosis, a treatment or prescriptions", "REQUIRED"));
  return out;
}

}  // namespace mundoctor::http
