// Holds, the waitlist and the patient page's appointment JSON.

#include <nlohmann/json.hpp>

#include "tests/integration/calendar_repo/calendar_repo_fixture.hpp"

namespace mundoctor::testing {
namespace {

using namespace persistence;  // NOLINT(google-build-using-namespace)
using nlohmann::json;

class holds : public calendar_repo {
 protected:
  void SetUp() override {
    calendar_repo::SetUp();
    if (IsSkipped()) return;
    pro_ = make_professional("user_pro_h");
    make_patient("user_pat_h");
    make_patient("user_pat_w");
  }

  calendar::hold hold_at(calendar::instant start, calendar::instant expires) {
    calendar::hold h;
    h.professional_id = pro_;
    h.patient_id = "user_pat_h";
    h.starts_at = start;
    h.ends_at = start + 30min;
    h.buffer_before_minutes = 5;
    h.expires_at = expires;
    return h;
  }

  std::string pro_;
};

TEST_F(holds, a_hold_converts_into_an_appointment_once) {
  auto h = insert_hold(conn(), hold_at(at(9), at(9) - 1h));
  EXPECT_EQ(h.status, "active");
  EXPECT_EQ(h.buffer_before_minutes, 5);
  EXPECT_TRUE(
      scalar<bool>("SELECT block_starts_at = starts_at - interval '5 minutes'"
                   " FROM appointment_holds WHERE id = $1::uuid",
                   h.id));
  auto appt = draft(pro_, "user_pat_h", at(9));
  appt.notes = "primera visita";
  auto stored = convert_hold(conn(), h.id, appt, cipher());
  EXPECT_EQ(stored.notes, "primera visita");
  EXPECT_EQ(scalar<std::string>("SELECT status FROM appointment_holds WHERE id = $1::uuid", h.id),
            "converted");
  EXPECT_EQ(scalar<std::string>("SELECT appointment_id::text FROM appointment_holds"
                                " WHERE id = $1::uuid",
                                h.id),
            stored.id);
  EXPECT_EQ(
      scalar<std::string>("SELECT hold_id::text FROM appointments WHERE id = $1::uuid", stored.id),
      h.id);
  auto again =
      failure_of([&] { convert_hold(conn(), h.id, draft(pro_, "user_pat_h", at(13)), cipher()); });
  EXPECT_EQ(again.code, errc::not_found);
  EXPECT_EQ(again.machine_code, "HOLD_NOT_FOUND");
  EXPECT_EQ(failure_of([&] { convert_hold(conn(), "x", appt, cipher()); }).code, errc::not_found);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointments"), 1);
}

TEST_F(holds, another_patient_cannot_convert_a_hold_and_a_failed_insert_keeps_it_active) {
  auto h = insert_hold(conn(), hold_at(at(9), at(9) - 1h));
  EXPECT_EQ(failure_of([&] {
              convert_hold(conn(), h.id, draft(pro_, "user_pat_w", at(9)), cipher());
            }).code,
            errc::not_found);
  insert_appointment(conn(), draft(pro_, "user_pat_w", at(9, 15)), cipher());
  EXPECT_EQ(failure_of([&] {
              convert_hold(conn(), h.id, draft(pro_, "user_pat_h", at(9)), cipher());
            }).code,
            errc::slot_taken);
  EXPECT_EQ(scalar<std::string>("SELECT status FROM appointment_holds WHERE id = $1::uuid", h.id),
            "active");
}

TEST_F(holds, release_and_expiry_only_touch_active_holds) {
  auto released = insert_hold(conn(), hold_at(at(9), at(8)));
  auto expiring = insert_hold(conn(), hold_at(at(10), at(8)));
  auto later = insert_hold(conn(), hold_at(at(11), at(8, 30)));
  EXPECT_TRUE(release_hold(conn(), released.id));
  EXPECT_FALSE(release_hold(conn(), released.id));
  auto expired = expire_holds(conn(), pro_, at(8, 10));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], expiring.id);
  EXPECT_TRUE(expire_holds(conn(), pro_, at(8, 10)).empty());
  EXPECT_EQ(
      scalar<std::string>("SELECT status FROM appointment_holds WHERE id = $1::uuid", later.id),
      "active");
  EXPECT_EQ(
      scalar<std::string>("SELECT status FROM appointment_holds WHERE id = $1::uuid", released.id),
      "released");
}

