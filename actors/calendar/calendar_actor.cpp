#include "actors/calendar/calendar_actor.hpp"

#include <memory>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/calendar/calendar_events.hpp"
#include "actors/calendar/calendar_handlers.hpp"
#include "actors/calendar/calendar_json.hpp"
#include "actors/db_call.hpp"
#include "actors/lifecycle.hpp"
#include "actors/protocol/calendar_messages.hpp"
#include "persistence/calendar/calendar_repository.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<const mundoctor::persistence::calendar_snapshot>)

namespace mundoctor::actors {

using namespace calendar;
using snapshot_ptr = std::shared_ptr<const persistence::calendar_snapshot>;

namespace {

constexpr auto retry_after_failed_load = std::chrono::seconds{1};
constexpr auto retry_after_failed_reload = std::chrono::seconds{2};

void install(calendar_state& st, const persistence::calendar_snapshot& s) {
  // In-flight bookings keep their place across a reload.
  std::vector<occupancy> in_flight;
  for (const auto& o : st.busy())
    if (o.id.rfind("pending:", 0) == 0) in_flight.push_back(o);
  auto seq = st.seq;
  auto pending_count = st.pending_count;
  auto id = st.professional_id;
  st = calendar_state{};
  st.professional_id = id;
  st.seq = seq;
  st.pending_count = pending_count;
  st.user_id = s.user_id;
  st.bookable = s.bookable;
  st.sched = s.sched;
  for (const auto& svc : s.services) st.services[svc.id] = svc;
  for (const auto& a : s.appointments) {
    st.add_appointment(a);
    if (!a.idempotency_key.empty())
      st.replies[reply_key(a.patient_id, a.idempotency_key)] = to_json(a).dump();
  }
  for (const auto& h : s.holds) st.add_hold(h);
  for (auto& o : in_flight) st.occupy(std::move(o));
}

persistence::db_job load_job(const std::string& id, const persistence::data_cipher* cipher) {
  return make_job("calendar.load", [id, cipher](pqxx::connection_base& conn) {
    auto s = persistence::load_calendar(conn, id, cipher);
    if (!s) throw persistence::domain_error(errc::not_found, "Professional not found");
    return caf::make_message(
        snapshot_ptr{std::make_shared<persistence::calendar_snapshot>(std::move(*s))});
  });
}

// Holds expire by themselves: one timer per hold.
void arm_hold_timers(caf::event_based_actor* self, const calendar_state& st) {
  auto now = std::chrono::system_clock::now();
  for (const auto& [id, h] : st.holds) {
    auto left = h.expires_at - date::floor<std::chrono::seconds>(now);
    self->delayed_send(self, std::max(left, decltype(left){0}), expire_atom::value, id);
  }
}

std::string summary(const calendar_state& st) {
  return nlohmann::json{{"professional_id", st.professional_id},
                        {"bookable", st.bookable},
                        {"timezone", st.sched.zone},
                        {"services", st.services.size()},
                        {"weekly_rules", st.sched.weekly.size()},
                        {"exceptions", st.sched.exceptions.size()},
                        {"occupying_appointments", st.appointments.size()},
                        {"holds", st.holds.size()},
                        {"busy", st.busy().size()},
                        {"seq", st.seq}}
      .dump();
}

caf::behavior ready(caf::event_based_actor* self, const calendar_data_ptr& d);

void start_load(caf::event_based_actor* self, const calendar_data_ptr& d, bool initial) {
  run_job<snapshot_ptr>(
      self, d->timeout(), load_job(d->st.professional_id, d->ctx.cipher),
      [self, d, initial](snapshot_ptr& s) {
        install(d->st, *s);
        arm_hold_timers(self, d->st);
        if (initial) {
          self->set_default_handler(caf::print_and_drop);
          self->become(ready(self, d));
          // A booking begun by the crashed incarnation can still commit after this load; once
          // its request timeout has passed, one reload picks it up. (A passivated calendar was
          // idle for minutes, so nothing of it is still in flight.)
          if (d->ctx.after_crash) {
            d->reload_queued = true;
            self->delayed_anon_send(self, d->timeout() + std::chrono::seconds{1},
                                    reload_atom::value);
          }
        }
      },
      [self, d, initial](caf::error& err) {
        if (!initial) return;
        // Everything that waited is answered with the error; the next incarnation retries.
        spdlog::warn("calendar {} could not load: {}", d->st.professional_id, to_string(err));
        self->set_default_handler(
            [err](caf::scheduled_actor*, caf::message_view&) -> caf::result<caf::message> {
              return err;
            });
        self->become([self](passivate_atom) { self->quit(); });
        self->delayed_send(self, retry_after_failed_load, passivate_atom::value);
      });
}

caf::behavior ready(caf::event_based_actor* self, const calendar_data_ptr& d) {
  caf::behavior domain = calendar_handlers(self, d);
  caf::behavior admin{
      [self, d](reload_atom) -> caf::result<bool> {
        d->reload_queued = false;
        auto rp = self->make_response_promise<bool>();
        run_job<snapshot_ptr>(
            self, d->timeout(), load_job(d->st.professional_id, d->ctx.cipher),
            [self, d, rp](snapshot_ptr& s) mutable {
              install(d->st, *s);
              arm_hold_timers(self, d->st);
              publish_changed(self, d->st);
              rp.deliver(true);
            },
            [self, d, rp](caf::error& err) mutable {
              // Intervals marked stale stay taken until a reload works: try again later.
              if (!d->reload_queued) {
                d->reload_queued = true;
                self->delayed_send(self, retry_after_failed_reload, reload_atom::value);
              }
              rp.deliver(std::move(err));
            });
        return rp;
      },
      [self, d](apply_atom, persistence::db_job& job) -> caf::result<std::string> {
        auto rp = self->make_response_promise<std::string>();
        run_job<std::string>(
            self, d->timeout(), std::move(job),
            [self, d, rp](std::string& reply) mutable {
              run_job<snapshot_ptr>(
                  self, d->timeout(), load_job(d->st.professional_id, d->ctx.cipher),
                  [self, d, rp, reply](snapshot_ptr& s) mutable {
                    install(d->st, *s);
                    publish_changed(self, d->st);
                    rp.deliver(reply);
                  },
                  [rp, reply](caf::error&) mutable { rp.deliver(reply); });
            },
            [rp](caf::error& err) mutable { rp.deliver(std::move(err)); });
        return rp;
      },
  };
  auto both = caf::behavior{domain.as_behavior_impl()->or_else(admin.as_behavior_impl())};
  return with_lifecycle(self, std::move(both), [d] { return summary(d->st); });
}

}  // namespace

caf::behavior calendar_actor(caf::event_based_actor* self, std::string professional_id,
                             calendar_context ctx) {
  auto d = std::make_shared<calendar_data>();
  d->st.professional_id = std::move(professional_id);
  d->ctx = ctx;
  // Until the state is loaded every request waits in the mailbox.
  self->set_default_handler(caf::skip);
  start_load(self, d, true);
  return {[](tick_atom) {}};
}

}  // namespace mundoctor::actors
