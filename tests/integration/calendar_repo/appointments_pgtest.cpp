// Appointments: idempotency, the exclusion backstop, encrypted notes, status changes,
// reschedule, history and the role-scoped list.

#include "tests/integration/calendar_repo/calendar_repo_fixture.hpp"

namespace mundoctor::testing {
namespace {

using namespace persistence;  // NOLINT(google-build-using-namespace)

class appointments : public calendar_repo {
 protected:
  void SetUp() override {
    calendar_repo::SetUp();
    if (IsSkipped()) return;
    pro_ = make_professional("user_pro_a");
    make_patient("user_pat_a");
    make_patient("user_pat_b");
  }
  std::string pro_;
};

TEST_F(appointments, an_idempotency_key_is_found_and_cannot_be_reused) {
  auto first = draft(pro_, "user_pat_a", at(9));
  first.idempotency_key = "key-123";
  auto stored = insert_appointment(conn(), first, cipher());
  EXPECT_FALSE(stored.id.empty());
  EXPECT_GT(stored.created_at.time_since_epoch().count(), 0);
  auto found = find_by_idempotency_key(conn(), "user_pat_a", "key-123", cipher());
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, stored.id);
  EXPECT_FALSE(find_by_idempotency_key(conn(), "user_pat_b", "key-123").has_value());
  EXPECT_FALSE(find_by_idempotency_key(conn(), "user_pat_a", "other").has_value());

  auto again = draft(pro_, "user_pat_a", at(15));
  again.idempotency_key = "key-123";
  auto err = failure_of([&] { insert_appointment(conn(), again, cipher()); });
  EXPECT_EQ(err.code, errc::already_exists);
  auto other_patient = draft(pro_, "user_pat_b", at(15));
  other_patient.idempotency_key = "key-123";
  EXPECT_NO_THROW(insert_appointment(conn(), other_patient, cipher()));
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointments"), 2);
}

TEST_F(appointments, an_overlapping_occupying_appointment_is_slot_taken) {
  auto a = draft(pro_, "user_pat_a", at(9));
  a.buffer_after_minutes = 15;
  insert_appointment(conn(), a, cipher());
  auto overlap = draft(pro_, "user_pat_b", at(9, 15));
  EXPECT_EQ(failure_of([&] { insert_appointment(conn(), overlap, cipher()); }).code,
            errc::slot_taken);
  auto in_buffer = draft(pro_, "user_pat_b", at(9, 35));
  auto err = failure_of([&] { insert_appointment(conn(), in_buffer, cipher()); });
  EXPECT_EQ(err.code, errc::slot_taken);
  EXPECT_EQ(err.machine_code, "SLOT_TAKEN");
  auto after_buffer = draft(pro_, "user_pat_b", at(9, 45));
  EXPECT_NO_THROW(insert_appointment(conn(), after_buffer, cipher()));
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointments"), 2);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointment_history"), 2);
}

TEST_F(appointments, a_cancelled_appointment_frees_its_interval) {
  auto a = insert_appointment(conn(), draft(pro_, "user_pat_a", at(9)), cipher());
  ASSERT_TRUE(update_status(conn(), a.id, "pending", "cancelled", "user_pat_a", "viaje"));
  EXPECT_NO_THROW(insert_appointment(conn(), draft(pro_, "user_pat_b", at(9)), cipher()));
}

TEST_F(appointments, notes_are_stored_encrypted_and_decrypted_on_read) {
  auto a = draft(pro_, "user_pat_a", at(9));
  a.notes = "Dolor lumbar crónico desde enero";
  auto stored = insert_appointment(conn(), a, cipher());
  EXPECT_EQ(stored.notes, a.notes);

  pqxx::work tx{conn()};
  auto row = tx.exec_params1(
      "SELECT notes_ciphertext, notes_key_id FROM appointments WHERE id = $1::uuid", stored.id);
  auto raw = pqxx::binarystring{row[0]}.str();
  tx.commit();
  EXPECT_EQ(row[1].as<std::string>(), "k1");
  EXPECT_EQ(raw.size(), data_cipher::nonce_size + a.notes.size() + data_cipher::tag_size);
  EXPECT_EQ(raw.find("lumbar"), std::string::npos);
  EXPECT_EQ(cipher()->decrypt(raw), std::optional<std::string>{a.notes});

  auto read = find_appointment(conn(), stored.id, cipher());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->notes, a.notes);
  EXPECT_EQ(find_appointment(conn(), stored.id, nullptr)->notes, "");
  auto other_key = data_cipher::from_base64_key(encode_base64(std::string(32, 'z')), "k2");
  EXPECT_EQ(find_appointment(conn(), stored.id, &*other_key)->notes, "");
}

