#include "actors/identity/profile_rules.hpp"

#include <algorithm>
#include <cmath>
#include <regex>
#include <utility>

#include <date/tz.h>

#include "actors/identity/contact_rules.hpp"
#include "actors/protocol/errors.hpp"
#include "persistence/uuid_text.hpp"

namespace mundoctor::actors::identity {

using nlohmann::json;

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return {};
  return s.substr(begin, s.find_last_not_of(" \t\r\n") - begin + 1);
}

// Characters of a UTF-8 text (continuation bytes not counted).
size_t char_count(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U; }));
}

// Long texts are cut in error reports.
json shown(const json& value) {
  if (value.is_string() && value.get<std::string>().size() > 100)
    return value.get<std::string>().substr(0, 100) + "...";
  return value;
}

// Reads typed fields of one JSON object; every bad field adds one error and yields nullopt.
class field_reader {
 public:
  field_reader(const json& obj, std::string prefix, std::vector<field_error>& errors)
      : obj_(obj), prefix_(std::move(prefix)), errors_(errors) {}

  const std::string& last_key() const { return key_; }

  void fail(const std::string& key, std::string message, std::string code, const json& got) {
    errors_.push_back({prefix_ + key, std::move(message), std::move(code), shown(got)});
  }

  std::optional<std::string> text(std::initializer_list<const char*> keys, size_t max,
                                  bool clearable = true) {
    const auto* v = find(keys);
    if (v == nullptr) return std::nullopt;
    if (v->is_null() && clearable) return std::string{};
    if (!v->is_string()) return type_error(*v, "must be a string"), std::nullopt;
    auto out = trim(v->get<std::string>());
    if (char_count(out) > max) {
      fail(key_, "must be at most " + std::to_string(max) + " characters", "TOO_LONG", *v);
      return std::nullopt;
    }
    return out;
  }

  std::optional<double> number(std::initializer_list<const char*> keys, double min, double max) {
    const auto* v = find(keys);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_number()) return type_error(*v, "must be a number"), std::nullopt;
    auto x = v->get<double>();
    if (x < min || x > max) return range_error(*v, min, max), std::nullopt;
    return x;
  }

  std::optional<int64_t> integer(std::initializer_list<const char*> keys, int64_t min,
                                 int64_t max) {
    auto x = number(keys, static_cast<double>(min), static_cast<double>(max));
    if (!x) return std::nullopt;
    if (std::floor(*x) != *x) return type_error(*find(keys), "must be an integer"), std::nullopt;
    return static_cast<int64_t>(*x);
  }

  // An object, or null (which clears): returned as JSON; anything else is an error.
  std::optional<json> object_or_null(std::initializer_list<const char*> keys) {
    const auto* v = find(keys);
    if (v == nullptr) return std::nullopt;
    if (v->is_object() || v->is_null()) return *v;
    return type_error(*v, "must be an object"), std::nullopt;
  }

  std::optional<json> structure_or_null(std::initializer_list<const char*> keys) {
    const auto* v = find(keys);
    if (v == nullptr) return std::nullopt;
    if (v->is_object() || v->is_array() || v->is_null()) return *v;
    return type_error(*v, "must be an object or an array"), std::nullopt;
  }

  std::optional<json> array(std::initializer_list<const char*> keys) {
    const auto* v = find(keys);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (v->is_array()) return *v;
    return type_error(*v, "must be an array"), std::nullopt;
  }

  const json* nested(std::initializer_list<const char*> keys) {
    const auto* v = find(keys);
    if (v == nullptr || v->is_null()) return nullptr;
    if (v->is_object()) return v;
    return type_error(*v, "must be an object"), nullptr;
  }

  template <class Pred>
  std::optional<std::vector<std::string>> string_list(std::initializer_list<const char*> keys,
                                                      size_t max_items, Pred allowed) {
    auto list = array(keys);
    if (!list) return std::nullopt;
    std::vector<std::string> out;
    for (const auto& item : *list) {
      if (!item.is_string() || !allowed(item.get<std::string>()))
        return fail(key_, "contains an invalid value", "INVALID_VALUE", item), std::nullopt;
      if (std::find(out.begin(), out.end(), item.get<std::string>()) == out.end())
        out.push_back(item.get<std::string>());
    }
    if (out.size() > max_items)
      return fail(key_, "must have at most " + std::to_string(max_items) + " items",
                  "TOO_MANY_ITEMS", *list),
             std::nullopt;
    return out;
  }

  std::optional<std::vector<int64_t>> integer_list(std::initializer_list<const char*> keys,
                                                   size_t max_items, int64_t min, int64_t max) {
    auto list = array(keys);
    if (!list) return std::nullopt;
    if (list->size() > max_items)
      return fail(key_, "must have at most " + std::to_string(max_items) + " items",
                  "TOO_MANY_ITEMS", *list),
             std::nullopt;
    std::vector<int64_t> out;
    for (const auto& item : *list) {
      if (!item.is_number_integer() || item.get<int64_t>() < min || item.get<int64_t>() > max)
        return range_error(item, static_cast<double>(min), static_cast<double>(max)), std::nullopt;
      out.push_back(item.get<int64_t>());
    }
    return out;
  }

 private:
  const json* find(std::initializer_list<const char*> keys) {
    for (const auto* k : keys) {
      auto it = obj_.find(k);
      if (it != obj_.end()) {
        key_ = k;
        return &*it;
      }
    }
    return nullptr;
  }

  void type_error(const json& got, const char* message) {
    fail(key_, message, "INVALID_TYPE", got);
  }

  void range_error(const json& got, double min, double max) {
    auto fmt = [](double x) {
      return std::floor(x) == x ? std::to_string(static_cast<int64_t>(x)) : json(x).dump();
    };
    fail(key_, "must be between " + fmt(min) + " and " + fmt(max), "OUT_OF_RANGE", got);
  }

  const json& obj_;
  std::string prefix_;
  std::vector<field_error>& errors_;
  std::string key_;
};

