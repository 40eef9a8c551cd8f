// The "Schedules" endpoints of API.md: weekly rules, dated exceptions and the booking policy of
// a professional. Changes go through the professional's calendar actor (apply_atom): the job
// commits, the actor reloads its state and only then answers, so availability reflects the
// change at once. Reads run on the DB pool.
//
// A batch POST /api/schedules {"schedules": [...]} is validated as a whole (fields, overlaps
// among the new rules and with the stored ones) before anything is written, and its rules are
// then created by one job; the repository commits each rule on its own, so if the database
// still refuses one, the job deletes the rules it had created before answering the error.

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/calendar/availability.hpp"
#include "actors/calendar/local_time.hpp"
#include "actors/db_call.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/router.hpp"
#include "http/routes/calendar_client.hpp"
#include "http/routes/catalogue_requests.hpp"
#include "http/routes/routes.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;
using persistence::db_job;
using persistence::domain_error;
using conn_ref = pqxx::connection_base&;

[[noreturn]] void invalid(json errors, const std::string& message = "The request is not valid",
                          const std::string& code = {}) {
  throw domain_error(errc::invalid_argument, message, code,
                     json{{"validationErrors", std::move(errors)}}.dump());
}

[[noreturn]] void overlap(const std::string& field) {
  invalid(json::array({validation_entry(field, "overlaps another working range of the same day",
                                        "SCHEDULE_OVERLAP")}),
          "The working range overlaps another range of the same day", "SCHEDULE_OVERLAP");
}

// Refuses `fresh` rules that overlap each other or a stored rule (a stored rule with the id of
// a fresh one is the one it replaces). `field(i)` names the i-th fresh rule in errors.
void check_overlaps(const std::vector<calendar::weekly_rule>& stored,
                    const std::vector<calendar::weekly_rule>& fresh,
                    const std::function<std::string(std::size_t)>& field) {
  std::vector<calendar::weekly_rule> all;
  for (const auto& r : stored)
    if (std::none_of(fresh.begin(), fresh.end(), [&](const auto& f) { return f.id == r.id; }))
      all.push_back(r);
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    all.push_back(fresh[i]);
    all.back().id = "fresh:" + std::to_string(i);
  }
  auto errors = json::array();
  for (const auto& id : calendar::overlapping_rules(all))
    if (id.rfind("fresh:", 0) == 0)
      errors.push_back(validation_entry(field(std::stoul(id.substr(6))),
                                        "overlaps another working range of the same day",
                                        "SCHEDULE_OVERLAP"));
  if (!errors.empty())
    invalid(std::move(errors), "The working range overlaps another range of the same day",
            "SCHEDULE_OVERLAP");
}

// The database's own overlap guard (SCHEDULE_OVERLAP, invalid_argument) as the same 422.
template <class Fn>
auto guard_overlap(const std::string& field, Fn&& fn) {
  try {
    return fn();
  } catch (const domain_error& e) {
    if (e.code() == errc::invalid_argument) overlap(field);
    throw;
  }
}

std::string paged(const json& items) {
  return json{{"items", items}, {"total", items.size()}}.dump();
}

void answer_page(const responder& res, const page_request& page, std::string& text) {
  auto body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return res.fail(errc::internal);
  auto all = std::move(body["items"]);
  auto items = json::array();
  auto first = static_cast<std::size_t>(page.offset());
  for (auto i = first; i < all.size() && i < first + static_cast<std::size_t>(page.limit); ++i)
    items.push_back(std::move(all[i]));
  res.ok(std::move(items), {}, pagination_metadata(page, static_cast<int64_t>(all.size())));
}

// The professional the request is about: the caller's own profile, or for an admin the
// professionalId of the query or the body. A professional naming someone else gets a 404.
void with_professional(request_context& ctx, const responder& res,
                       std::function<void(const std::string&)> next) {
  auto ref = ctx.req->query_param("professionalId").value_or("");
  if (ref.empty() && ctx.json.is_object() && ctx.json.value("professionalId", json{}).is_string())
    ref = ctx.json["professionalId"].get<std::string>();
  if (is_admin(*ctx.user)) {
    if (ref.empty())
      return res.invalid(json::array({validation_entry(
          "professionalId", "administrators name the professional", "REQUIRED")}));
    return resolve_professional(ctx, res, ref, std::move(next));
  }
  resolve_professional(ctx, res, ctx.user_id(), [&ctx, res, ref, next](const std::string& own) {
    if (ref.empty()) return next(own);
    resolve_professional(ctx, res, ref, [res, own, next](const std::string& target) {
      if (target != own) return res.fail(errc::not_found, "Professional not found");
      next(own);
    });
  });
}

using job_for = std::function<db_job(const std::string&)>;  // professional -> job

// A change through the professional's calendar actor.
void change(request_context& ctx, const responder& res, const job_for& job, unsigned status = 200) {
  with_professional(ctx, res, [&ctx, res, job, status](const std::string& professional) {
    ask_calendar(ctx, res, professional, caf::make_message(apply_atom::value, job(professional)),
                 answer_json(res, status));
  });
}

