// Services, weekly rules, exceptions and the booking policy.

#include <algorithm>

#include "tests/integration/calendar_repo/calendar_repo_fixture.hpp"

namespace mundoctor::testing {
namespace {

using namespace persistence;  // NOLINT(google-build-using-namespace)

calendar::service_info service(const std::string& name, const std::string& category, int64_t price,
                               std::vector<std::string> modalities) {
  calendar::service_info s;
  s.name = name;
  s.category = category;
  s.price_cents = price;
  s.modalities = std::move(modalities);
  return s;
}

TEST_F(calendar_repo, services_are_created_updated_filtered_and_soft_deleted) {
  auto pro = make_professional("user_pro_s");
  auto other = make_professional("user_pro_t");
  auto s = service("Consulta", "general", 5000, {"in_person", "virtual"});
  s.description = "Primera consulta";
  s.discount_percent = 10;
  s.discount_valid_until = at(0, 0, 31);
  auto created = create_service(conn(), pro, s);
  EXPECT_EQ(created.professional_id, pro);
  EXPECT_EQ(created.info.modalities, (std::vector<std::string>{"in_person", "virtual"}));
  EXPECT_EQ(created.info.discount_percent, std::optional<int>{10});
  EXPECT_EQ(created.info.discount_valid_until, std::optional<calendar::instant>{at(0, 0, 31)});
  EXPECT_FALSE(created.info.discount_valid_from.has_value());
  create_service(conn(), pro, service("Ecografía", "imagen", 9000, {"in_person"}));
  create_service(conn(), other, service("Terapia online", "General", 3000, {"virtual"}));

  auto found = find_service(conn(), created.info.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->info.description, "Primera consulta");
  EXPECT_FALSE(find_service(conn(), "42").has_value());

  service_filter f;
  EXPECT_EQ(list_services(conn(), f).total, 3);
  f.category = "GENERAL";
  EXPECT_EQ(list_services(conn(), f).total, 2);
  f = {};
  f.modality = "virtual";
  EXPECT_EQ(list_services(conn(), f).total, 2);
  f = {};
  f.min_price_cents = 4000;
  f.max_price_cents = 9000;
  EXPECT_EQ(list_services(conn(), f).total, 2);
  f = {};
  f.professional_id = pro;
  f.limit = 1;
  f.page = 2;
  auto page = list_services(conn(), f);
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].info.name, "Ecografía");  // by name: Consulta, Ecografía

  auto edit = created.info;
  edit.name = "Consulta ampliada";
  edit.duration_minutes = 60;
  edit.discount_percent.reset();
  auto updated = update_service(conn(), pro, edit);
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->info.name, "Consulta ampliada");
  EXPECT_EQ(updated->info.duration_minutes, 60);
  EXPECT_FALSE(updated->info.discount_percent.has_value());
  EXPECT_FALSE(update_service(conn(), other, edit).has_value());  // not the owner

  EXPECT_TRUE(set_service_active(conn(), pro, created.info.id, false));
  f = {};
  f.active_only = true;
  EXPECT_EQ(list_services(conn(), f).total, 2);
  EXPECT_TRUE(delete_service(conn(), pro, created.info.id));
  EXPECT_FALSE(delete_service(conn(), pro, created.info.id));
  EXPECT_FALSE(find_service(conn(), created.info.id).has_value());
  EXPECT_EQ(list_services(conn(), service_filter{}).total, 2);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM services"), 3);
}

TEST_F(calendar_repo, the_service_checks_are_the_backstop) {
  auto pro = make_professional("user_pro_checks");
  auto bad = service("Corta", "general", 100, {"in_person"});
  bad.duration_minutes = 3;
  EXPECT_EQ(failure_of([&] { create_service(conn(), pro, bad); }).code, errc::invalid_argument);
  auto no_modality = service("Sin modalidad", "general", 100, {});
  EXPECT_EQ(failure_of([&] { create_service(conn(), pro, no_modality); }).code,
            errc::invalid_argument);
  auto both_discounts = service("Doble", "general", 100, {"virtual"});
  both_discounts.discount_percent = 5;
  both_discounts.discount_amount_cents = 50;
  EXPECT_EQ(failure_of([&] { create_service(conn(), pro, both_discounts); }).code,
            errc::invalid_argument);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM services"), 0);
}