bool is_http_url(const std::string& url) {
  static const std::regex pattern{R"(^https?://[^\s/?#]+[^\s]*$)"};
  return url.size() <= 2048 && std::regex_match(url, pattern);
}

// YYYY-MM-DD, a real date, from 1900-01-01 up to today.
bool is_birth_date(const std::string& text) {
  static const std::regex pattern{R"(^(\d{4})-(\d{2})-(\d{2})$)"};
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return false;
  date::year_month_day ymd{date::year{std::stoi(m[1])},
                           date::month{static_cast<unsigned>(std::stoi(m[2]))},
                           date::day{static_cast<unsigned>(std::stoi(m[3]))}};
  if (!ymd.ok() || ymd < date::year{1900} / 1 / 1) return false;
  return date::sys_days{ymd} <= date::floor<date::days>(std::chrono::system_clock::now());
}

void read_names(field_reader& r, persistence::profile_update& out) {
  if (auto name = r.text({"name"}, 200)) {
    auto space = name->find(' ');
    out.first_name = name->substr(0, space);
    out.last_name = space == std::string::npos ? std::string{} : trim(name->substr(space + 1));
  }
  if (auto first = r.text({"first_name", "firstName"}, 100)) out.first_name = first;
  if (auto last = r.text({"last_name", "lastName"}, 100)) out.last_name = last;
}

void read_contact(field_reader& r, persistence::profile_update& out) {
  if (auto phone = r.text({"phone"}, 40)) {
    if (phone->empty()) {
      out.phone = std::string{};
    } else if (auto e164 = normalize_phone(*phone)) {
      out.phone = e164;
    } else {
      r.fail("phone", "must be a valid phone number", "INVALID_PHONE", *phone);
    }
  }
  if (auto url = r.text({"avatar_url", "profile_image_url", "avatarUrl"}, 4096)) {
    if (url->empty() || is_http_url(*url))
      out.avatar_url = url;
    else
      r.fail(r.last_key(), "must be an http(s) URL of at most 2048 characters", "INVALID_URL",
             *url);
  }
  if (auto insurance = r.object_or_null({"insuranceData", "insurance_data"})) {
    out.insurance_json = insurance->dump();
  }
}