TEST_F(appointments, several_bookings_in_one_statement_come_back_in_their_order) {
  auto a = draft(pro_, "user_pat_a", at(15));
  a.notes = "Revisión de rodilla";
  auto b = draft(pro_, "user_pat_b", at(9));
  auto c = draft(pro_, "user_pat_a", at(12));
  c.idempotency_key = "key-c";
  pqxx::work tx{conn()};
  auto stored = insert_appointments(tx, {&a, &b, &c}, cipher());
  tx.commit();
  ASSERT_EQ(stored.size(), 3u);
  EXPECT_EQ(stored[0].starts_at, a.starts_at);
  EXPECT_EQ(stored[0].patient_id, "user_pat_a");
  EXPECT_EQ(stored[0].notes, a.notes);
  EXPECT_EQ(stored[1].starts_at, b.starts_at);
  EXPECT_EQ(stored[1].patient_id, "user_pat_b");
  EXPECT_EQ(stored[2].starts_at, c.starts_at);
  EXPECT_EQ(stored[2].idempotency_key, "key-c");
  EXPECT_EQ(find_appointment(conn(), stored[0].id, cipher())->notes, a.notes)
      << "notes are sealed as for a single insert";
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointment_history WHERE action = 'created'"),
            3);
  EXPECT_EQ(find_by_idempotency_key(conn(), "user_pat_a", "key-c", cipher())->id, stored[2].id);
}

TEST_F(appointments, one_conflict_fails_the_whole_statement) {
  insert_appointment(conn(), draft(pro_, "user_pat_a", at(9)), cipher());
  auto free_slot = draft(pro_, "user_pat_b", at(11));
  auto taken = draft(pro_, "user_pat_b", at(9));
  error_info err;
  {
    pqxx::nontransaction tx{conn()};  // autocommit, as the pool runs it
    err = failure_of([&] { insert_appointments(tx, {&free_slot, &taken}, cipher()); });
  }
  EXPECT_EQ(err.code, errc::slot_taken);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointments"), 1);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointment_history"), 1);
}

TEST_F(appointments, empty_notes_are_null_and_notes_without_a_key_are_refused) {
  auto stored = insert_appointment(conn(), draft(pro_, "user_pat_a", at(9)), cipher());
  EXPECT_TRUE(
      scalar<bool>("SELECT notes_ciphertext IS NULL AND notes_key_id IS NULL"
                   " FROM appointments WHERE id = $1::uuid",
                   stored.id));
  auto with_notes = draft(pro_, "user_pat_a", at(11));
  with_notes.notes = "alergia";
  auto err = failure_of([&] { insert_appointment(conn(), with_notes, nullptr); });
  EXPECT_EQ(err.code, errc::unavailable);
  EXPECT_EQ(err.machine_code, "DATA_KEY_MISSING");
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM appointments"), 1);
}