calendar::weekly_rule rule(int day, int start, int end) {
  calendar::weekly_rule r;
  r.day_of_week = day;
  r.start_minute = start;
  r.end_minute = end;
  return r;
}

TEST_F(calendar_repo, overlapping_weekly_rules_are_a_validation_error_not_a_taken_slot) {
  auto pro = make_professional("user_pro_rules");
  auto morning = create_weekly_rule(conn(), pro, rule(1, 9 * 60, 13 * 60));
  auto err = failure_of([&] { create_weekly_rule(conn(), pro, rule(1, 12 * 60, 14 * 60)); });
  EXPECT_EQ(err.code, errc::invalid_argument);
  EXPECT_EQ(err.machine_code, "SCHEDULE_OVERLAP");
  auto afternoon = create_weekly_rule(conn(), pro, rule(1, 13 * 60, 24 * 60));
  EXPECT_EQ(afternoon.end_minute, 1440);
  create_weekly_rule(conn(), pro, rule(2, 12 * 60, 14 * 60));
  auto next_year = rule(1, 10 * 60, 11 * 60);
  next_year.effective_from = date::year{2031} / 1 / 1;
  morning.effective_until = date::year{2030} / 12 / 31;
  ASSERT_TRUE(update_weekly_rule(conn(), pro, morning));
  EXPECT_NO_THROW(create_weekly_rule(conn(), pro, next_year));

  auto moved = afternoon;
  moved.start_minute = 12 * 60;
  auto update_err = failure_of([&] { update_weekly_rule(conn(), pro, moved); });
  EXPECT_EQ(update_err.machine_code, "SCHEDULE_OVERLAP");
  auto rules = list_weekly_rules(conn(), pro);
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].id, morning.id);
  EXPECT_EQ(rules[0].effective_until, morning.effective_until);
  EXPECT_TRUE(delete_weekly_rule(conn(), pro, afternoon.id));
  EXPECT_FALSE(delete_weekly_rule(conn(), pro, afternoon.id));
  EXPECT_EQ(list_weekly_rules(conn(), pro).size(), 3u);
}

TEST_F(calendar_repo, exceptions_round_trip_with_times_only_where_they_apply) {
  auto pro = make_professional("user_pro_ex");
  calendar::schedule_exception special{};
  special.type = calendar::exception_type::special_hours;
  special.starts_on = date::year{2030} / 12 / 24;
  special.ends_on = date::year{2030} / 12 / 24;
  special.start_minute = 9 * 60;
  special.end_minute = 12 * 60;
  auto stored = create_exception(conn(), pro, special);
  calendar::schedule_exception off{};
  off.type = calendar::exception_type::day_off;
  off.starts_on = date::year{2030} / 12 / 25;
  off.ends_on = date::year{2030} / 12 / 26;
  off.start_minute = 600;  // ignored for whole days
  off.end_minute = 700;
  auto day_off = create_exception(conn(), pro, off);
  EXPECT_EQ(day_off.start_minute, 0);
  EXPECT_TRUE(
      scalar<bool>("SELECT start_time IS NULL FROM schedule_exceptions"
                   " WHERE id = $1::uuid",
                   day_off.id));
  auto all = list_exceptions(conn(), pro);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, stored.id);
  EXPECT_EQ(all[0].end_minute, 720);
  EXPECT_EQ(list_exceptions(conn(), pro, date::year{2030} / 12 / 25).size(), 1u);

  stored.type = calendar::exception_type::block;
  stored.reason = "Formación";
  ASSERT_TRUE(update_exception(conn(), pro, stored));
  EXPECT_EQ(list_exceptions(conn(), pro)[0].type, calendar::exception_type::block);
  EXPECT_EQ(list_exceptions(conn(), pro)[0].reason, "Formación");
  EXPECT_TRUE(delete_exception(conn(), pro, stored.id));
  EXPECT_EQ(list_exceptions(conn(), pro).size(), 1u);
}

