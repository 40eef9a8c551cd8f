#include "http/routes/search_flow.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include <caf/all.hpp>
#include <date/date.h>

#include "actors/calendar/local_time.hpp"
#include "actors/db_call.hpp"
#include "actors/protocol/atoms.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "http/routes/search_cache.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

void answer(const responder& res, const std::string& form) {
  auto cut = form.find('\n');
  if (cut == std::string::npos) return res.fail(errc::internal);
  res.ok_text(form.substr(0, cut), form.substr(cut + 1));
}

std::string page_body(json items, const page_request& page, int64_t total, json extra = {}) {
  auto metadata = pagination_metadata(page, total);
  if (extra.is_object()) metadata.update(extra);
  json data{{"professionals", std::move(items)}, {"pagination", metadata["pagination"]}};
  return answer_form(data, metadata);
}

// The SQL step. For a search that then asks the calendars: {"items": [...], "total": n}, each
// item with the probe service and the professional's local date; otherwise the answer itself.
persistence::db_job search_job(persistence::directory_query query, page_request page,
                               bool for_calendars) {
  return actors::make_job(
      "directory.search", [query, page, for_calendars](pqxx::connection_base& conn) {
        auto found = persistence::search_directory(conn, query);
        auto items = json::array();
        for (const auto& e : found.items) {
          auto item = directory_entry_json(e);
          if (for_calendars) {
            item["_probe"] = e.probe_service_id;
            item["_today"] = e.local_today;
          }
          items.push_back(std::move(item));
        }
        if (!for_calendars)
          return caf::make_message(page_body(std::move(items), page, found.total));
        return caf::make_message(dump(json{{"items", std::move(items)}, {"total", found.total}}));
      });
}

std::string days_after(const std::string& ymd, int days) {
  auto day = calendar::parse_date(ymd);
  if (!day) return ymd;
  return date::format("%F", date::sys_days{*day} + date::days{days});
}

// The first free slot of an availability reply (on `only_date` when given), or "".
std::string first_slot(const std::string& reply, const std::string& only_date) {
  auto body = json::parse(reply, nullptr, false);
  if (!body.is_object()) return {};
  for (const auto& d : body.value("days", json::array())) {
    if (!only_date.empty() && d.value("date", std::string{}) != only_date) continue;
    const auto slots = d.value("slots", json::array());
    if (!slots.empty() && slots.front().is_string()) return slots.front().get<std::string>();
  }
  return {};
}

struct availability_round {
  responder res;
  search_request req;
  json candidates;
  int64_t sql_total = 0;
  std::vector<std::string> first;  // per candidate; "" = no free slot or no answer
  std::size_t pending = 0;
};

void finish_round(availability_round& r) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < r.first.size(); ++i)
    if (r.req.available_on.empty() || !r.first[i].empty()) order.push_back(i);
  if (r.req.next_available)
    std::stable_sort(order.begin(), order.end(), [&r](std::size_t a, std::size_t b) {
      const auto &x = r.first[a], &y = r.first[b];
      if (x.empty() != y.empty()) return y.empty();
      return x < y;  // RFC 3339 UTC instants sort as text
    });
  auto items = json::array();
  auto from = static_cast<std::size_t>(r.req.page.offset());
  auto limit = static_cast<std::size_t>(r.req.page.limit);
  for (std::size_t k = from; k < order.size() && items.size() < limit; ++k) {
    auto item = r.candidates[order[k]];
    item.erase("_probe");
    item.erase("_today");
    item["next_available"] = r.first[order[k]].empty() ? json() : json(r.first[order[k]]);
    items.push_back(std::move(item));
  }
  json extra{{"candidatesCapped", r.sql_total > availability_candidate_cap}};
  answer(r.res, page_body(std::move(items), r.req.page, static_cast<int64_t>(order.size()),
                          std::move(extra)));
}

void ask_calendars(caf::event_based_actor* self, const services& svc,
                   std::shared_ptr<availability_round> round) {
  auto calendars = svc.lookup(names::calendars);
  if (!calendars) return round->res.fail(errc::unavailable, "The calendar service is not running");
  auto timeout = svc.request_timeout();
  round->first.assign(round->candidates.size(), {});
  for (std::size_t i = 0; i < round->candidates.size(); ++i) {
    const auto& c = round->candidates[i];
    auto probe = c.value("_probe", std::string{});
    if (probe.empty()) continue;
    auto today = c.value("_today", std::string{});
    const auto& on = round->req.available_on;
    auto from = on.empty() ? today : on;
    auto to = on.empty() ? days_after(today, next_available_days - 1) : on;
    ++round->pending;
    auto done = [round, i](std::string slot) {
      round->first[i] = std::move(slot);
      if (--round->pending == 0) finish_round(*round);
    };
    self->request(calendars, timeout, route_atom::value, c.value("id", std::string{}),
                  caf::make_message(availability_atom::value, probe, from, to))
        .then([done, on](std::string& reply) { done(first_slot(reply, on)); },
              [done](caf::error&) { done({}); });
  }
  if (round->pending == 0) finish_round(*round);
}

// A search that depends on availability: the SQL candidates (never cached), then the calendars.
void search_with_calendars(caf::event_based_actor* self, const services& svc, const responder& res,
                           const search_request& req) {
  auto query = req.query;
  query.offset = 0;
  query.limit = availability_candidate_cap;
  auto pool = svc.lookup(names::db_read_pool);
  if (!pool) return res.fail(errc::unavailable, "The database is unavailable");
  self->request(pool, svc.request_timeout(), db_run_atom::value, search_job(query, req.page, true))
      .then(
          [self, &svc, res, req](std::string& text) {
            auto found = json::parse(text, nullptr, false);
            if (found.is_discarded()) return res.fail(errc::internal);
            auto round = std::make_shared<availability_round>();
            round->res = res;
            round->req = req;
            round->candidates = std::move(found["items"]);
            round->sql_total = found.value("total", int64_t{0});
            ask_calendars(self, svc, round);
          },
          [res](caf::error& err) { res.fail(err); });
}

}  // namespace

std::string answer_form(const json& data, const json& metadata) {
  return dump(data) + '\n' + dump(metadata);
}

void run_search(const request_context& ctx, const responder& res, search_request req) {
  if (!req.needs_calendars())
    return run_cached_read(ctx, res, "search.v2|" + req.cache_key(),
                           search_job(req.query, req.page, false));
  const services* svc = ctx.svc;
  ctx.system().spawn([svc, res, req = std::move(req)](caf::event_based_actor* self) {
    search_with_calendars(self, *svc, res, req);
  });
}

void run_cached_read(const request_context& ctx, const responder& res, const std::string& key,
                     persistence::db_job job) {
  const services* svc = ctx.svc;
  ctx.system().spawn([svc, res, key, job = std::move(job)](caf::event_based_actor* self) {
    directory_cache_get(
        self, *svc, key,
        [self, svc, res, job](std::optional<std::string> hit, std::string versioned) {
          if (hit) return answer(res, *hit);
          auto pool = svc->lookup(names::db_read_pool);
          if (!pool) return res.fail(errc::unavailable, "The database is unavailable");
          self->request(pool, svc->request_timeout(), db_run_atom::value, job)
              .then(
                  [svc, res, versioned](std::string& body) {
                    if (!versioned.empty()) directory_cache_put(*svc, versioned, body);
                    answer(res, body);
                  },
                  [res](caf::error& err) { res.fail(err); });
        });
  });
}

}  // namespace mundoctor::http