void read_professional(field_reader& r, persistence::professional_update& out) {
  out.bio = r.text({"bio"}, 5000);
  if (auto id = r.text({"specialty_id", "specialtyId"}, 36)) {
    if (id->empty() || persistence::is_uuid(*id))
      out.specialty_id = id;
    else
      r.fail(r.last_key(), "must be a specialty id", "INVALID_ID", *id);
  }
  out.college_number = r.text({"college_number", "collegeNumber"}, 50);
  out.experience_years = r.integer({"experience_years", "experienceYears"}, 0, 80);
  out.consultation_fee_cents =
      r.integer({"consultation_fee_cents", "consultationFeeCents"}, 0, 10'000'000);
  if (auto euros = r.number({"consultation_fee", "consultationFee"}, 0, 100'000))
    out.consultation_fee_cents = static_cast<int64_t>(std::llround(*euros * 100.0));
  out.city = r.text({"city"}, 100);
  out.address = r.text({"address"}, 300);
  out.postal_code = r.text({"postal_code", "postalCode"}, 20);
  static const std::regex language{"^[a-z]{2}$"};
  out.languages = r.string_list({"languages"}, 20,
                                [](const std::string& s) { return std::regex_match(s, language); });
  if (auto education = r.array({"education"})) out.education_json = education->dump();
  if (auto certs = r.array({"certifications"})) out.certifications_json = certs->dump();
  if (auto hours = r.structure_or_null({"office_hours", "officeHours"}))
    out.office_hours_json = hours->dump();
  out.latitude = r.number({"latitude"}, -90, 90);
  out.longitude = r.number({"longitude"}, -180, 180);
  if (out.latitude.has_value() != out.longitude.has_value())
    r.fail(out.latitude ? "longitude" : "latitude", "latitude and longitude go together",
           "REQUIRED", nullptr);
  if (auto zone = r.text({"timezone"}, 64)) {
    if (is_time_zone(*zone))
      out.timezone = zone;
    else
      r.fail("timezone", "must be an IANA time zone name", "INVALID_TIMEZONE", *zone);
  }
}

void read_patient(field_reader& r, persistence::patient_update& out) {
  if (auto born = r.text({"date_of_birth", "dateOfBirth"}, 10)) {
    if (born->empty() || is_birth_date(*born))
      out.date_of_birth = born;
    else
      r.fail(r.last_key(), "must be a past date (YYYY-MM-DD)", "INVALID_DATE", *born);
  }
  if (auto gender = r.text({"gender"}, 20)) {
    static const std::vector<std::string> genders{"", "female", "male", "other", "undisclosed"};
    if (std::find(genders.begin(), genders.end(), *gender) != genders.end())
      out.gender = gender;
    else
      r.fail("gender", "must be female, male, other or undisclosed", "INVALID_VALUE", *gender);
  }
  out.dni = r.text({"dni"}, 20);
  out.address = r.text({"address"}, 300);
  out.city = r.text({"city"}, 100);
  out.postal_code = r.text({"postal_code", "postalCode"}, 20);
  if (auto country = r.text({"country"}, 2)) {
    std::transform(country->begin(), country->end(), country->begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    static const std::regex alpha2{"^[A-Z]{2}$"};
    if (std::regex_match(*country, alpha2))
      out.country = country;
    else
      r.fail("country", "must be an ISO 3166 alpha-2 code", "INVALID_VALUE", *country);
  }
}

}  // namespace

parsed<persistence::profile_update> parse_profile_update(const json& body) {
  parsed<persistence::profile_update> out;
  if (!body.is_object()) {
    out.errors.push_back({"body", "must be a JSON object", "INVALID_TYPE", body});
    return out;
  }
  field_reader r{body, "", out.errors};
  read_names(r, out.value);
  read_contact(r, out.value);
  if (const auto* pro = r.nested({"professional"})) {
    field_reader nested{*pro, "professional.", out.errors};
    read_professional(nested, out.value.professional);
  }
  if (const auto* patient = r.nested({"patient"})) {
    field_reader nested{*patient, "patient.", out.errors};
    read_patient(nested, out.value.patient);
  }
  return out;
}

parsed<persistence::patient_update> parse_patient_fields(const json& body,
                                                         const std::string& prefix) {
  parsed<persistence::patient_update> out;
  if (!body.is_object()) {
    auto field = prefix.empty() ? std::string{"body"} : prefix.substr(0, prefix.size() - 1);
    out.errors.push_back({field, "must be a JSON object", "INVALID_TYPE", body});
    return out;
  }
  field_reader r{body, prefix, out.errors};
  read_patient(r, out.value);
  return out;
}

parsed<persistence::preferences_update> parse_preferences(const json& body) {
  parsed<persistence::preferences_update> out;
  if (!body.is_object()) {
    out.errors.push_back({"body", "must be a JSON object", "INVALID_TYPE", body});
    return out;
  }
  field_reader r{body, "", out.errors};
  static const std::regex language{"^[a-z]{2}(-[A-Z]{2})?$"};
  if (auto lang = r.text({"language"}, 35, false)) {
    if (std::regex_match(*lang, language))
      out.value.language = lang;
    else
      r.fail("language", "must be a language code such as es or es-ES", "INVALID_LANGUAGE", *lang);
  }
  if (auto zone = r.text({"timezone"}, 64, false)) {
    if (is_time_zone(*zone))
      out.value.timezone = zone;
    else
      r.fail("timezone", "must be an IANA time zone name", "INVALID_TIMEZONE", *zone);
  }
  static const std::vector<std::string> channels{"in_app", "email", "sms", "push"};
  out.value.notification_channels =
      r.string_list({"notification_channels", "notificationChannels"}, 4, [](const auto& c) {
        return std::find(channels.begin(), channels.end(), c) != channels.end();
      });
  out.value.reminder_offsets_minutes =
      r.integer_list({"reminder_offsets_minutes", "reminderOffsetsMinutes"}, 5, 1, 10080);
  return out;
}

std::vector<field_error> check_selectable_role(const std::string& role) {
  if (role == "patient" || role == "professional") return {};
  return {{"role", "must be patient or professional", "INVALID_ROLE", role}};
}

bool is_time_zone(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  try {
    return date::locate_zone(name) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

caf::error validation_failure(const std::vector<field_error>& errors) {
  auto list = json::array();
  for (const auto& e : errors)
    list.push_back(
        {{"field", e.field}, {"message", e.message}, {"code", e.code}, {"received", e.received}});
  return make_error(errc::invalid_argument, "The request is not valid", "VALIDATION_ERROR",
                    json{{"validationErrors", list}}.dump());
}

// -- Clerk events ----------------------------------------------------------------------------

namespace {

std::optional<std::string> text_of(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string() || it->get<std::string>().empty()) return std::nullopt;
  return it->get<std::string>();
}

// The entry of obj[list] whose id is obj[primary_key].
const json* primary_entry(const json& obj, const char* list, const char* primary_key) {
  auto primary = text_of(obj, primary_key);
  auto it = obj.find(list);
  if (!primary || it == obj.end() || !it->is_array()) return nullptr;
  for (const auto& entry : *it)
    if (entry.is_object() && text_of(entry, "id") == primary) return &entry;
  return nullptr;
}

persistence::clerk_user_fields clerk_user_of(const json& data) {
  persistence::clerk_user_fields u;
  u.id = text_of(data, "id").value_or("");
  if (const auto* e = primary_entry(data, "email_addresses", "primary_email_address_id")) {
    if (auto address = text_of(*e, "email_address")) u.email = normalize_email(*address);
    auto v = e->find("verification");
    u.email_verified = v != e->end() && v->is_object() && text_of(*v, "status") == "verified";
  }
  if (const auto* p = primary_entry(data, "phone_numbers", "primary_phone_number_id"))
    if (auto number = text_of(*p, "phone_number")) u.phone = normalize_phone(*number);
  u.first_name = text_of(data, "first_name");
  u.last_name = text_of(data, "last_name");
  u.avatar_url = text_of(data, "image_url");
  auto meta = data.find("public_metadata");
  if (meta != data.end() && meta->is_object()) {
    auto role = text_of(*meta, "role").value_or("");
    if (role == "patient" || role == "professional") u.role = role;
  }
  return u;
}

}  // namespace

std::optional<persistence::clerk_event> parse_clerk_event(const std::string& payload_json) {
  auto event = json::parse(payload_json, nullptr, false);
  if (event.is_discarded() || !event.is_object()) return std::nullopt;
  persistence::clerk_event out;
  out.type = text_of(event, "type").value_or("");
  out.payload_json = event.dump();
  auto data = event.find("data");
  if (data != event.end() && data->is_object()) out.user = clerk_user_of(*data);
  return out;
}

}  // namespace mundoctor::actors::identity
