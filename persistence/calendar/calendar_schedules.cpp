// Weekly working-hour rules, dated exceptions and the booking policy.

#include <nlohmann/json.hpp>

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence {

using namespace calendar_detail;  // NOLINT(google-build-using-namespace): internal helpers

namespace {

std::optional<std::string> ymd_or_null(const std::optional<date::year_month_day>& d) {
  if (!d) return std::nullopt;
  return ymd_text(*d);
}

std::string breaks_json(const std::vector<calendar::break_range>& breaks) {
  auto out = nlohmann::json::array();
  for (const auto& b : breaks)
    out.push_back({{"start", hhmm(b.start_minute)}, {"end", hhmm(b.end_minute)}});
  return out.dump();
}

// An overlapping active rule is a validation failure of the request, not a taken slot.
template <class Fn>
auto guard_overlap(Fn&& fn) {
  try {
    return fn();
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "23P01" && violates(e, "schedules_no_overlap"))
      throw domain_error(errc::invalid_argument,
                         "the working range overlaps another range of the same day",
                         "SCHEDULE_OVERLAP");
    throw;
  }
}

// $1 professional, $2 day, $3 start, $4 end, $5 zone, $6 from, $7 until, $8 breaks, then extra.
template <class... Extra>
pqxx::result exec_rule(pqxx::transaction_base& tx, const std::string& sql,
                       const std::string& professional_id, const calendar::weekly_rule& w,
                       Extra&&... extra) {
  return tx.exec_params(sql, professional_id, w.day_of_week, hhmm(w.start_minute),
                        hhmm(w.end_minute), w.zone, ymd_or_null(w.effective_from),
                        ymd_or_null(w.effective_until), breaks_json(w.breaks),
                        std::forward<Extra>(extra)...);
}

bool has_times(calendar::exception_type t) {
  return t == calendar::exception_type::special_hours || t == calendar::exception_type::block;
}

// $1 professional, $2 type, $3 starts_on, $4 ends_on, $5 start, $6 end, $7 reason, then extra.
template <class... Extra>
pqxx::result exec_exception(pqxx::transaction_base& tx, const std::string& sql,
                            const std::string& professional_id,
                            const calendar::schedule_exception& e, Extra&&... extra) {
  std::optional<std::string> start;
  std::optional<std::string> end;
  if (has_times(e.type)) {
    start = hhmm(e.start_minute);
    end = hhmm(e.end_minute);
  }
  return tx.exec_params(sql, professional_id, to_text(e.type), ymd_text(e.starts_on),
                        ymd_text(e.ends_on), start, end, null_if_empty(e.reason),
                        std::forward<Extra>(extra)...);
}

}  // namespace

calendar::weekly_rule create_weekly_rule(pqxx::connection_base& conn,
                                         const std::string& professional_id,
                                         const calendar::weekly_rule& rule) {
  return guard_overlap([&] {
    pqxx::work tx{conn};
    auto rows = exec_rule(tx,
                          "INSERT INTO schedules (professional_id, day_of_week, start_time,"
                          " end_time, timezone, effective_from, effective_until, breaks)"
                          " VALUES ($1::uuid, $2, $3::time, $4::time, $5, $6::date, $7::date,"
                          " $8::jsonb) RETURNING " +
                              weekly_rule_columns(),
                          professional_id, rule);
    tx.commit();
    return read_weekly_rule(rows[0]);
  });
}

bool update_weekly_rule(pqxx::connection_base& conn, const std::string& professional_id,
                        const calendar::weekly_rule& rule) {
  if (!is_uuid(rule.id) || !is_uuid(professional_id)) return false;
  return guard_overlap([&] {
    pqxx::work tx{conn};
    auto rows = exec_rule(tx,
                          "UPDATE schedules SET day_of_week = $2, start_time = $3::time,"
                          " end_time = $4::time, timezone = $5, effective_from = $6::date,"
                          " effective_until = $7::date, breaks = $8::jsonb"
                          " WHERE id = $9::uuid AND professional_id = $1::uuid",
                          professional_id, rule, rule.id);
    tx.commit();
    return rows.affected_rows() > 0;
  });
}

bool delete_weekly_rule(pqxx::connection_base& conn, const std::string& professional_id,
                        const std::string& rule_id) {
  if (!is_uuid(rule_id) || !is_uuid(professional_id)) return false;
  pqxx::work tx{conn};
  auto r =
      tx.exec_params("DELETE FROM schedules WHERE id = $1::uuid AND professional_id = $2::uuid",
                     rule_id, professional_id);
  tx.commit();
  return r.affected_rows() > 0;
}

