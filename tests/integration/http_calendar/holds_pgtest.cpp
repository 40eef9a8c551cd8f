// Slot holds: a hold occupies its slot for its patient only and converts into a booking.
//
// Expiry by the hold's own timer needs hold_ttl_seconds (at least 30 s) to pass, which these
// tests do not wait for. Instead, the expiry test ends the hold's life in the database and asks
// the calendar actor to reload (reload_atom): a reloaded calendar must not count an expired hold.

#include <string>

#include <gtest/gtest.h>

#include "tests/integration/http_calendar/calendar_server.hpp"

namespace mundoctor::testing {
namespace {

class holds_api : public calendar_api {
 protected:
  http_result place_hold(const std::string& patient, const bookable_professional& pro,
                         calendar::instant start) {
    return call(patient, "POST", "/api/appointments/holds", booking_body(pro, start));
  }
};

TEST_F(holds_api, a_hold_blocks_other_patients_and_converts_for_its_holder) {
  auto pro = make_professional();
  auto holder = make_patient();
  auto other = make_patient();
  const auto slot = madrid(3, 13);
  auto held = place_hold(holder, pro, slot);
  ASSERT_EQ(held.status, 201u) << held.body;
  auto hold_id = held.json.at("data").value("id", "");
  ASSERT_FALSE(hold_id.empty());
  EXPECT_EQ(held.json.at("data").value("status", ""), "active");
  EXPECT_EQ(
      count("SELECT count(*) FROM appointment_holds WHERE id = $1::uuid AND status = 'active'",
            hold_id),
      1);

  auto blocked = book(other, pro, slot);
  EXPECT_EQ(blocked.status, 409u) << blocked.body;
  EXPECT_EQ(blocked.json.value("code", ""), "SLOT_TAKEN");
  EXPECT_EQ(place_hold(other, pro, slot).status, 409u);

  auto converted = book(holder, pro, slot, "", hold_id);
  ASSERT_EQ(converted.status, 201u) << converted.body;
  auto appointment_id = outcome_of(converted).id;
  EXPECT_EQ(count("SELECT count(*) FROM appointment_holds WHERE id = $1::uuid"
                  " AND status = 'converted' AND appointment_id IS NOT NULL",
                  hold_id),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM appointments WHERE hold_id = $1::uuid", hold_id), 1);
  EXPECT_TRUE(occupying(appointment_id));
  // The converted hold cannot be used twice.
  EXPECT_NE(book(holder, pro, slot, "", hold_id).status, 201u);
  EXPECT_EQ(occupying_rows(pro.profile_id), 1);
}

TEST_F(holds_api, another_patients_hold_id_does_not_convert) {
  auto pro = make_professional();
  auto holder = make_patient();
  auto other = make_patient();
  const auto slot = madrid(3, 14);
  auto held = place_hold(holder, pro, slot);
  ASSERT_EQ(held.status, 201u) << held.body;
  auto stolen = book(other, pro, slot, "", held.json.at("data").value("id", ""));
  EXPECT_EQ(stolen.status, 409u) << stolen.body;
  EXPECT_EQ(occupying_rows(pro.profile_id), 0);
}

TEST_F(holds_api, an_expired_hold_no_longer_blocks_after_a_reload) {
  auto pro = make_professional();
  auto holder = make_patient();
  auto other = make_patient();
  const auto slot = madrid(3, 15);
  auto held = place_hold(holder, pro, slot);
  ASSERT_EQ(held.status, 201u) << held.body;
  auto hold_id = held.json.at("data").value("id", "");
  ASSERT_EQ(book(other, pro, slot).status, 409u);

  exec("UPDATE appointment_holds SET expires_at = now() WHERE id = $1::uuid", hold_id);
  auto reload = test_route(pro, "reload");
  ASSERT_EQ(reload.status, 200u) << reload.body;
  EXPECT_EQ(reload.json.at("data").value("reloaded", false), true);

  auto booked = book(other, pro, slot);
  EXPECT_EQ(booked.status, 201u) << booked.body;
  EXPECT_EQ(occupying_rows(pro.profile_id), 1);
}

}  // namespace
}  // namespace mundoctor::testing