TEST_F(appointments, a_status_update_from_the_wrong_status_changes_nothing) {
  auto a = insert_appointment(conn(), draft(pro_, "user_pat_a", at(9)), cipher());
  EXPECT_FALSE(update_status(conn(), a.id, "confirmed", "in_progress", "user_pro_a", ""));
  EXPECT_EQ(find_appointment(conn(), a.id, cipher())->status, "pending");
  EXPECT_EQ(appointment_history(conn(), a.id).size(), 1u);
  EXPECT_FALSE(update_status(conn(), "nope", "pending", "confirmed", "", ""));

  ASSERT_TRUE(update_status(conn(), a.id, "pending", "confirmed", "user_pro_a", ""));
  EXPECT_TRUE(
      scalar<bool>("SELECT confirmed_at IS NOT NULL AND cancelled_at IS NULL FROM appointments"
                   " WHERE id = $1::uuid",
                   a.id));
  ASSERT_TRUE(update_status(conn(), a.id, "confirmed", "cancelled", "user_pat_a", "enfermo"));
  EXPECT_TRUE(
      scalar<bool>("SELECT cancelled_at IS NOT NULL AND cancelled_by = 'user_pat_a'"
                   " AND cancellation_reason = 'enfermo' FROM appointments WHERE id = $1::uuid",
                   a.id));
  auto history = appointment_history(conn(), a.id);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].action, "created");
  EXPECT_EQ(history[0].to_status, "pending");
  EXPECT_EQ(history[0].changed_by, "user_pat_a");
  EXPECT_EQ(history[1].action, "status_changed");
  EXPECT_EQ(history[1].from_status, "pending");
  EXPECT_EQ(history[1].to_status, "confirmed");
  EXPECT_EQ(history[2].action, "cancelled");
  EXPECT_EQ(history[2].reason, "enfermo");
  EXPECT_EQ(find_appointment(conn(), a.id, cipher())->cancellation_reason, "enfermo");
}

TEST_F(appointments, reschedule_moves_the_interval_and_the_exclusion_still_guards) {
  auto a = insert_appointment(conn(), draft(pro_, "user_pat_a", at(9)), cipher());
  auto b = insert_appointment(conn(), draft(pro_, "user_pat_b", at(12)), cipher());
  ASSERT_TRUE(reschedule(conn(), a.id, at(10), at(10, 45), "user_pat_a"));
  auto moved = find_appointment(conn(), a.id, cipher());
  EXPECT_EQ(moved->starts_at, at(10));
  EXPECT_EQ(moved->ends_at, at(10, 45));
  auto history = appointment_history(conn(), a.id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].action, "rescheduled");
  EXPECT_EQ(history[1].old_starts_at, std::optional<calendar::instant>{at(9)});
  EXPECT_EQ(history[1].old_ends_at, std::optional<calendar::instant>{at(9, 30)});
  EXPECT_EQ(history[1].new_starts_at, std::optional<calendar::instant>{at(10)});
  EXPECT_EQ(history[1].new_ends_at, std::optional<calendar::instant>{at(10, 45)});

  EXPECT_EQ(failure_of([&] { reschedule(conn(), a.id, at(12, 15), at(12, 45), ""); }).code,
            errc::slot_taken);
  EXPECT_EQ(find_appointment(conn(), a.id, cipher())->starts_at, at(10));
  EXPECT_EQ(appointment_history(conn(), a.id).size(), 2u);
  ASSERT_TRUE(update_status(conn(), b.id, "pending", "cancelled", "", ""));
  EXPECT_FALSE(reschedule(conn(), b.id, at(14), at(14, 30), ""));
}

TEST_F(appointments, lists_are_scoped_by_role_filtered_and_paginated) {
  auto other_pro = make_professional("user_pro_other");
  make_user("user_admin", "admin");
  for (int h = 8; h < 13; ++h)
    insert_appointment(conn(), draft(pro_, "user_pat_a", at(h)), cipher());
  insert_appointment(conn(), draft(other_pro, "user_pat_b", at(9)), cipher());
  auto c = insert_appointment(conn(), draft(pro_, "user_pat_b", at(14)), cipher());
  update_status(conn(), c.id, "pending", "confirmed", "", "");

  appointment_filter f;
  f.viewer_role = "patient";
  f.viewer_id = "user_pat_a";
  f.limit = 2;
  f.page = 2;
  auto page = list_appointments(conn(), f, cipher());
  EXPECT_EQ(page.total, 5);
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].starts_at, at(10));

  f = {};
  f.viewer_role = "professional";
  f.viewer_id = "user_pro_a";
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 6);
  f.status = "confirmed";
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 1);
  f.status.reset();
  f.from = at(10);
  f.to = at(12);
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 2);

  f = {};
  f.viewer_role = "admin";
  f.viewer_id = "user_admin";
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 7);
  f.professional_id = other_pro;
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 1);
  f.professional_id = "bad id";
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 0);
  f = {};
  f.viewer_role = "admin";
  f.patient_id = "user_pat_b";
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 2);
  f.viewer_role = "stranger";
  EXPECT_EQ(list_appointments(conn(), f, cipher()).total, 0);
}

}  // namespace
}  // namespace mundoctor::testing