std::vector<calendar::weekly_rule> list_weekly_rules(pqxx::connection_base& conn,
                                                     const std::string& professional_id) {
  std::vector<calendar::weekly_rule> out;
  if (!is_uuid(professional_id)) return out;
  pqxx::read_transaction tx{conn};
  for (const auto& r : tx.exec_params("SELECT " + weekly_rule_columns() +
                                          " FROM schedules WHERE professional_id = $1::uuid"
                                          " AND is_active ORDER BY day_of_week, start_time",
                                      professional_id))
    out.push_back(read_weekly_rule(r));
  return out;
}

calendar::schedule_exception create_exception(pqxx::connection_base& conn,
                                              const std::string& professional_id,
                                              const calendar::schedule_exception& ex) {
  pqxx::work tx{conn};
  auto rows = exec_exception(tx,
                             "INSERT INTO schedule_exceptions (professional_id, type, starts_on,"
                             " ends_on, start_time, end_time, reason) VALUES ($1::uuid, $2,"
                             " $3::date, $4::date, $5::time, $6::time, $7) RETURNING " +
                                 exception_columns(),
                             professional_id, ex);
  tx.commit();
  return read_exception(rows[0]);
}

bool update_exception(pqxx::connection_base& conn, const std::string& professional_id,
                      const calendar::schedule_exception& ex) {
  if (!is_uuid(ex.id) || !is_uuid(professional_id)) return false;
  pqxx::work tx{conn};
  auto r = exec_exception(tx,
                          "UPDATE schedule_exceptions SET type = $2, starts_on = $3::date,"
                          " ends_on = $4::date, start_time = $5::time, end_time = $6::time,"
                          " reason = $7 WHERE id = $8::uuid AND professional_id = $1::uuid",
                          professional_id, ex, ex.id);
  tx.commit();
  return r.affected_rows() > 0;
}

bool delete_exception(pqxx::connection_base& conn, const std::string& professional_id,
                      const std::string& exception_id) {
  if (!is_uuid(exception_id) || !is_uuid(professional_id)) return false;
  pqxx::work tx{conn};
  auto r = tx.exec_params(
      "DELETE FROM schedule_exceptions WHERE id = $1::uuid AND professional_id = $2::uuid",
      exception_id, professional_id);
  tx.commit();
  return r.affected_rows() > 0;
}

std::vector<calendar::schedule_exception> list_exceptions(
    pqxx::connection_base& conn, const std::string& professional_id,
    std::optional<date::year_month_day> from) {
  std::vector<calendar::schedule_exception> out;
  if (!is_uuid(professional_id)) return out;
  pqxx::read_transaction tx{conn};
  for (const auto& r : tx.exec_params("SELECT " + exception_columns() +
                                          " FROM schedule_exceptions WHERE professional_id ="
                                          " $1::uuid AND ($2::date IS NULL OR ends_on >= $2::date)"
                                          " ORDER BY starts_on, start_time NULLS FIRST, id",
                                      professional_id, ymd_or_null(from)))
    out.push_back(read_exception(r));
  return out;
}

calendar::booking_policy get_policy(pqxx::connection_base& conn,
                                    const std::string& professional_id) {
  if (!is_uuid(professional_id)) return {};
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(
      "SELECT " + policy_columns() + " FROM booking_policies WHERE professional_id = $1::uuid",
      professional_id);
  return rows.empty() ? calendar::booking_policy{} : read_policy(rows[0]);
}

calendar::booking_policy put_policy(pqxx::connection_base& conn, const std::string& professional_id,
                                    const calendar::booking_policy& p) {
  pqxx::work tx{conn};
  auto row = tx.exec_params1(
      "INSERT INTO booking_policies (professional_id, " + policy_columns() +
          ") VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9)"
          " ON CONFLICT (professional_id) DO UPDATE SET"
          " slot_step_minutes = EXCLUDED.slot_step_minutes,"
          " min_notice_minutes = EXCLUDED.min_notice_minutes,"
          " horizon_days = EXCLUDED.horizon_days,"
          " buffer_before_minutes = EXCLUDED.buffer_before_minutes,"
          " buffer_after_minutes = EXCLUDED.buffer_after_minutes,"
          " cancellation_window_hours = EXCLUDED.cancellation_window_hours,"
          " auto_confirm = EXCLUDED.auto_confirm, hold_ttl_seconds = EXCLUDED.hold_ttl_seconds"
          " RETURNING " +
          policy_columns(),
      professional_id, p.slot_step_minutes, p.min_notice_minutes, p.horizon_days,
      p.buffer_before_minutes, p.buffer_after_minutes, p.cancellation_window_hours, p.auto_confirm,
      p.hold_ttl_seconds);
  tx.commit();
  return read_policy(row);
}

}  // namespace mundoctor::persistence