TEST_F(holds, the_oldest_overlapping_waiting_entry_is_offered_first) {
  waitlist_entry e;
  e.professional_id = pro_;
  e.patient_id = "user_pat_w";
  e.window = {at(8), at(12)};
  auto first = add_waitlist_entry(conn(), e);
  EXPECT_EQ(first.status, "waiting");
  exec("UPDATE waitlist_entries SET created_at = now() - interval '1 hour' WHERE id = '" +
       first.id + "'");
  EXPECT_EQ(failure_of([&] { add_waitlist_entry(conn(), e); }).code, errc::already_exists);
  e.patient_id = "user_pat_h";
  auto second = add_waitlist_entry(conn(), e);
  e.window = {at(15), at(18)};
  add_waitlist_entry(conn(), e);

  auto found = first_waiting_entry(conn(), pro_, {at(9), at(9, 30)});
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, first.id);
  EXPECT_EQ(found->window.start, at(8));
  EXPECT_FALSE(first_waiting_entry(conn(), pro_, {at(12), at(13)}).has_value());

  auto h = insert_hold(conn(), hold_at(at(9), at(9) - 30min));
  ASSERT_TRUE(mark_offered(conn(), first.id, h.id));
  EXPECT_FALSE(mark_offered(conn(), first.id, h.id));
  auto next = first_waiting_entry(conn(), pro_, {at(9), at(9, 30)});
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->id, second.id);
}

TEST_F(holds, patient_appointments_json_has_local_times_and_spanish_labels) {
  exec("UPDATE users SET first_name = 'Lucía', last_name = 'Pérez' WHERE id = 'user_pro_h'");
  calendar::service_info svc;
  svc.name = "Revisión cardiológica";
  auto service = create_service(conn(), pro_, svc);
  auto a = draft(pro_, "user_pat_h", at(9));  // 10:00 in Madrid
  a.service_id = service.info.id;
  a.notes = "traer análisis";
  auto first = insert_appointment(conn(), a, cipher());
  auto b = draft(pro_, "user_pat_h", at(23, 30, 5));  // 00:30 on March 6th in Madrid
  b.modality = "virtual";
  auto second = insert_appointment(conn(), b, cipher());
  update_status(conn(), second.id, "pending", "confirmed", "", "");
  insert_appointment(conn(), draft(pro_, "user_pat_w", at(12)), cipher());

  auto items =
      json::parse(list_patient_appointments(conn(), "user_pat_h", "", "", "", "", cipher()));
  ASSERT_EQ(items.size(), 2u);
  const auto& late = items[0];  // newest first
  EXPECT_EQ(late["id"], second.id);
  EXPECT_EQ(late["appointment_date"], "2030-03-06");
  EXPECT_EQ(late["appointment_time"], "00:30");
  EXPECT_EQ(late["consultation_type"], "Videoconsulta");
  EXPECT_EQ(late["status"], "confirmed");
  EXPECT_EQ(late["status_label"], "confirmada");
  const auto& early = items[1];
  EXPECT_EQ(early["appointment_date"], "2030-03-04");
  EXPECT_EQ(early["appointment_time"], "10:00");
  EXPECT_EQ(early["consultation_type"], "Presencial");
  EXPECT_EQ(early["status_label"], "pendiente");
  EXPECT_EQ(early["professional"]["id"], pro_);
  EXPECT_EQ(early["professional"]["name"], "Lucía Pérez");
  EXPECT_EQ(early["professional"]["avatar_url"], "https://img.test/user_pro_h");
  EXPECT_EQ(early["specialty"], "Cardiología");
  EXPECT_EQ(early["service_name"], "Revisión cardiológica");
  EXPECT_EQ(early["starts_at"], "2030-03-04T09:00:00Z");
  EXPECT_EQ(early["notes"], "traer análisis");
  for (const char* key : {"professional_id", "patient_id", "service_id", "ends_at", "timezone",
                          "modality", "price_cents", "currency", "created_at"})
    EXPECT_TRUE(early.contains(key)) << key;

  auto english = json::parse(list_patient_appointments(conn(), "user_pat_h", "", "", "", "en"));
  EXPECT_EQ(english[0]["status_label"], "confirmed");
  EXPECT_EQ(english[1]["status_label"], "pending");
  EXPECT_EQ(english[1]["notes"], "");
  auto by_local_date = json::parse(
      list_patient_appointments(conn(), "user_pat_h", "2030-03-06", "2030-03-06", "", ""));
  ASSERT_EQ(by_local_date.size(), 1u);
  EXPECT_EQ(by_local_date[0]["id"], second.id);
  auto pending =
      json::parse(list_patient_appointments(conn(), "user_pat_h", "", "", "pending", ""));
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["id"], first.id);
  EXPECT_EQ(failure_of([&] {
              list_patient_appointments(conn(), "user_pat_h", "06/03/2030", "", "", "");
            }).code,
            errc::invalid_argument);
}

}  // namespace
}  // namespace mundoctor::testing