TEST_F(calendar_repo, the_policy_is_upserted) {
  auto pro = make_professional("user_pro_policy");
  auto defaults = get_policy(conn(), pro);
  EXPECT_EQ(defaults.slot_step_minutes, 15);
  EXPECT_FALSE(defaults.auto_confirm);
  calendar::booking_policy p;
  p.slot_step_minutes = 30;
  p.min_notice_minutes = 0;
  p.horizon_days = 60;
  p.auto_confirm = true;
  EXPECT_EQ(put_policy(conn(), pro, p).horizon_days, 60);
  p.horizon_days = 30;
  p.buffer_after_minutes = 10;
  put_policy(conn(), pro, p);
  auto stored = get_policy(conn(), pro);
  EXPECT_EQ(stored.slot_step_minutes, 30);
  EXPECT_EQ(stored.min_notice_minutes, 0);
  EXPECT_EQ(stored.horizon_days, 30);
  EXPECT_EQ(stored.buffer_after_minutes, 10);
  EXPECT_TRUE(stored.auto_confirm);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM booking_policies"), 1);
  p.slot_step_minutes = 1;
  EXPECT_EQ(failure_of([&] { put_policy(conn(), pro, p); }).code, errc::invalid_argument);
}

TEST_F(calendar_repo, seed_bench_creates_bookable_calendars_and_is_idempotent) {
  seed_bench(conn(), 3, 5);
  auto counts = [&] {
    return std::vector<int64_t>{
        scalar<int64_t>("SELECT count(*) FROM users WHERE id LIKE 'user_bench_pro_%'"),
        scalar<int64_t>("SELECT count(*) FROM users WHERE id LIKE 'user_bench_pat_%'"),
        scalar<int64_t>("SELECT count(*) FROM patient_profiles"),
        scalar<int64_t>("SELECT count(*) FROM users WHERE id = 'user_bench_admin'"),
        scalar<int64_t>("SELECT count(*) FROM schedules"),
        scalar<int64_t>("SELECT count(*) FROM services WHERE is_active"),
        scalar<int64_t>("SELECT count(*) FROM booking_policies")};
  };
  auto first = counts();
  EXPECT_EQ(first, (std::vector<int64_t>{3, 5, 5, 1, 21, 3, 3}));
  seed_bench(conn(), 3, 5);
  EXPECT_EQ(counts(), first);
  seed_bench(conn(), 4, 5);
  EXPECT_EQ(counts()[4], 28);

  auto pro = resolve_professional_id(conn(), "user_bench_pro_0001");
  ASSERT_TRUE(pro.has_value());
  EXPECT_TRUE(resolve_professional_id(conn(), "user_bench_pro_0004").has_value());
  EXPECT_TRUE(resolve_professional_id(conn(), "user_bench_pat_00005") == std::nullopt);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM users WHERE id = 'user_bench_pat_00005'"), 1);
  auto snap = load_calendar(conn(), *pro, nullptr);
  ASSERT_TRUE(snap.has_value());
  EXPECT_TRUE(snap->bookable);
  ASSERT_EQ(snap->sched.weekly.size(), 7u);
  for (const auto& w : snap->sched.weekly) {
    EXPECT_EQ(w.start_minute, 8 * 60);
    EXPECT_EQ(w.end_minute, 20 * 60);
    EXPECT_EQ(w.zone, "Europe/Madrid");
  }
  EXPECT_EQ(snap->sched.policy.slot_step_minutes, 30);
  EXPECT_EQ(snap->sched.policy.min_notice_minutes, 0);
  EXPECT_EQ(snap->sched.policy.horizon_days, 60);
  EXPECT_TRUE(snap->sched.policy.auto_confirm);
  ASSERT_EQ(snap->services.size(), 1u);
  EXPECT_EQ(snap->services[0].duration_minutes, 30);
  EXPECT_TRUE(snap->services[0].active);
}

}  // namespace
}  // namespace mundoctor::testing
