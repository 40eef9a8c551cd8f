// The directory search: one statement whose WHERE clause holds only the filters the query
// names (every value is a bound parameter), a window for the total and the page, and the
// page's details joined afterwards.

#include <algorithm>
#include <locale>
#include <optional>
#include <pqxx/pqxx>
#include <sstream>
#include <utility>
#include <vector>

#include "persistence/search/directory_repository.hpp"

namespace mundoctor::persistence {

namespace {

constexpr char list_separator = '\x1f';

// Collects the parameters as text; each add() returns its placeholder.
class sql_params {
 public:
  std::string add(std::string value) {
    values_.push_back(std::move(value));
    return "$" + std::to_string(values_.size());
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

std::string number(double v) {
  std::ostringstream out;
  out.imbue(std::locale::classic());
  out.precision(15);
  out << v;
  return out.str();
}

struct built_sql {
  std::string where;
  std::string relevance = "0::float8";
  std::string chord = "NULL::float8";        // sort key: straight-line distance, in metres
  std::string distance_km = "NULL::float8";  // great-circle distance, only for the page
};

void add_point(const directory_query& q, sql_params& params, built_sql& out) {
  if (!q.lat || !q.lng) return;
  auto origin = "ll_to_earth(" + params.add(number(*q.lat)) + "::float8, " +
                params.add(number(*q.lng)) + "::float8)";
  // earth_location is NULL without coordinates, and so are both distances. The chord through
  // the earth grows with the great-circle distance, so it orders and filters alike while
  // costing one cube_distance per candidate.
  out.chord = "cube_distance(" + origin + ", p.earth_location)";
  out.distance_km = "sec_to_gc(" + out.chord + ") / 1000.0";
  if (!q.radius_km) return;
  auto meters = params.add(number(*q.radius_km * 1000.0)) + "::float8";
  out.where += " AND earth_box(" + origin + ", " + meters + ") @> p.earth_location AND " +
               out.chord + " <= gc_to_sec(" + meters + ")";
}

// Free text is Spanish full text over the search document: the words as typed, or (`corrected`,
// see corrected_text) a tsquery of the vocabulary words nearest to them.
built_sql build_filters(const directory_query& q, const std::string* corrected,
                        sql_params& params) {
  built_sql out;
  out.where = "p.bookable";
  if (!q.text.empty()) {
    auto tsq = corrected ? "to_tsquery('spanish'::regconfig, " + params.add(*corrected) + "::text)"
                         : "plainto_tsquery('spanish'::regconfig, f_unaccent(lower(" +
                               params.add(q.text) + "::text)))";
    out.where += " AND p.search_vector @@ " + tsq;
    out.relevance = "ts_rank(p.search_vector, " + tsq + ")";
  }
  if (!q.city.empty())
    out.where += " AND p.city_key = f_unaccent(lower(" + params.add(q.city) + "::text))";
  if (!q.specialty.empty()) {
    auto s = params.add(q.specialty) + "::text";
    out.where +=
        " AND p.specialty_id = (SELECT sp.id FROM specialties sp WHERE sp.id::text = "
        "lower(" +
        s + ") OR sp.slug = lower(" + s + ") OR f_unaccent(lower(sp.name)) = f_unaccent(lower(" +
        s + ")) LIMIT 1)";
  }
  if (q.rating_min)
    out.where += " AND p.rating_average >= " + params.add(number(*q.rating_min)) + "::numeric";
  if (q.fee_max_cents)
    out.where +=
        " AND p.consultation_fee_cents <= " + params.add(std::to_string(*q.fee_max_cents)) +
        "::bigint";
  // service_modalities: those of the active services, empty without one (migration 0018).
  if (!q.modality.empty())
    out.where += " AND " + params.add(q.modality) + "::text = ANY (p.service_modalities)";
  if (q.needs_service) out.where += " AND cardinality(p.service_modalities) > 0";
  if (q.featured) out.where += " AND p.rating_average >= 4.0 AND p.total_reviews >= 5";
  add_point(q, params, out);
  return out;
}

// The sort keys, most significant first: (expression, " ASC|DESC [NULLS LAST]"). The last key
// is always the profile id, so pages never overlap.
std::vector<std::pair<std::string, std::string>> order_keys(const directory_query& q,
                                                            const built_sql& b) {
  const std::string dir = q.descending ? " DESC" : " ASC";
  switch (q.sort) {
    case directory_sort::relevance:
      return {{b.relevance, dir},
              {"p.rating_average", " DESC"},
              {"p.total_reviews", " DESC"},
              {"p.id", " ASC"}};
    case directory_sort::fee:
      return {{"p.consultation_fee_cents", dir + " NULLS LAST"}, {"p.id", " ASC"}};
    case directory_sort::experience:
      return {{"p.experience_years", dir + " NULLS LAST"}, {"p.id", " ASC"}};
    case directory_sort::distance:
      return {{b.chord, dir + " NULLS LAST"}, {"p.id", " ASC"}};
    case directory_sort::rating:
      break;
  }
  return {{"p.rating_average", dir}, {"p.total_reviews", dir}, {"p.id", " ASC"}};
}

std::vector<std::string> split_list(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  std::string text = f.as<std::string>();
  std::size_t start = 0;
  for (;;) {
    auto end = text.find(list_separator, start);
    out.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

template <class T>
std::optional<T> optional_of(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<T>();
}

std::string text_of(const pqxx::field& f) {
  return f.is_null() ? std::string{} : f.as<std::string>();
}

directory_entry read_entry(const pqxx::row& r) {
  directory_entry e;
  e.id = r["id"].as<std::string>();
  e.user_id = r["user_id"].as<std::string>();
  e.name = text_of(r["full_name"]);
  e.avatar_url = text_of(r["avatar_url"]);
  e.specialty_id = text_of(r["specialty_id"]);
  e.specialty_name = text_of(r["specialty_name"]);
  e.city = text_of(r["city"]);
  e.about = text_of(r["bio"]);
  e.rating = r["rating"].as<double>();
  e.total_reviews = r["total_reviews"].as<int64_t>();
  e.fee_cents = optional_of<int64_t>(r["fee_cents"]);
  e.currency = r["currency"].as<std::string>();
  e.latitude = optional_of<double>(r["latitude"]);
  e.longitude = optional_of<double>(r["longitude"]);
  e.distance_km = optional_of<double>(r["distance_km"]);
  e.services = split_list(r["services"]);
  e.verified = r["verified"].as<bool>();
  e.experience_years = optional_of<int>(r["experience_years"]);
  e.probe_service_id = text_of(r["probe_service_id"]);
  e.timezone = r["timezone"].as<std::string>();
  e.local_today = r["local_today"].as<std::string>();
  return e;
}

directory_page run_search(pqxx::transaction_base& tx, const directory_query& query,
                          const std::string* corrected) {
  sql_params params;
  auto built = build_filters(query, corrected, params);
  auto offset = params.add(std::to_string(std::max<int64_t>(query.offset, 0)));
  auto limit = params.add(std::to_string(std::max<int64_t>(query.limit, 1)));
  // The page is cut with ORDER BY ... LIMIT (a top-N sort) while count(*) OVER () still sees
  // every match; the outer query restores the order from the exported keys k0, k1, ...
  std::string keys, inner_order, outer_order;
  auto ordering = order_keys(query, built);
  for (std::size_t i = 0; i < ordering.size(); ++i) {
    auto k = "k" + std::to_string(i);
    keys += ", " + ordering[i].first + " AS " + k;
    inner_order += (i ? ", " : "") + ordering[i].first + ordering[i].second;
    outer_order += (i ? ", m." : "m.") + k + ordering[i].second;
  }
  std::string active = "sv.professional_id = p.id AND sv.deleted_at IS NULL AND sv.is_active";
  std::string sql =
      "WITH m AS (SELECT p.id, count(*) OVER () AS total" + keys +
      " FROM professional_profiles p WHERE " + built.where + " ORDER BY " + inner_order +
      " LIMIT " + limit + "::bigint OFFSET " + offset +
      "::bigint) SELECT m.total, p.id::text AS id, u.id AS user_id, u.full_name, u.avatar_url,"
      " s.id::text AS specialty_id, s.name AS specialty_name, p.city, p.bio,"
      " p.rating_average::float8 AS rating, p.total_reviews, p.consultation_fee_cents AS fee_cents,"
      " p.currency, p.latitude, p.longitude, " +
      built.distance_km +
      " AS distance_km, p.verified, p.experience_years,"
      " p.timezone, (now() AT TIME ZONE p.timezone)::date::text AS local_today,"
      " (SELECT string_agg(sv.name, E'\\x1f' ORDER BY sv.name) FROM services sv WHERE " +
      active +
      ") AS services,"
      " (SELECT sv.id::text FROM services sv WHERE " +
      active +
      " ORDER BY sv.duration_minutes, sv.id LIMIT 1) AS probe_service_id"
      " FROM m JOIN professional_profiles p ON p.id = m.id JOIN users u ON u.id = p.user_id"
      " LEFT JOIN specialties s ON s.id = p.specialty_id ORDER BY " +
      outer_order;
  auto rows = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params.values()));
  directory_page page;
  for (const auto& r : rows) page.items.push_back(read_entry(r));
  if (!rows.empty()) {
    page.total = rows[0]["total"].as<int64_t>();
  } else if (query.offset > 0) {
    // Past the last page: the total still counts every match.
    sql_params count_params;
    auto counted = build_filters(query, corrected, count_params);
    page.total =
        tx.exec_params1("SELECT count(*) FROM professional_profiles p WHERE " + counted.where,
                        pqxx::prepare::make_dynamic_params(count_params.values()))[0]
            .as<int64_t>();
  }
  return page;
}

// Typo tolerance: each word of the text (unaccented, lower case) that the search_words
// vocabulary does not hold becomes the OR of its (up to three) nearest vocabulary words by
// trigram distance, or stays itself when none is similar; known words, Spanish stop words and
// words under three letters stay as typed (to_tsquery drops stop words, as plainto_tsquery
// did). The words are ANDed. nullopt when the text has no word.
std::optional<std::string> corrected_text(pqxx::transaction_base& tx, const std::string& text) {
  auto row = tx.exec_params1(
      "SELECT string_agg('(' || CASE WHEN length(q.w) < 3"
      " OR length(to_tsvector('spanish'::regconfig, q.w)) = 0"
      " OR EXISTS (SELECT 1 FROM search_words sw WHERE sw.word = q.w) THEN q.w ELSE "
      "coalesce((SELECT string_agg(x.word, ' | ') FROM"
      " (SELECT sw.word FROM search_words sw WHERE sw.word % q.w"
      " ORDER BY sw.word <-> q.w, sw.word LIMIT 3) x), q.w) END || ')', ' & ' ORDER BY q.n)"
      " FROM regexp_split_to_table(f_unaccent(lower($1::text)), '[^a-z0-9]+')"
      " WITH ORDINALITY AS q(w, n) WHERE q.w <> ''",
      text);
  if (row[0].is_null()) return std::nullopt;
  return row[0].as<std::string>();
}

}  // namespace

directory_page search_directory(pqxx::connection_base& conn, const directory_query& query) {
  pqxx::read_transaction tx{conn};
  auto page = run_search(tx, query, nullptr);
  if (page.total != 0 || query.text.empty()) return page;
  auto corrected = corrected_text(tx, query.text);
  return corrected ? run_search(tx, query, &*corrected) : page;
}

}  // namespace mundoctor::persistence
