// The calendar snapshot, professional id resolution and the bookability rule.

#include <algorithm>

#include "tests/integration/calendar_repo/calendar_repo_fixture.hpp"

namespace mundoctor::testing {
namespace {

using namespace persistence;  // NOLINT(google-build-using-namespace)

TEST_F(calendar_repo, resolves_profile_and_user_ids_and_answers_nullopt_for_anything_else) {
  auto pro = make_professional("user_pro_resolve");
  make_patient("user_only_patient");
  EXPECT_EQ(resolve_professional_id(conn(), pro), pro);
  EXPECT_EQ(resolve_professional_id(conn(), "user_pro_resolve"), pro);
  EXPECT_EQ(resolve_professional_id(conn(), "user_only_patient"), std::nullopt);
  EXPECT_EQ(resolve_professional_id(conn(), "00000000-0000-0000-0000-000000000000"), std::nullopt);
  EXPECT_EQ(resolve_professional_id(conn(), "not-a-uuid-but-close-00000000000000"), std::nullopt);
  EXPECT_EQ(resolve_professional_id(conn(), "'; DROP TABLE users; --"), std::nullopt);
  EXPECT_EQ(resolve_professional_id(conn(), ""), std::nullopt);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM users"), 2);
}

TEST_F(calendar_repo, loads_rules_exceptions_policy_services_appointments_and_holds) {
  auto pro = make_professional("user_pro_snap");
  make_patient("user_pat_snap");
  calendar::weekly_rule monday;
  monday.day_of_week = 1;
  monday.start_minute = 9 * 60;
  monday.end_minute = 14 * 60;
  monday.breaks = {{11 * 60, 11 * 60 + 30}};
  monday.effective_from = date::year{2030} / 1 / 1;
  auto stored_rule = create_weekly_rule(conn(), pro, monday);
  auto tuesday = monday;
  tuesday.day_of_week = 2;
  auto inactive = create_weekly_rule(conn(), pro, tuesday);
  exec("UPDATE schedules SET is_active = false WHERE id = '" + inactive.id + "'");

  calendar::schedule_exception past{};
  past.type = calendar::exception_type::vacation;
  past.starts_on = date::year{2020} / 8 / 1;
  past.ends_on = date::year{2020} / 8 / 15;
  create_exception(conn(), pro, past);
  calendar::schedule_exception block{};
  block.type = calendar::exception_type::block;
  block.starts_on = date::year{2030} / 3 / 4;
  block.ends_on = date::year{2030} / 3 / 4;
  block.start_minute = 12 * 60;
  block.end_minute = 13 * 60;
  block.reason = "Reunión";
  create_exception(conn(), pro, block);

  calendar::booking_policy policy;
  policy.slot_step_minutes = 20;
  policy.auto_confirm = true;
  put_policy(conn(), pro, policy);

  calendar::service_info svc;
  svc.name = "Electrocardiograma";
  svc.duration_minutes = 45;
  svc.buffer_after_minutes = 10;
  auto kept = create_service(conn(), pro, svc);
  svc.name = "Retirado";
  auto gone = create_service(conn(), pro, svc);
  ASSERT_TRUE(delete_service(conn(), pro, gone.info.id));

  auto upcoming = insert_appointment(conn(), draft(pro, "user_pat_snap", at(9)), cipher());
  auto cancelled = insert_appointment(conn(), draft(pro, "user_pat_snap", at(10)), cipher());
  ASSERT_TRUE(update_status(conn(), cancelled.id, "pending", "cancelled", "user_pat_snap", ""));
  exec(
      "INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at)"
      " VALUES ('" +
      pro +
      "', 'user_pat_snap', now() - interval '3 days',"
      " now() - interval '3 days' + interval '30 minutes')");

  calendar::hold live{};
  live.professional_id = pro;
  live.patient_id = "user_pat_snap";
  live.starts_at = at(11);
  live.ends_at = at(11, 30);
  live.expires_at = std::chrono::time_point_cast<std::chrono::seconds>(
      std::chrono::system_clock::now() + std::chrono::minutes{5});
  auto live_hold = insert_hold(conn(), live);
  auto released = insert_hold(conn(), live);
  ASSERT_TRUE(release_hold(conn(), released.id));
  exec(
      "INSERT INTO appointment_holds (professional_id, patient_id, starts_at, ends_at,"
      " expires_at, created_at) VALUES ('" +
      pro +
      "', 'user_pat_snap', now(),"
      " now() + interval '30 minutes', now() - interval '1 minute',"
      " now() - interval '10 minutes')");

  auto snap = load_calendar(conn(), pro, cipher());
  ASSERT_TRUE(snap.has_value());
  EXPECT_EQ(snap->professional_id, pro);
  EXPECT_EQ(snap->user_id, "user_pro_snap");
  EXPECT_EQ(snap->display_name, "Ana García");
  EXPECT_TRUE(snap->bookable);
  EXPECT_EQ(snap->sched.zone, "Europe/Madrid");
  ASSERT_EQ(snap->sched.weekly.size(), 1u);
  const auto& rule = snap->sched.weekly[0];
  EXPECT_EQ(rule.id, stored_rule.id);
  EXPECT_EQ(rule.day_of_week, 1);
  EXPECT_EQ(rule.start_minute, 540);
  EXPECT_EQ(rule.end_minute, 840);
  ASSERT_EQ(rule.breaks.size(), 1u);
  EXPECT_EQ(rule.breaks[0].start_minute, 660);
  EXPECT_EQ(rule.breaks[0].end_minute, 690);
  EXPECT_EQ(rule.effective_from, std::optional<date::year_month_day>{date::year{2030} / 1 / 1});
  EXPECT_FALSE(rule.effective_until.has_value());
  ASSERT_EQ(snap->sched.exceptions.size(), 1u);
  EXPECT_EQ(snap->sched.exceptions[0].type, calendar::exception_type::block);
  EXPECT_EQ(snap->sched.exceptions[0].start_minute, 720);
  EXPECT_EQ(snap->sched.exceptions[0].end_minute, 780);
  EXPECT_EQ(snap->sched.exceptions[0].reason, "Reunión");
  EXPECT_EQ(snap->sched.policy.slot_step_minutes, 20);
  EXPECT_TRUE(snap->sched.policy.auto_confirm);
  ASSERT_EQ(snap->services.size(), 1u);
  EXPECT_EQ(snap->services[0].id, kept.info.id);
  EXPECT_EQ(snap->services[0].duration_minutes, 45);
  EXPECT_EQ(snap->services[0].buffer_after_minutes, std::optional<int>{10});
  EXPECT_FALSE(snap->services[0].buffer_before_minutes.has_value());
  ASSERT_EQ(snap->appointments.size(), 1u);
  EXPECT_EQ(snap->appointments[0].id, upcoming.id);
  EXPECT_EQ(snap->appointments[0].starts_at, at(9));
  ASSERT_EQ(snap->holds.size(), 1u);
  EXPECT_EQ(snap->holds[0].id, live_hold.id);
  EXPECT_EQ(snap->holds[0].expires_at, live.expires_at);
}

TEST_F(calendar_repo, a_professional_without_policy_row_gets_the_defaults_and_unknown_is_nullopt) {
  auto pro = make_professional("user_pro_defaults");
  auto snap = load_calendar(conn(), pro, cipher());
  ASSERT_TRUE(snap.has_value());
  calendar::booking_policy defaults;
  EXPECT_EQ(snap->sched.policy.slot_step_minutes, defaults.slot_step_minutes);
  EXPECT_EQ(snap->sched.policy.min_notice_minutes, defaults.min_notice_minutes);
  EXPECT_EQ(snap->sched.policy.horizon_days, defaults.horizon_days);
  EXPECT_EQ(snap->sched.policy.hold_ttl_seconds, defaults.hold_ttl_seconds);
  EXPECT_TRUE(snap->sched.weekly.empty());
  EXPECT_FALSE(load_calendar(conn(), "00000000-0000-0000-0000-000000000000", cipher()));
  EXPECT_FALSE(load_calendar(conn(), "user_pro_defaults", cipher()));
}

class bookability : public calendar_repo {
 protected:
  bool bookable(const std::string& pro) {
    auto snap = load_calendar(conn(), pro, nullptr);
    EXPECT_TRUE(snap.has_value());
    bool direct = is_bookable(conn(), pro);
    EXPECT_EQ(snap->bookable, direct);
    return direct;
  }

