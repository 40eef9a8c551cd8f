// The audit writer: batches through the DB pool and flushes everything on shutdown.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "actors/identity/audit_actor.hpp"
#include "tests/integration/identity/identity_fixture.hpp"

namespace mundoctor::testing {
namespace {

class audit_writer_test : public identity_fixture {
 protected:
  void extra_stop() override {
    if (writer_) caf::anon_send_exit(writer_, caf::exit_reason::user_shutdown);
    writer_ = caf::actor{};
  }
  // A writer whose periodic flush never comes within a test: only the batch size and the
  // exit flush write.
  void spawn_idle_writer() {
    writer_ = sys_->spawn(actors::identity::audit_writer, std::chrono::milliseconds{3'600'000},
                          names::db_pool);
  }
  // Sends the records, then a graceful stop; true once the writer is down.
  bool write_and_stop(const std::vector<audit_record>& records) {
    caf::scoped_actor self{*sys_};
    for (const auto& r : records) self->send(writer_, audit_atom::value, r);
    self->monitor(writer_);
    self->send_exit(writer_, caf::exit_reason::user_shutdown);
    bool down = false;
    self->receive([&](caf::down_msg& dm) { down = dm.source == writer_.address(); },
                  caf::after(std::chrono::seconds{60}) >> [] {});
    writer_ = caf::actor{};
    return down;
  }
  caf::actor writer_;
};

audit_record record_for(int i) {
  audit_record r;
  r.actor_user_id = "user_" + std::to_string(i % 7);
  r.action = "POST /api/users/select-role";
  r.resource_type = "user";
  r.resource_id = std::to_string(i);
  r.outcome = i % 2 == 0 ? "201" : "denied";
  r.ip = i % 3 == 0 ? "not an ip" : "10.0.0.1";
  r.user_agent = "tests";
  r.request_id = "req-" + std::to_string(i);
  r.at_unix_ms = 1'767'225'600'000 + i;  // 2026-01-01T00:00:00Z + i ms
  return r;
}

TEST_F(audit_writer_test, every_record_is_written_before_a_graceful_exit) {
  spawn_idle_writer();
  std::vector<audit_record> records;
  for (int i = 0; i < 250; ++i) records.push_back(record_for(i));
  ASSERT_TRUE(write_and_stop(records));
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM audit_log"), 250);
  EXPECT_EQ(scalar<int64_t>("SELECT count(DISTINCT request_id) FROM audit_log"), 250);
  EXPECT_EQ(scalar<std::string>("SELECT DISTINCT action FROM audit_log"),
            "post.api.users.select_role");
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM audit_log WHERE outcome = 'success'"), 125);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM audit_log WHERE ip IS NULL"), 84);
  EXPECT_EQ(scalar<std::string>("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') "
                                "FROM audit_log WHERE request_id = 'req-0'"),
            "2026-01-01");
}