// A paged read on the pool; the job answers {"items":[...],"total":N}.
void read(request_context& ctx, const responder& res, const job_for& job, bool paged_reply = true) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  with_professional(ctx, res, [&ctx, res, job, page, paged_reply](const std::string& professional) {
    std::function<void(std::string&)> on_ok = answer_json(res);
    if (paged_reply) on_ok = [res, page](std::string& text) { answer_page(res, page, text); };
    ask_pool(ctx, res, job(professional), std::move(on_ok));
  });
}

db_job deleted(const char* name, const std::string& id,
               bool (*remove)(conn_ref, const std::string&, const std::string&),
               const std::string& professional, const char* what) {
  return actors::make_job(name, [=](conn_ref conn) {
    if (!remove(conn, professional, id)) throw domain_error(errc::not_found, what);
    return caf::make_message(json{{"id", id}, {"deleted", true}}.dump());
  });
}

// -- weekly rules ------------------------------------------------------------------------------

// Removes the rules a failed batch had already created.
void undo(conn_ref conn, const std::string& professional,
          const std::vector<calendar::weekly_rule>& created) {
  try {
    for (const auto& r : created) persistence::delete_weekly_rule(conn, professional, r.id);
  } catch (const std::exception& e) {
    spdlog::error("schedules.create could not remove the rules of a failed batch: {}", e.what());
  }
}

db_job create_rules(const std::string& professional, std::vector<calendar::weekly_rule> rules,
                    bool batch) {
  return actors::make_job("schedules.create", [professional, rules, batch](conn_ref conn) mutable {
    auto field = [batch](std::size_t i) {
      return batch ? "schedules[" + std::to_string(i) + "].start_time" : std::string{"start_time"};
    };
    std::vector<calendar::weekly_rule> stored;
    if (std::any_of(rules.begin(), rules.end(), [](const auto& r) { return r.zone.empty(); })) {
      auto snapshot = persistence::load_calendar(conn, professional, nullptr);
      if (!snapshot) throw domain_error(errc::not_found, "Professional not found");
      for (auto& r : rules)
        if (r.zone.empty()) r.zone = snapshot->sched.zone;
      stored = snapshot->sched.weekly;
    } else {
      stored = persistence::list_weekly_rules(conn, professional);
    }
    check_overlaps(stored, rules, field);
    std::vector<calendar::weekly_rule> created;
    try {
      for (std::size_t i = 0; i < rules.size(); ++i)
        created.push_back(guard_overlap(field(i), [&] {
          return persistence::create_weekly_rule(conn, professional, rules[i]);
        }));
    } catch (...) {
      undo(conn, professional, created);
      throw;
    }
    auto out = json::array();
    for (const auto& r : created) out.push_back(rule_json(professional, r));
    return caf::make_message(batch ? out.dump() : out.front().dump());
  });
}

void post_schedules(request_context& ctx, responder res) {
  auto parsed = parse_rules(ctx.json);
  std::vector<calendar::weekly_rule> rules;
  for (std::size_t i = 0; i < parsed.rules.size() && parsed.errors.empty(); ++i) {
    calendar::weekly_rule base;
    base.zone.clear();  // the professional's zone unless the rule names one
    rules.push_back(apply_patch(parsed.rules[i], base));
    auto prefix = parsed.batch ? "schedules[" + std::to_string(i) + "]." : std::string{};
    for (auto& e : check_rule(rules.back(), prefix)) parsed.errors.push_back(std::move(e));
  }
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  change(
      ctx, res,
      [rules, batch = parsed.batch](const std::string& professional) {
        return create_rules(professional, rules, batch);
      },
      201);
}

void get_schedules(request_context& ctx, responder res) {
  read(ctx, res, [](const std::string& professional) {
    return actors::make_job("schedules.list", [professional](conn_ref conn) {
      auto items = json::array();
      for (const auto& r : persistence::list_weekly_rules(conn, professional))
        items.push_back(rule_json(professional, r));
      return caf::make_message(paged(items));
    });
  });
}

void put_schedule(request_context& ctx, responder res) {
  auto errors = json::array();
  auto patch = parse_rule(ctx.json, false, errors);
  if (!errors.empty()) return res.invalid(std::move(errors));
  auto id = ctx.param("id");
  change(ctx, res, [id, patch](const std::string& professional) {
    return actors::make_job("schedules.update", [professional, id, patch](conn_ref conn) {
      auto stored = persistence::list_weekly_rules(conn, professional);
      auto it =
          std::find_if(stored.begin(), stored.end(), [&](const auto& r) { return r.id == id; });
      if (it == stored.end()) throw domain_error(errc::not_found, "Schedule not found");
      auto merged = apply_patch(patch, *it);
      if (auto bad = check_rule(merged); !bad.empty()) invalid(std::move(bad));
      check_overlaps(stored, {merged}, [](std::size_t) { return std::string{"start_time"}; });
      bool found = guard_overlap("start_time", [&] {
        return persistence::update_weekly_rule(conn, professional, merged);
      });
      if (!found) throw domain_error(errc::not_found, "Schedule not found");
      return caf::make_message(rule_json(professional, merged).dump());
    });
  });
}

