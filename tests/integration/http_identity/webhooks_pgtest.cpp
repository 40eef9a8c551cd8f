// POST /api/webhooks/clerk through real HTTP: Svix signatures, idempotency on svix-id, and the
// effect of user.created / user.updated / user.deleted on the user and their session.

#include <chrono>

#include "actors/identity/base64.hpp"
#include "actors/identity/svix.hpp"
#include "tests/integration/http_identity/identity_server.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

constexpr auto webhook = "/api/webhooks/clerk";

std::string unix_seconds(std::chrono::system_clock::time_point at) {
  return std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count());
}

json user_event(const std::string& type, const std::string& user, const std::string& first_name,
                const std::string& email) {
  return {{"type", type},
          {"object", "event"},
          {"data",
           {{"id", user},
            {"object", "user"},
            {"email_addresses",
             json::array({{{"id", "idn_primary"}, {"email_address", email}},
                          {{"id", "idn_other"}, {"email_address", "other@example.org"}}})},
            {"primary_email_address_id", "idn_primary"},
            {"first_name", first_name},
            {"last_name", "Fern\xC3\xA1ndez"},
            {"image_url", "https://img.clerk.example/" + user + ".png"},
            {"phone_numbers", json::array()},
            {"public_metadata", json::object()},
            {"unsafe_metadata", json::object()}}}};
}

class clerk_webhook : public identity_test {
 protected:
  void SetUp() override {
    identity_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    start();
  }

  struct delivery {
    std::string id = "msg_" + random_token();
    std::string timestamp = unix_seconds(std::chrono::system_clock::now());
    std::string secret = test_webhook_secret();
    bool with_headers = true;
  };

  http_result deliver(const json& event, const delivery& d) {
    auto body = event.dump();
    header_fields headers{{"Content-Type", "application/json"}};
    if (d.with_headers) {
      headers.emplace_back("svix-id", d.id);
      headers.emplace_back("svix-timestamp", d.timestamp);
      headers.emplace_back("svix-signature",
                           actors::identity::sign_svix(d.secret, d.id, d.timestamp, body));
    }
    return request(server_->port(), "POST", webhook, body, headers);
  }

  http_result deliver(const json& event) { return deliver(event, delivery{}); }

  std::optional<std::string> column(const std::string& name, const std::string& user) {
    return query_value("SELECT " + name + "::text FROM users WHERE id = $1", user);
  }
};

TEST_F(clerk_webhook, user_created_creates_the_user_once_per_svix_id) {
  auto user = unique_user("user_clerk");
  auto event = user_event("user.created", user,
                          "Luc\xC3\xAD"
                          "a",
                          "Lucia.Fernandez@Example.COM");
  delivery d;
  auto first = deliver(event, d);
  ASSERT_EQ(first.status, 200u) << first.body;
  EXPECT_EQ(first.json["data"]["duplicate"], false) << first.body;
  EXPECT_EQ(column("email", user), "Lucia.Fernandez@example.com");
  EXPECT_EQ(column("first_name", user),
            "Luc\xC3\xAD"
            "a");
  EXPECT_EQ(column("avatar_url", user), "https://img.clerk.example/" + user + ".png");

  // A local change after the delivery must survive a redelivery of the same message.
  exec("UPDATE users SET first_name = 'Cambiado' WHERE id = $1", user);
  auto again = deliver(event, d);
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_EQ(again.json["data"]["duplicate"], true) << again.body;
  EXPECT_EQ(column("first_name", user), "Cambiado");
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = $1", user), 1);
}

TEST_F(clerk_webhook, user_updated_changes_the_name_seen_by_the_profile) {
  auto user = unique_user("user_clerk");
  ASSERT_EQ(deliver(user_event("user.created", user, "Ana", "ana@example.com")).status, 200u);
  EXPECT_EQ(get_as(user, "/api/users/profile").json["data"]["first_name"], "Ana");
  auto updated = deliver(user_event("user.updated", user, "Ana Bel\xC3\xA9n", "ana@example.com"));
  ASSERT_EQ(updated.status, 200u) << updated.body;
  EXPECT_EQ(column("first_name", user), "Ana Bel\xC3\xA9n");
  auto r = get_as(user, "/api/users/profile");
  EXPECT_EQ(r.json["data"]["first_name"], "Ana Bel\xC3\xA9n") << r.body;
}

TEST_F(clerk_webhook, user_deleted_locks_the_session_out_except_the_own_profile) {
  auto user = unique_user("user_clerk");
  ASSERT_EQ(deliver(user_event("user.created", user, "Pilar", "pilar@example.com")).status, 200u);
  ASSERT_EQ(send_as(user, "POST", "/api/users/select-role", {{"role", "patient"}}).status, 200u);
  // Warm whatever the server caches about the user before the deletion arrives.
  ASSERT_EQ(get_as(user, "/api/users/dashboard-stats").status, 200u);

  json deleted{{"type", "user.deleted"},
               {"object", "event"},
               {"data", {{"id", user}, {"object", "user"}, {"deleted", true}}}};
  auto r = deliver(deleted);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(column("status", user), "deleted");

  auto put = send_as(user, "PUT", "/api/users/profile", {{"first_name", "Otra"}});
  expect_error_envelope(put, 403, "FORBIDDEN");
  EXPECT_EQ(get_as(user, "/api/users/dashboard-stats").status, 403u);
  auto own = get_as(user, "/api/users/profile");
  EXPECT_EQ(own.status, 200u) << own.body;
  EXPECT_EQ(own.json["data"]["status"], "deleted") << own.body;
  EXPECT_EQ(column("first_name", user), "Pilar");
}

TEST_F(clerk_webhook, unsigned_stale_or_forged_deliveries_are_401) {
  auto user = unique_user("user_clerk");
  auto event = user_event("user.created", user, "Eva", "eva@example.com");

  delivery forged;
  forged.secret = "whsec_" + actors::identity::base64_encode("another-secret-of-24-byte");
  expect_error_envelope(deliver(event, forged), 401, "INVALID_SIGNATURE");

  delivery stale;
  stale.timestamp = unix_seconds(std::chrono::system_clock::now() - std::chrono::minutes{10});
  expect_error_envelope(deliver(event, stale), 401, "INVALID_SIGNATURE");

  delivery bare;
  bare.with_headers = false;
  expect_error_envelope(deliver(event, bare), 401, "INVALID_SIGNATURE");

  delivery tampered;
  auto body = event.dump();
  auto signature =
      actors::identity::sign_svix(tampered.secret, tampered.id, tampered.timestamp, body);
  auto changed = event;
  changed["data"]["first_name"] = "Mallory";
  auto r = request(server_->port(), "POST", webhook, changed.dump(),
                   {{"Content-Type", "application/json"},
                    {"svix-id", tampered.id},
                    {"svix-timestamp", tampered.timestamp},
                    {"svix-signature", signature}});
  expect_error_envelope(r, 401, "INVALID_SIGNATURE");

  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = $1", user), 0);
}

TEST_F(clerk_webhook, without_a_webhook_secret_the_endpoint_is_503) {
  auto s = identity_settings();
  s.clerk_webhook_secret.clear();
  start(s);
  auto user = unique_user("user_clerk");
  auto r = deliver(user_event("user.created", user, "Eva", "eva@example.com"));
  EXPECT_EQ(r.status, 503u) << r.body;
  EXPECT_EQ(r.json.value("success", true), false) << r.body;
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = $1", user), 0);
}

}  // namespace
}  // namespace mundoctor::testing
