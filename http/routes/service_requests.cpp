#include "http/routes/catalogue_fields.hpp"
#include "http/routes/catalogue_requests.hpp"

namespace mundoctor::http {

using nlohmann::json;
using namespace catalogue_detail;

std::size_t utf8_length(const std::string& text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

json validation_entry(const std::string& field, const std::string& message, const std::string& code,
                      const json& received) {
  json e{{"field", field}, {"message", message}, {"code", code}};
  if (!received.is_null()) e["received"] = received;
  return e;
}

// -- services ----------------------------------------------------------------------------------

parsed_service parse_service(const json& body, bool create) {
  parsed_service out;
  if (!require_object(body, out.errors)) return out;
  field_reader in{body, out.errors, ""};
  auto& p = out.patch;
  p.name = in.text("name", 1, 200, create);
  p.description = in.nullable_text("description", 2000);
  p.category = in.text("category", 1, 100);
  p.duration_minutes = in.small_int("duration_minutes", 5, 480, create);
  p.price_cents = in.integer("price_cents", 0, std::numeric_limits<int64_t>::max(), create);
  if (const auto* c = in.find("currency")) {
    auto text = c->is_string() ? c->get<std::string>() : std::string{};
    bool letters = text.size() == 3 && std::all_of(text.begin(), text.end(), [](char ch) {
                     return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
                   });
    if (!letters) {
      in.fail("currency", "must be a three-letter ISO 4217 code", "INVALID_CURRENCY", *c);
    } else {
      for (auto& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      p.currency = text;
    }
  }
  if (const auto* m = in.find("modalities")) p.modalities = read_modalities(in, *m);
  p.buffer_before_minutes = read_buffer(in, "buffer_before_minutes");
  p.buffer_after_minutes = read_buffer(in, "buffer_after_minutes");
  if (const auto* d = in.find("discount")) {
    if (d->is_null())
      p.discount_value = std::optional<discount>{};
    else if (auto parsed = read_discount(*d, out.errors))
      p.discount_value = std::optional<discount>{*parsed};
  }
  p.active = in.boolean("is_active");
  return out;
}

calendar::service_info apply_patch(const service_patch& p, calendar::service_info s) {
  if (p.name) s.name = *p.name;
  if (p.description) s.description = *p.description;
  if (p.category) s.category = *p.category;
  if (p.duration_minutes) s.duration_minutes = *p.duration_minutes;
  if (p.price_cents) s.price_cents = *p.price_cents;
  if (p.currency) s.currency = *p.currency;
  if (p.modalities) s.modalities = *p.modalities;
  if (p.buffer_before_minutes) s.buffer_before_minutes = *p.buffer_before_minutes;
  if (p.buffer_after_minutes) s.buffer_after_minutes = *p.buffer_after_minutes;
  if (p.discount_value) {
    auto d = p.discount_value->value_or(discount{});
    s.discount_percent = d.percent;
    s.discount_amount_cents = d.amount_cents;
    s.discount_valid_from = d.valid_from;
    s.discount_valid_until = d.valid_until;
  }
  if (p.active) s.active = *p.active;
  return s;
}

json service_json(const std::string& professional_id, const calendar::service_info& s) {
  auto optional_instant = [](const std::optional<calendar::instant>& t) -> json {
    return t ? json(calendar::format_rfc3339_utc(*t)) : json(nullptr);
  };
  auto optional_number = [](const auto& n) -> json { return n ? json(*n) : json(nullptr); };
  json discount_out = nullptr;
  if (s.discount_percent || s.discount_amount_cents)
    discount_out = {{"percent", optional_number(s.discount_percent)},
                    {"amount_cents", optional_number(s.discount_amount_cents)},
                    {"valid_from", optional_instant(s.discount_valid_from)},
                    {"valid_until", optional_instant(s.discount_valid_until)}};
  return {{"id", s.id},
          {"professional_id", professional_id},
          {"name", s.name},
          {"description", s.description},
          {"category", s.category.empty() ? json(nullptr) : json(s.category)},
          {"duration_minutes", s.duration_minutes},
          {"price_cents", s.price_cents},
          {"currency", s.currency},
          {"modalities", s.modalities},
          {"buffer_before_minutes", optional_number(s.buffer_before_minutes)},
          {"buffer_after_minutes", optional_number(s.buffer_after_minutes)},
          {"discount", std::move(discount_out)},
          {"is_active", s.active}};
}

service_query parse_service_query(const query_lookup& query) {
  service_query out;
  auto& f = out.filter;
  auto cents = [&](const char* key) -> std::optional<int64_t> {
    auto v = query(key);
    if (!v || v->empty()) return std::nullopt;
    bool digits = v->size() <= 15 &&
                  std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      out.errors.push_back(validation_entry(key, "must be a non-negative integer number of cents",
                                            "INVALID_VALUE", *v));
      return std::nullopt;
    }
    return std::stoll(*v);
  };
  if (auto c = query("category"); c && !c->empty()) f.category = *c;
  if (auto m = query("modality"); m && !m->empty()) {
    if (*m == "in_person" || *m == "virtual")
      f.modality = *m;
    else
      out.errors.push_back(
          validation_entry("modality", "must be in_person or virtual", "INVALID_ENUM", *m));
  }
  f.min_price_cents = cents("price_min");
  f.max_price_cents = cents("price_max");
  if (f.min_price_cents && f.max_price_cents && *f.min_price_cents > *f.max_price_cents)
    out.errors.push_back(validation_entry("price_max", "must not be below price_min",
                                          "INVALID_RANGE", *f.max_price_cents));
  out.professional_ref = query("professional").value_or("");
  if (auto a = query("active_only"); a && !a->empty()) {
    if (*a == "true" || *a == "false")
      f.active_only = *a == "true";
    else
      out.errors.push_back(
          validation_entry("active_only", "must be true or false", "INVALID_VALUE", *a));
  }
  return out;
}

}  // namespace mundoctor::http
