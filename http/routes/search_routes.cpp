// The public directory search of API.md and the patient-side aliases:
//   GET /api/professionals/search                   the search (every filter and sort)
//   GET /api/patients/search/professionals           the same
//   GET /api/patients/search/nearby                  lat, lng, radius_km required; by distance
//   GET /api/patients/search/specialty/:specialty    specialty by uuid, slug or name
//   GET /api/patients/search/specialties             specialties with professionals_count
//   GET /api/patients/search/featured                rating >= 4.0 with >= 5 reviews, best first
// All public and cached (search_cache.hpp), except searches that need the calendars.

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "http/router.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/search_cache.hpp"
#include "http/routes/search_flow.hpp"
#include "http/routes/search_requests.hpp"
#include "persistence/professionals/professional_repository.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;

// Parses page, limit and the search parameters; answers 400 / 422 itself and returns nullopt.
std::optional<search_request> parse(request_context& ctx, const responder& res) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) {
    res.fail(errc::bad_request, problem);
    return std::nullopt;
  }
  auto req =
      parse_search([&ctx](const std::string& key) { return ctx.req->query_param(key); }, page);
  if (!req.errors.empty()) {
    res.invalid(std::move(req.errors));
    return std::nullopt;
  }
  return req;
}

void search_professionals(request_context& ctx, responder res) {
  auto req = parse(ctx, res);
  if (req) run_search(ctx, res, std::move(*req));
}

void search_nearby(request_context& ctx, responder res) {
  auto missing = json::array();
  for (const auto* name : {"lat", "lng", "radius_km"})
    if (!ctx.req->query_param(name))
      missing.push_back(validation_entry(name, std::string{name} + " is required", "REQUIRED"));
  if (!missing.empty()) return res.invalid(std::move(missing));
  auto req = parse(ctx, res);
  if (!req) return;
  if (!ctx.req->query_param("sort_by")) {
    req->query.sort = persistence::directory_sort::distance;
    req->query.descending = false;
  }
  run_search(ctx, res, std::move(*req));
}

void search_by_specialty(request_context& ctx, responder res) {
  auto req = parse(ctx, res);
  if (!req) return;
  req->query.specialty = ctx.param("specialty");
  run_search(ctx, res, std::move(*req));
}

void search_featured(request_context& ctx, responder res) {
  auto req = parse(ctx, res);
  if (!req) return;
  req->query.featured = true;
  if (!ctx.req->query_param("sort_by")) {
    req->query.sort = persistence::directory_sort::rating;
    req->query.descending = true;
  }
  run_search(ctx, res, std::move(*req));
}

// The same answer as GET /api/professionals/specialties (professional_routes.cpp), from the
// same repository function.
void list_specialties(request_context& ctx, responder res) {
  page_request page;
  page.limit = 100;  // the whole list unless the client pages it
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  auto key = "specialties.v2|" + std::to_string(page.page) + "|" + std::to_string(page.limit);
  run_cached_read(
      ctx, res, key, actors::make_job("directory.specialties", [page](pqxx::connection_base& conn) {
        auto found = persistence::specialties_with_counts(conn, page.offset(), page.limit);
        auto items = json::parse(found.items_json, nullptr, false);
        if (items.is_discarded()) items = json::array();
        return caf::make_message(answer_form(items, pagination_metadata(page, found.total)));
      }));
}

}  // namespace

void register_search_routes(router& r) {
  // A new runtime starts with an empty in-process directory cache.
  reset_local_directory_cache();
  r.add(verb::get, "/api/professionals/search", search_professionals);
  r.add(verb::get, "/api/patients/search/professionals", search_professionals);
  r.add(verb::get, "/api/patients/search/nearby", search_nearby);
  r.add(verb::get, "/api/patients/search/specialty/:specialty", search_by_specialty);
  r.add(verb::get, "/api/patients/search/specialties", list_specialties);
  r.add(verb::get, "/api/patients/search/featured", search_featured);
}

}  // namespace mundoctor::http