  void subscribe(const std::string& user, const std::string& plan, const std::string& status,
                 const std::string& created = "now()") {
    exec("INSERT INTO subscriptions (user_id, plan_id, status, created_at) VALUES ('" + user +
         "', md5('mundoctor.plan:" + plan + "')::uuid, '" + status + "', " + created + ")");
  }
};

TEST_F(bookability, needs_an_active_user_and_a_verified_professional) {
  EXPECT_TRUE(bookable(make_professional("user_ok")));
  EXPECT_FALSE(bookable(make_professional("user_unverified", false)));
  EXPECT_FALSE(bookable(make_professional("user_pending", true, "pending_validation")));
  auto suspended = make_professional("user_suspended");
  exec("UPDATE users SET status = 'suspended', suspended_at = now() WHERE id = 'user_suspended'");
  EXPECT_FALSE(bookable(suspended));
  EXPECT_FALSE(is_bookable(conn(), "not-a-uuid"));
}

TEST_F(bookability, no_subscription_or_the_free_plan_is_enough) {
  auto none = make_professional("user_no_sub");
  EXPECT_TRUE(bookable(none));
  auto free = make_professional("user_free");
  subscribe("user_free", "free", "active");
  EXPECT_TRUE(bookable(free));
  auto free_incomplete = make_professional("user_free_incomplete");
  subscribe("user_free_incomplete", "free", "incomplete");
  EXPECT_TRUE(bookable(free_incomplete));
}

TEST_F(bookability, paid_plans_count_only_in_good_standing) {
  auto active = make_professional("user_basic_active");
  subscribe("user_basic_active", "basic", "active");
  EXPECT_TRUE(bookable(active));
  auto trialing = make_professional("user_trialing");
  subscribe("user_trialing", "professional", "trialing");
  EXPECT_TRUE(bookable(trialing));
  // 0013_billing.sql: "trialing, active and past_due make a professional bookable".
  auto past_due = make_professional("user_past_due");
  subscribe("user_past_due", "basic", "past_due");
  EXPECT_TRUE(bookable(past_due));
  auto cancelled = make_professional("user_cancelled");
  subscribe("user_cancelled", "basic", "cancelled");
  EXPECT_FALSE(bookable(cancelled));
  auto expired = make_professional("user_expired");
  subscribe("user_expired", "professional", "expired");
  EXPECT_FALSE(bookable(expired));
  auto incomplete = make_professional("user_unpaid");
  subscribe("user_unpaid", "basic", "incomplete");
  EXPECT_FALSE(bookable(incomplete));
  auto renewed = make_professional("user_renewed");
  subscribe("user_renewed", "basic", "cancelled", "now() - interval '1 year'");
  subscribe("user_renewed", "professional", "active");
  EXPECT_TRUE(bookable(renewed));
}

}  // namespace
}  // namespace mundoctor::testing
