// Clerk webhook events applied by the user service, idempotent on svix-id; and the Clerk
// write-back the service requests after a role selection.

#include <mutex>
#include <string>
#include <vector>

#include "tests/integration/identity/identity_fixture.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

json user_event(const std::string& type, const std::string& email, const std::string& first,
                const json& public_metadata = json::object()) {
  return {
      {"type", type},
      {"object", "event"},
      {"data",
       {{"id", "user_clerk1"},
        {"first_name", first},
        {"last_name", "Pérez"},
        {"image_url", "https://img.clerk.com/a.png"},
        {"primary_email_address_id", "idn_2"},
        {"email_addresses",
         {{{"id", "idn_1"}, {"email_address", "old@example.com"}},
          {{"id", "idn_2"}, {"email_address", email}, {"verification", {{"status", "verified"}}}}}},
        {"primary_phone_number_id", "idn_p"},
        {"phone_numbers", {{{"id", "idn_p"}, {"phone_number", "+34 600 111 222"}}}},
        {"public_metadata", public_metadata}}}};
}

class clerk_events : public identity_fixture {
 protected:
  reply<bool> deliver(const std::string& svix_id, const json& event) {
    return ask<bool>(users_, clerk_event_atom::value, svix_id, event.dump());
  }
  std::string column(const std::string& name) {
    return scalar<std::string>("SELECT coalesce(" + name +
                               "::text, '') FROM users WHERE id = 'user_clerk1'");
  }
};

TEST_F(clerk_events, created_then_updated_changes_email_and_name) {
  auto created = deliver("msg_1", user_event("user.created", "Ana@Example.COM", "Ana"));
  ASSERT_TRUE(created.value) << sys_->render(created.error);
  EXPECT_TRUE(*created.value);
  EXPECT_EQ(column("email"), "Ana@example.com");
  EXPECT_EQ(column("first_name"), "Ana");
  EXPECT_EQ(column("phone"), "+34600111222");
  EXPECT_EQ(column("avatar_url"), "https://img.clerk.com/a.png");
  EXPECT_EQ(column("email_verified"), "true");
  EXPECT_EQ(column("status"), "incomplete");

  auto updated = deliver("msg_2", user_event("user.updated", "ana.perez@example.com", "Anita"));
  ASSERT_TRUE(updated.value);
  EXPECT_TRUE(*updated.value);
  EXPECT_EQ(column("email"), "ana.perez@example.com");
  EXPECT_EQ(column("first_name"), "Anita");
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM webhook_events WHERE provider = 'clerk' "
                            "AND status = 'processed'"),
            2);
}

TEST_F(clerk_events, the_same_svix_id_is_applied_once) {
  ASSERT_TRUE(*deliver("msg_dup", user_event("user.created", "a@example.com", "Ana")).value);
  auto again = deliver("msg_dup", user_event("user.updated", "b@example.com", "Otra"));
  ASSERT_TRUE(again.value) << sys_->render(again.error);
  EXPECT_FALSE(*again.value);
  EXPECT_EQ(column("email"), "a@example.com");
  EXPECT_EQ(column("first_name"), "Ana");
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM webhook_events WHERE event_id = 'msg_dup'"), 1);
}

TEST_F(clerk_events, public_metadata_role_is_taken_when_none_was_chosen) {
  auto r = deliver("msg_role",
                   user_event("user.created", "a@example.com", "Ana", {{"role", "professional"}}));
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  EXPECT_EQ(column("role"), "professional");
  EXPECT_EQ(column("status"), "pending_validation");
  EXPECT_EQ(
      scalar<int64_t>("SELECT count(*) FROM professional_profiles WHERE user_id = 'user_clerk1'"),
      1);
}

TEST_F(clerk_events, deleted_is_a_soft_delete) {
  ASSERT_TRUE(resolve("user_clerk1").value);  // cached as incomplete
  ASSERT_TRUE(*deliver("msg_c", user_event("user.created", "a@example.com", "Ana")).value);
  json deleted{{"type", "user.deleted"},
               {"data", {{"id", "user_clerk1"}, {"deleted", true}, {"object", "user"}}}};
  auto r = deliver("msg_d", deleted);
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  EXPECT_TRUE(*r.value);
  EXPECT_EQ(column("status"), "deleted");
  EXPECT_TRUE(scalar<bool>("SELECT deleted_at IS NOT NULL FROM users WHERE id = 'user_clerk1'"));
  EXPECT_EQ(resolve("user_clerk1").value->status, "deleted");  // cache dropped
}

TEST_F(clerk_events, unknown_types_are_recorded_and_ignored) {
  auto r = deliver("msg_s", json{{"type", "session.created"}, {"data", {{"id", "sess_1"}}}});
  ASSERT_TRUE(r.value) << sys_->render(r.error);
  EXPECT_TRUE(*r.value);
  EXPECT_EQ(scalar<std::string>("SELECT event_type FROM webhook_events WHERE event_id = 'msg_s'"),
            "session.created");
  EXPECT_EQ(scalar<int64_t>("SELECT count(*) FROM users"), 0);
}

// A stand-in for the Clerk client: records what the user service sends.
struct clerk_calls {
  std::mutex mtx;
  std::vector<std::vector<std::string>> calls;
};

class clerk_write_back : public identity_fixture {
 protected:
  void extra_stop() override {
    if (fake_) caf::anon_send_exit(fake_, caf::exit_reason::user_shutdown);
    fake_ = caf::actor{};
  }
  caf::actor fake_;
};

TEST_F(clerk_write_back, selecting_a_role_sends_the_metadata) {
  auto calls = std::make_shared<clerk_calls>();
  fake_ = sys_->spawn([calls]() -> caf::behavior {
    return {[calls](clerk_metadata_atom, std::string& id, std::string& pub, std::string& unsafe) {
              std::lock_guard<std::mutex> guard{calls->mtx};
              calls->calls.push_back({id, pub, unsafe});
            },
            [calls](ping_atom) {
              std::lock_guard<std::mutex> guard{calls->mtx};
              return static_cast<int64_t>(calls->calls.size());
            }};
  });
  sys_->registry().put(names::clerk, fake_);
  ASSERT_TRUE(resolve("user_wb").value);
  ASSERT_TRUE(select("user_wb", "professional").value);
  // The metadata message was sent before the reply, so it is queued before this ping.
  EXPECT_EQ(*ask<int64_t>(fake_, ping_atom::value).value, 1);
  std::lock_guard<std::mutex> guard{calls->mtx};
  ASSERT_EQ(calls->calls.size(), 1U);
  EXPECT_EQ(calls->calls[0][0], "user_wb");
  auto pub = json::parse(calls->calls[0][1]);
  EXPECT_EQ(pub["role"], "professional");
  EXPECT_EQ(pub["verified"], false);
  EXPECT_EQ(pub["verificationStatus"], "not_submitted");
  EXPECT_EQ(json::parse(calls->calls[0][2]), (json{{"role", "professional"}}));
}

}  // namespace
}  // namespace mundoctor::testing
