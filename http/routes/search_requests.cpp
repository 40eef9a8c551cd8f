#include "http/routes/search_requests.hpp"

#include <cmath>
#include <cstdlib>
#include <optional>
#include <regex>
#include <sstream>

#include <date/date.h>

namespace mundoctor::http {

namespace {

using nlohmann::json;
using persistence::directory_sort;

constexpr std::size_t max_text_length = 200;
constexpr double max_radius_km = 20'000.0;  // half the Earth's circumference

// A finite decimal number written in full ("12", "-3.7", "1e2" is refused); nullopt otherwise.
std::optional<double> parse_number(const std::string& text) {
  static const std::regex decimal{"^-?[0-9]{1,9}(\\.[0-9]{1,12})?$"};
  if (!std::regex_match(text, decimal)) return std::nullopt;
  std::istringstream in{text};
  in.imbue(std::locale::classic());
  double v = 0;
  in >> v;
  if (!in || !std::isfinite(v)) return std::nullopt;
  return v;
}

bool valid_date(const std::string& text) {
  static const std::regex ymd{"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"};
  if (!std::regex_match(text, ymd)) return false;
  date::year_month_day d{date::year{std::stoi(text.substr(0, 4))},
                         date::month{static_cast<unsigned>(std::stoi(text.substr(5, 2)))},
                         date::day{static_cast<unsigned>(std::stoi(text.substr(8, 2)))}};
  return d.ok();
}

class reader {
 public:
  reader(const query_lookup& query, json& errors) : query_(query), errors_(errors) {}

  std::string text(const std::string& name, std::size_t max_length = max_text_length) {
    auto v = query_(name);
    if (!v) return {};
    if (utf8_length(*v) > max_length) {
      fail(name, "at most " + std::to_string(max_length) + " characters", "TOO_LONG", *v);
      return {};
    }
    return *v;
  }

  std::optional<double> number(const std::string& name, double min, double max) {
    auto v = query_(name);
    if (!v || v->empty()) return std::nullopt;
    auto n = parse_number(*v);
    if (!n || *n < min || *n > max) {
      std::ostringstream range;
      range << "a number from " << min << " to " << max;
      fail(name, range.str(), "INVALID_NUMBER", *v);
      return std::nullopt;
    }
    return n;
  }

  void fail(const std::string& field, const std::string& message, const std::string& code,
            const std::string& received) {
    errors_.push_back(validation_entry(field, message, code, received));
  }

  std::optional<std::string> raw(const std::string& name) const { return query_(name); }

