// Side effects of state-changing requests: the audit trail (batched, flushed on a graceful stop)
// and the write-back of the chosen role to the Clerk Backend API.

#include "tests/integration/http_identity/identity_server.hpp"
#include "tests/support/http/fake_clerk.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

class audit_trail : public identity_test {
 protected:
  /// The newest audit row of `user` as JSON, or null.
  json last_audit_row(const std::string& user) {
    auto row = query_value(
        "SELECT row_to_json(a)::text FROM audit_log a WHERE actor_user_id = $1 "
        "ORDER BY id DESC LIMIT 1",
        user);
    return row ? json::parse(*row) : json{};
  }

  int64_t audit_rows_of(const std::string& user) {
    return count("SELECT count(*) FROM audit_log WHERE actor_user_id = $1", user);
  }
};

TEST_F(audit_trail, a_profile_update_is_recorded_with_its_actor_and_request_id) {
  start();
  auto user = unique_user();
  auto r = send_as(user, "PUT", "/api/users/profile", {{"first_name", "Auditada"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  auto request_id = r.header("x-request-id");
  ASSERT_FALSE(request_id.empty());
  ASSERT_TRUE(eventually([&] { return audit_rows_of(user) > 0; })) << "no audit row for " << user;
  auto row = last_audit_row(user);
  EXPECT_EQ(row["actor_user_id"], user) << row;
  EXPECT_EQ(row["request_id"], request_id) << row;
  EXPECT_EQ(row["outcome"], "success") << row;
  EXPECT_EQ(row["action"], "put.api.users.profile") << row;
}

TEST_F(audit_trail, a_graceful_stop_writes_the_records_still_buffered) {
  settings_.audit_flush_ms = 600'000;  // only the stop flushes
  start();
  auto user = unique_user();
  auto put = send_as(user, "PUT", "/api/users/profile", {{"last_name", "Final"}});
  ASSERT_EQ(put.status, 200u) << put.body;
  auto role = send_as(user, "POST", "/api/users/select-role", {{"role", "patient"}});
  ASSERT_EQ(role.status, 200u) << role.body;
  EXPECT_EQ(audit_rows_of(user), 0) << "written before the stop: the flush interval is ignored";
  EXPECT_TRUE(server_->stop());
  EXPECT_EQ(audit_rows_of(user), 2);
  EXPECT_EQ(last_audit_row(user)["request_id"], role.header("x-request-id"));
}

class clerk_write_back : public identity_test {};

TEST_F(clerk_write_back, a_selected_role_is_patched_into_clerk_metadata_without_waiting) {
  fake_clerk clerk{fake_clerk::answers::when_released};
  settings_.clerk_api_url = clerk.url();
  settings_.clerk_secret_key = "sk_test_" + random_token(24);
  start();
  auto user = unique_user("user_pro");
  auto r = send_as(user, "POST", "/api/users/select-role", {{"role", "professional"}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.json["data"]["status"], "pending_validation");

  ASSERT_TRUE(eventually([&] { return !clerk.received().empty(); }))
      << "Clerk never received the metadata update";
  auto got = clerk.received().front();
  clerk.release();
  EXPECT_EQ(got.method, http::verb::patch);
  EXPECT_EQ(got.path, "/v1/users/" + user + "/metadata");
  EXPECT_EQ(got.headers.get("authorization").value_or(""), "Bearer " + settings_.clerk_secret_key);
  auto body = json::parse(got.body, nullptr, false);
  ASSERT_TRUE(body.is_object()) << got.body;
  EXPECT_EQ(body["public_metadata"]["role"], "professional") << got.body;
  server_.reset();  // stop the runtime before the fake Clerk goes away
}

}  // namespace
}  // namespace mundoctor::testing
