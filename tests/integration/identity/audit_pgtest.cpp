// The audit writer: batches through the DB pool and flushes everything on shutdown.

#include <chrono>
#include <string>
#include <thread>

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
  // A flush period far longer than the test: only the batch size and the exit flush write.
  writer_ = sys_->spawn(actors::identity::audit_writer, std::chrono::milliseconds{3'600'000});
  caf::scoped_actor self{*sys_};
  for (int i = 0; i < 250; ++i) self->send(writer_, audit_atom::value, record_for(i));
  self->monitor(writer_);
  self->send_exit(writer_, caf::exit_reason::user_shutdown);
  bool down = false;
  self->receive([&](caf::down_msg& dm) { down = dm.source == writer_.address(); },
                caf::after(std::chrono::seconds{60}) >> [] {});
  ASSERT_TRUE(down);
  writer_ = caf::actor{};
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
  writer_ = sys_->spawn(actors::identity::audit_writer, std::chrono::milliseconds{20});
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

}  // namespace
}  // namespace mundoctor::testing