void delete_schedule(request_context& ctx, responder res) {
  change(ctx, res, [id = ctx.param("id")](const std::string& professional) {
    return deleted("schedules.delete", id, persistence::delete_weekly_rule, professional,
                   "Schedule not found");
  });
}

// -- exceptions --------------------------------------------------------------------------------

void post_exception(request_context& ctx, responder res) {
  auto errors = json::array();
  auto patch = parse_exception(ctx.json, true, errors);
  if (errors.empty()) {
    auto ex = apply_patch(patch, calendar::schedule_exception{});
    errors = check_exception(ex, patch);
  }
  if (!errors.empty()) return res.invalid(std::move(errors));
  auto ex = apply_patch(patch, calendar::schedule_exception{});
  change(
      ctx, res,
      [ex](const std::string& professional) {
        return actors::make_job("exceptions.create", [professional, ex](conn_ref conn) {
          return caf::make_message(
              exception_json(professional, persistence::create_exception(conn, professional, ex))
                  .dump());
        });
      },
      201);
}

void get_exceptions(request_context& ctx, responder res) {
  std::optional<date::year_month_day> from;
  if (auto text = ctx.req->query_param("from"); text && !text->empty()) {
    from = calendar::parse_date(*text);
    if (!from)
      return res.invalid(json::array(
          {validation_entry("from", "must be a date YYYY-MM-DD", "INVALID_DATE", *text)}));
  }
  read(ctx, res, [from](const std::string& professional) {
    return actors::make_job("exceptions.list", [professional, from](conn_ref conn) {
      auto items = json::array();
      for (const auto& e : persistence::list_exceptions(conn, professional, from))
        items.push_back(exception_json(professional, e));
      return caf::make_message(paged(items));
    });
  });
}

void put_exception(request_context& ctx, responder res) {
  auto errors = json::array();
  auto patch = parse_exception(ctx.json, false, errors);
  if (!errors.empty()) return res.invalid(std::move(errors));
  auto id = ctx.param("id");
  change(ctx, res, [id, patch](const std::string& professional) {
    return actors::make_job("exceptions.update", [professional, id, patch](conn_ref conn) {
      auto stored = persistence::list_exceptions(conn, professional);
      auto it =
          std::find_if(stored.begin(), stored.end(), [&](const auto& e) { return e.id == id; });
      if (it == stored.end()) throw domain_error(errc::not_found, "Exception not found");
      auto merged = apply_patch(patch, *it);
      if (auto bad = check_exception(merged, patch); !bad.empty()) invalid(std::move(bad));
      if (!persistence::update_exception(conn, professional, merged))
        throw domain_error(errc::not_found, "Exception not found");
      return caf::make_message(exception_json(professional, merged).dump());
    });
  });
}

void delete_exception(request_context& ctx, responder res) {
  change(ctx, res, [id = ctx.param("id")](const std::string& professional) {
    return deleted("exceptions.delete", id, persistence::delete_exception, professional,
                   "Exception not found");
  });
}

// -- booking policy ----------------------------------------------------------------------------

void get_policy(request_context& ctx, responder res) {
  read(
      ctx, res,
      [](const std::string& professional) {
        return actors::make_job("policy.get", [professional](conn_ref conn) {
          return caf::make_message(
              policy_json(professional, persistence::get_policy(conn, professional)).dump());
        });
      },
      false);
}

void put_policy(request_context& ctx, responder res) {
  auto errors = json::array();
  auto patch = parse_policy(ctx.json, errors);
  if (!errors.empty()) return res.invalid(std::move(errors));
  change(ctx, res, [patch](const std::string& professional) {
    return actors::make_job("policy.put", [professional, patch](conn_ref conn) {
      auto merged = apply_patch(patch, persistence::get_policy(conn, professional));
      return caf::make_message(
          policy_json(professional, persistence::put_policy(conn, professional, merged)).dump());
    });
  });
}

}  // namespace

void register_schedule_routes(router& r) {
  route_options owner;
  owner.auth = auth_rule{};
  owner.auth->roles = {"professional", "admin"};
  r.add(verb::post, "/api/schedules", post_schedules, owner);
  r.add(verb::get, "/api/schedules", get_schedules, owner);
  r.add(verb::put, "/api/schedules/:id", put_schedule, owner);
  r.add(verb::del, "/api/schedules/:id", delete_schedule, owner);
  r.add(verb::post, "/api/schedules/exceptions", post_exception, owner);
  r.add(verb::get, "/api/schedules/exceptions", get_exceptions, owner);
  r.add(verb::put, "/api/schedules/exceptions/:id", put_exception, owner);
  r.add(verb::del, "/api/schedules/exceptions/:id", delete_exception, owner);
  r.add(verb::get, "/api/schedules/policy", get_policy, owner);
  r.add(verb::put, "/api/schedules/policy", put_policy, owner);
}

}  // namespace mundoctor::http
