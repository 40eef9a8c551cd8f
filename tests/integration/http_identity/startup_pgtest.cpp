// A node answers its very first requests with the identity services in place: once
// runtime::start() has returned, no request may find the user service missing.

#include <chrono>

#include "actors/identity/svix.hpp"
#include "tests/integration/http_identity/identity_server.hpp"

namespace mundoctor::testing {
namespace {

class startup : public identity_test {};

TEST_F(startup, the_first_requests_after_start_find_the_user_service) {
  // Several fresh nodes, each asked at once, without waiting for anything after start().
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    running_server node{identity_settings(), /*wait_for_services=*/false};
    auto user = unique_user("first");
    auto body = nlohmann::json{{"type", "user.created"},
                               {"data",
                                {{"id", user},
                                 {"email_addresses", nlohmann::json::array()},
                                 {"first_name", "Primera"}}}}
                    .dump();
    auto id = "msg_" + random_token();
    auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
    auto webhook = request(
        node.port(), "POST", "/api/webhooks/clerk", body,
        {{"Content-Type", "application/json"},
         {"svix-id", id},
         {"svix-timestamp", ts},
         {"svix-signature", actors::identity::sign_svix(test_webhook_secret(), id, ts, body)}});
    EXPECT_EQ(webhook.status, 200u) << webhook.body;
    auto profile = call_on(node.port(), "GET", "/api/users/profile", token_for(unique_user()));
    EXPECT_EQ(profile.status, 200u) << profile.body;
  }
}

}  // namespace
}  // namespace mundoctor::testing