 private:
  const query_lookup& query_;
  json& errors_;
};

void parse_point(reader& in, search_request& out) {
  auto& q = out.query;
  q.lat = in.number("lat", -90, 90);
  q.lng = in.number("lng", -180, 180);
  auto radius = in.raw("radius_km");
  if (radius && !radius->empty()) {
    q.radius_km = in.number("radius_km", 0, max_radius_km);
    if (q.radius_km && *q.radius_km <= 0) {
      in.fail("radius_km", "radius_km must be greater than 0", "INVALID_NUMBER", *radius);
      q.radius_km.reset();
    }
  }
  bool some = in.raw("lat") || in.raw("lng") || (radius && !radius->empty());
  if (some && (!in.raw("lat") || !in.raw("lng")))
    in.fail(in.raw("lat") ? "lng" : "lat", "lat and lng go together", "REQUIRED", "");
}

void parse_order(reader& in, search_request& out) {
  auto& q = out.query;
  auto sort = in.raw("sort_by").value_or("");
  bool ascending_default = false;
  if (sort.empty()) {
    q.sort = q.text.empty() ? directory_sort::rating : directory_sort::relevance;
  } else if (sort == "relevance") {
    q.sort = directory_sort::relevance;
  } else if (sort == "rating") {
    q.sort = directory_sort::rating;
  } else if (sort == "consultation_fee") {
    q.sort = directory_sort::fee;
    ascending_default = true;
  } else if (sort == "experience_years") {
    q.sort = directory_sort::experience;
  } else if (sort == "distance") {
    q.sort = directory_sort::distance;
    ascending_default = true;
    if (!q.lat || !q.lng) in.fail("sort_by", "distance needs lat and lng", "REQUIRED", sort);
  } else if (sort == "next_available") {
    // The SQL order ranks the candidates; the calendars decide the final order.
    out.next_available = true;
    q.sort = q.text.empty() ? directory_sort::rating : directory_sort::relevance;
  } else {
    in.fail("sort_by",
            "one of relevance, rating, consultation_fee, experience_years, distance, "
            "next_available",
            "INVALID_VALUE", sort);
  }
  auto order = in.raw("sort_order").value_or("");
  if (order.empty() || out.next_available)
    q.descending = !ascending_default;
  else if (order == "asc" || order == "desc")
    q.descending = order == "desc";
  else
    in.fail("sort_order", "asc or desc", "INVALID_VALUE", order);
}

}  // namespace

search_request parse_search(const query_lookup& query, const page_request& page) {
  search_request out;
  out.page = page;
  reader in{query, out.errors};
  auto& q = out.query;
  q.text = in.text("q");
  q.city = in.text("city", 100);
  q.specialty = in.text("specialty_id", 100);
  if (q.specialty.empty()) q.specialty = in.text("specialty", 100);
  q.rating_min = in.number("rating_min", 0, 5);
  if (auto fee = in.number("consultation_fee_max", 0, 1'000'000))
    q.fee_max_cents = static_cast<int64_t>(std::llround(*fee * 100.0));
  q.modality = in.raw("modality").value_or("");
  if (!q.modality.empty() && q.modality != "in_person" && q.modality != "virtual") {
    in.fail("modality", "in_person or virtual", "INVALID_VALUE", q.modality);
    q.modality.clear();
  }
  parse_point(in, out);
  out.available_on = in.raw("available_on").value_or("");
  if (!out.available_on.empty() && !valid_date(out.available_on)) {
    in.fail("available_on", "a date YYYY-MM-DD", "INVALID_DATE", out.available_on);
    out.available_on.clear();
  }
  parse_order(in, out);
  q.needs_service = out.needs_calendars();
  q.offset = page.offset();
  q.limit = page.limit;
  return out;
}

std::string search_request::cache_key() const {
  const auto& q = query;
  std::ostringstream key;
  key.imbue(std::locale::classic());
  key.precision(10);
  auto opt = [&key](const auto& v) -> std::ostringstream& {
    if (v) key << *v;
    return key;
  };
  key << "q=" << q.text << "\x1f"
      << "city=" << q.city << "\x1f"
      << "sp=" << q.specialty << "\x1f"
      << "r=";
  opt(q.rating_min) << "\x1f"
                    << "fee=";
  opt(q.fee_max_cents) << "\x1f"
                       << "mod=" << q.modality << "\x1f"
                       << "lat=";
  opt(q.lat) << "\x1f"
             << "lng=";
  opt(q.lng) << "\x1f"
             << "rad=";
  opt(q.radius_km) << "\x1f"
                   << "f=" << q.featured << "\x1f"
                   << "s=" << static_cast<int>(q.sort) << (q.descending ? "d" : "a") << "\x1f"
                   << "p=" << page.page << "\x1f"
                   << "l=" << page.limit;
  return key.str();
}

json directory_entry_json(const persistence::directory_entry& e) {
  auto opt = [](const auto& v) { return v ? json(*v) : json(); };
  json specialty =
      e.specialty_id.empty() ? json() : json{{"id", e.specialty_id}, {"name", e.specialty_name}};
  json distance;
  if (e.distance_km) distance = std::round(*e.distance_km * 100.0) / 100.0;
  json fee;
  if (e.fee_cents) fee = static_cast<double>(*e.fee_cents) / 100.0;
  return {{"id", e.id},
          {"user_id", e.user_id},
          {"name", e.name},
          {"avatar_url", e.avatar_url.empty() ? json() : json(e.avatar_url)},
          {"specialty", std::move(specialty)},
          {"specialty_name", e.specialty_name.empty() ? json() : json(e.specialty_name)},
          {"city", e.city.empty() ? json() : json(e.city)},
          {"rating", e.rating},
          {"total_reviews", e.total_reviews},
          {"consultation_fee", std::move(fee)},
          {"consultation_fee_cents", opt(e.fee_cents)},
          {"currency", e.currency},
          {"latitude", opt(e.latitude)},
          {"longitude", opt(e.longitude)},
          {"services", e.services},
          {"about", e.about.empty() ? json() : json(e.about)},
          {"verified", e.verified},
          {"experience_years", opt(e.experience_years)},
          {"distance_km", std::move(distance)}};
}

}  // namespace mundoctor::http