TEST_F(audit_writer_test, records_are_written_in_the_background) {
  writer_ =
      sys_->spawn(actors::identity::audit_writer, std::chrono::milliseconds{20}, names::db_pool);
  caf::scoped_actor self{*sys_};
  for (int i = 0; i < 3; ++i) self->send(writer_, audit_atom::value, record_for(i));
  // Waits (without a timing assertion) until the periodic flush has written them.
  uint64_t written = 0;
  for (int round = 0; round < 600 && written < 3; ++round) {
    auto stats = ask<actors::identity::audit_writer_stats>(writer_, stats_atom::value);
    ASSERT_TRUE(stats.value);
    written = stats.value->written;
    if (written < 3) std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_EQ(written, 3U);
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM audit_log"), 3);
}

// The trail is written with COPY: tabs, newlines, backslashes and UTF-8 in a field must come
// back exactly, empty fields as NULL, and the record's time to the millisecond.
TEST_F(audit_writer_test, fields_come_back_exactly_as_recorded) {
  spawn_idle_writer();
  const std::string agent = "tab\there\nline \\N back\\slash \r ñandú 😀";
  audit_record odd = record_for(1);
  odd.user_agent = agent;
  odd.ip = "::1";
  odd.request_id = "req-odd";
  odd.at_unix_ms = 1'767'225'600'123;  // 2026-01-01T00:00:00.123Z
  audit_record bare;
  bare.action = "POST /api/x";
  bare.outcome = "409";
  bare.ip = "not an ip";
  bare.request_id = "req-bare";
  ASSERT_TRUE(write_and_stop({odd, bare}));
  EXPECT_EQ(scalar<std::string>("SELECT user_agent FROM audit_log WHERE request_id = 'req-odd'"),
            agent);
  EXPECT_EQ(scalar<std::string>("SELECT host(ip) FROM audit_log WHERE request_id = 'req-odd'"),
            "::1");
  EXPECT_EQ(scalar<std::string>("SELECT to_char(created_at AT TIME ZONE 'UTC', "
                                "'YYYY-MM-DD HH24:MI:SS.MS') FROM audit_log "
                                "WHERE request_id = 'req-odd'"),
            "2026-01-01 00:00:00.123");
  EXPECT_EQ(
      scalar<std::string>("SELECT concat_ws('|', actor_user_id IS NULL, resource_type IS NULL, "
                          "resource_id IS NULL, user_agent IS NULL, ip IS NULL, action, outcome, "
                          "details->>'action', details->>'outcome', details->>'ip', "
                          "created_at > now() - interval '1 hour') "
                          "FROM audit_log WHERE request_id = 'req-bare'"),
      "t|t|t|t|t|post.api.x|failure|POST /api/x|409|not an ip|t");
}

// A request header may carry any byte; a record that PostgreSQL would refuse must not refuse the
// batch it is in (and so stall the trail): what is not UTF-8, and NUL, become U+FFFD.
TEST_F(audit_writer_test, text_that_is_not_utf8_is_stored_with_replacement_characters) {
  spawn_idle_writer();
  audit_record bad = record_for(2);
  bad.request_id = "req-bad";
  bad.user_agent = std::string("ok \xff\xfe x\0y \xc3", 11);  // the last byte: a cut "ñ"
  bad.actor_user_id = "user_\xe9";
  bad.action = "POST /api/caf\xe9";
  bad.ip = std::string("10.0.0.1\0x", 10);  // not an address, though inet_pton stops at the NUL
  ASSERT_TRUE(write_and_stop({bad, record_for(3)}));
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM audit_log"), 2);
  EXPECT_EQ(scalar<std::string>("SELECT user_agent FROM audit_log WHERE request_id = 'req-bad'"),
            "ok \uFFFD\uFFFD x\uFFFDy \uFFFD");
  EXPECT_EQ(scalar<std::string>("SELECT actor_user_id FROM audit_log WHERE request_id = 'req-bad'"),
            "user_\uFFFD");
  EXPECT_EQ(
      scalar<std::string>("SELECT details->>'action' FROM audit_log WHERE request_id = 'req-bad'"),
      "POST /api/caf\uFFFD");
}

// A record the database refuses (here a trigger refuses it as a CHECK would) is counted as
// dropped; the rest of its batch is stored and the trail goes on.
TEST_F(audit_writer_test, a_refused_record_does_not_hold_back_its_batch) {
  exec(R"SQL(
    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.request_id = 'req-poison' THEN
        RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER refuse_poison BEFORE INSERT ON audit_log
      FOR EACH ROW EXECUTE FUNCTION refuse_poison();
  )SQL");
  writer_ =
      sys_->spawn(actors::identity::audit_writer, std::chrono::milliseconds{20}, names::db_pool);
  audit_record poison = record_for(5);
  poison.request_id = "req-poison";
  caf::scoped_actor self{*sys_};
  for (const auto& r : {record_for(1), poison, record_for(2)})
    self->send(writer_, audit_atom::value, r);
  actors::identity::audit_writer_stats stats;
  for (int round = 0; round < 600 && stats.written + stats.dropped < 3; ++round) {
    auto reply = ask<actors::identity::audit_writer_stats>(writer_, stats_atom::value);
    ASSERT_TRUE(reply.value);
    stats = *reply.value;
    if (stats.written + stats.dropped < 3)
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_EQ(stats.written, 2U);
  EXPECT_EQ(stats.dropped, 1U);
  EXPECT_EQ(stats.buffered, 0U);
  EXPECT_TRUE(write_and_stop({record_for(3)}));  // later records are written too
  EXPECT_EQ(scalar<std::string>("SELECT string_agg(request_id, ',' ORDER BY request_id) "
                                "FROM audit_log"),
            "req-1,req-2,req-3");
}

}  // namespace
}  // namespace mundoctor::testing
