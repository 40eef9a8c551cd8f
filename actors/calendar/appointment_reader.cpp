#include "actors/calendar/appointment_reader.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/calendar/calendar_json.hpp"
#include "actors/calendar/local_time.hpp"
#include "actors/db_call.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "actors/protocol/identity.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::actors {

namespace {

using namespace calendar;
namespace repo = persistence;

// The appointment when `who` may see it: its patient, its professional (by user id) or an admin.
std::optional<appointment> visible(pqxx::connection_base& conn, const std::string& id,
                                   const principal& who, const repo::data_cipher* cipher) {
  auto a = repo::find_appointment(conn, id, cipher);
  if (!a) return std::nullopt;
  if (is_admin(who) || a->patient_id == who.user_id) return a;
  auto own = repo::resolve_professional_id(conn, who.user_id);
  if (own && *own == a->professional_id) return a;
  return std::nullopt;
}

nlohmann::json history_json(const std::vector<repo::appointment_change>& changes) {
  auto out = nlohmann::json::array();
  for (const auto& c : changes) {
    nlohmann::json item{{"action", c.action},
                        {"changed_by", c.changed_by},
                        {"changed_at", format_rfc3339_utc(c.changed_at)},
                        {"from_status", c.from_status},
                        {"to_status", c.to_status},
                        {"reason", c.reason}};
    if (c.new_starts_at) item["new_starts_at"] = format_rfc3339_utc(*c.new_starts_at);
    if (c.old_starts_at) item["old_starts_at"] = format_rfc3339_utc(*c.old_starts_at);
    out.push_back(std::move(item));
  }
  return out;
}

caf::message not_found() {
  return caf::make_message(make_error(errc::not_found, "Appointment not found"));
}

repo::appointment_filter filter_of(pqxx::connection_base& conn, const appointment_query& q) {
  repo::appointment_filter f;
  f.viewer_id = q.viewer_id;
  f.viewer_role = q.viewer_role;
  if (!q.status.empty()) f.status = q.status;
  if (q.from_unix) f.from = instant{std::chrono::seconds{q.from_unix}};
  if (q.to_unix) f.to = instant{std::chrono::seconds{q.to_unix}};
  if (!q.professional_id.empty()) {
    // An unknown professional matches nothing rather than everything.
    f.professional_id = repo::resolve_professional_id(conn, q.professional_id)
                            .value_or("00000000-0000-0000-0000-000000000000");
  }
  if (!q.patient_id.empty()) f.patient_id = q.patient_id;
  f.page = static_cast<int>(q.page);
  f.limit = static_cast<int>(q.limit);
  return f;
}

}  // namespace

caf::behavior appointment_reader(caf::event_based_actor* self, calendar_context ctx) {
  auto timeout = std::chrono::milliseconds{ctx.settings->request_timeout_ms};
  auto cipher = ctx.cipher;
  // Every read runs on the pool and answers the requester directly.
  auto forward = [self, timeout](persistence::db_job job) {
    auto rp = self->make_response_promise<std::string>();
    run_job<std::string>(
        self, timeout, std::move(job), [rp](std::string& json) mutable { rp.deliver(json); },
        [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
    return rp;
  };
  return {
      [forward, cipher](locate_atom, const std::string& id, const principal& who) {
        return forward(make_job("appointments.locate", [id, who, cipher](pqxx::connection_base& c) {
          auto a = visible(c, id, who, cipher);
          return a ? caf::make_message(a->professional_id) : not_found();
        }));
      },
      [forward, cipher](get_atom, const std::string& id, const principal& who) {
        return forward(make_job("appointments.get", [id, who, cipher](pqxx::connection_base& c) {
          auto a = visible(c, id, who, cipher);
          if (!a) return not_found();
          auto json = to_json(*a);
          json["history"] = history_json(repo::appointment_history(c, id));
          return caf::make_message(json.dump());
        }));
      },
      [forward, cipher](list_atom, const appointment_query& q) {
        return forward(make_job("appointments.list", [q, cipher](pqxx::connection_base& c) {
          auto page = repo::list_appointments(c, filter_of(c, q), cipher);
          auto items = nlohmann::json::array();
          for (const auto& a : page.items) items.push_back(to_json(a));
          return caf::make_message(
              nlohmann::json{{"items", std::move(items)}, {"total", page.total}}.dump());
        }));
      },
      [forward, cipher](patient_atom, const std::string& patient, const std::string& start,
                        const std::string& end, const std::string& status,
                        const std::string& language) {
        return forward(make_job("appointments.patient", [=](pqxx::connection_base& c) {
          return caf::make_message(
              repo::list_patient_appointments(c, patient, start, end, status, language, cipher));
        }));
      },
  };
}

}  // namespace mundoctor::actors
