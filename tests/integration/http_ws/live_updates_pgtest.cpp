// GET /ws end to end: authentication, the subscribe/ping protocol, calendar events caused by
// real bookings, the slow-consumer bound and the close on graceful stop.

#include <future>
#include <optional>
#include <string>

#include "tests/integration/http_ws/live_fixture.hpp"

namespace mundoctor::testing {

namespace {

using std::chrono::milliseconds;

constexpr milliseconds quiet_period{1'500};  // how long "receives nothing" is watched

// A string member of a message; "" when absent (or when the message is not an object).
std::string field(const nlohmann::json& msg, const char* name) {
  if (!msg.is_object() || !msg.contains(name) || !msg[name].is_string()) return {};
  return msg[name].get<std::string>();
}

std::string type_of(const std::optional<nlohmann::json>& msg) {
  return msg ? field(*msg, "type") : std::string{};
}

}  // namespace

TEST_F(live_updates_test, booking_and_cancel_reach_a_subscriber_without_patient_data) {
  auto pro = make_professional();
  auto patient = make_patient();
  auto watcher = connect(token_for(unique_user("user_watch")));
  auto topic = "calendar:" + pro.user_id;
  auto confirmed = subscribe(*watcher, topic);
  ASSERT_EQ(field(confirmed, "type"), "subscribed") << confirmed;
  EXPECT_EQ(field(confirmed, "topic"), topic);

  auto start = start_in_days(2);
  auto booked = book(patient, pro, start);
  ASSERT_EQ(booked.status, 201u) << booked.body;
  auto taken = watcher->read_type("calendar.slot_taken");
  ASSERT_TRUE(taken) << "no slot_taken event";
  EXPECT_EQ(taken->value("professionalId", ""), pro.profile_id);
  EXPECT_EQ(taken->value("start", ""), start);
  EXPECT_TRUE(taken->value("end", nlohmann::json()).is_string()) << *taken;
  ASSERT_TRUE(taken->value("seq", nlohmann::json()).is_number_integer()) << *taken;
  EXPECT_FALSE(has_patient_data(*taken)) << *taken;
  EXPECT_EQ(taken->dump().find(patient), std::string::npos) << *taken;

  auto id = booked.json["data"].value("id", "");
  auto cancelled = cancel(patient, id);
  ASSERT_EQ(cancelled.status, 200u) << cancelled.body;
  auto freed = watcher->read_type("calendar.slot_freed");
  ASSERT_TRUE(freed) << "no slot_freed event";
  EXPECT_EQ(freed->value("professionalId", ""), pro.profile_id);
  EXPECT_EQ(freed->value("start", ""), start);
  EXPECT_EQ(freed->value("seq", int64_t{0}), taken->value("seq", int64_t{0}) + 1);
  EXPECT_FALSE(has_patient_data(*freed)) << *freed;
}

TEST_F(live_updates_test, first_message_auth_then_subscribe_by_profile_uuid) {
  auto pro = make_professional();
  auto user = unique_user("user_watch");
  auto client = connect("");
  client->send_json({{"type", "auth"}, {"token", token_for(user)}});
  auto authed = client->read_json();
  ASSERT_TRUE(authed);
  EXPECT_EQ(field(*authed, "type"), "authenticated") << *authed;
  EXPECT_EQ(field(*authed, "userId"), user);
  auto topic = "calendar:" + pro.profile_id;
  auto confirmed = subscribe(*client, topic);
  EXPECT_EQ(field(confirmed, "type"), "subscribed") << confirmed;
  EXPECT_EQ(field(confirmed, "topic"), topic);
  publish(topic, R"({"type":"calendar.changed","professionalId":"x","seq":1})");
  auto event = client->read_type("calendar.changed");
  EXPECT_TRUE(event) << "the event published on the uuid topic did not arrive";
}

TEST_F(live_updates_test, a_bad_token_in_the_query_closes_with_4401) {
  auto client = connect("not.a.token");
  ASSERT_TRUE(client->wait_for_close());
  EXPECT_EQ(client->close_code(), 4401);
  EXPECT_FALSE(client->close_reason().empty());
}

TEST_F(live_updates_test, a_bad_token_in_the_first_message_closes_with_4401) {
  auto client = connect("");
  client->send_json({{"type", "auth"}, {"token", token_for("x") + "tampered"}});
  ASSERT_TRUE(client->wait_for_close());
  EXPECT_EQ(client->close_code(), 4401);
}

TEST_F(live_updates_test, a_suspended_account_is_refused_with_a_valid_token) {
  auto user = make_patient();
  set_status(user, "suspended");
  auto by_query = connect(token_for(user));
  ASSERT_TRUE(by_query->wait_for_close());
  EXPECT_EQ(by_query->close_code(), 4401);
  EXPECT_EQ(by_query->close_reason(), "This account is suspended");

  auto by_message = connect("");
  by_message->send_json({{"type", "auth"}, {"token", token_for(user)}});
  ASSERT_TRUE(by_message->wait_for_close());
  EXPECT_EQ(by_message->close_code(), 4401);
}

TEST_F(live_updates_test, a_first_message_other_than_auth_closes_with_4401) {
  auto client = connect("");
  client->send_json({{"type", "ping"}});
  ASSERT_TRUE(client->wait_for_close());
  EXPECT_EQ(client->close_code(), 4401);
}

TEST_F(live_updates_test, bad_messages_get_errors_and_the_connection_stays) {
  auto client = connect(token_for(unique_user("user_watch")));
  client->send("{not json");
  auto malformed = client->read_json();
  ASSERT_TRUE(malformed);
  EXPECT_EQ(field(*malformed, "type"), "error");
  EXPECT_FALSE(field(*malformed, "message").empty());

  client->send_json({{"type", "shout"}});
  EXPECT_EQ(type_of(client->read_json()), "error");

  auto unknown_kind = subscribe(*client, "user:someone");
  EXPECT_EQ(field(unknown_kind, "type"), "error") << unknown_kind;
  EXPECT_EQ(field(unknown_kind, "topic"), "user:someone");

  auto unknown_pro = subscribe(*client, "calendar:user_nobody_here");
  EXPECT_EQ(field(unknown_pro, "type"), "error") << unknown_pro;

  client->send_json({{"type", "ping"}});
  auto pong = client->read_json();
  ASSERT_TRUE(pong) << "the connection did not survive the bad messages";
  EXPECT_EQ(field(*pong, "type"), "pong");
  EXPECT_FALSE(client->closed());
}

TEST_F(live_updates_test, unsubscribed_clients_receive_nothing) {
  auto pro = make_professional();
  auto patient = make_patient();
  auto topic = "calendar:" + pro.user_id;
  auto subscribed = connect(token_for(unique_user("user_a")));
  auto left = connect(token_for(unique_user("user_b")));
  auto never = connect(token_for(unique_user("user_c")));
  ASSERT_EQ(field(subscribe(*subscribed, topic), "type"), "subscribed");
  ASSERT_EQ(field(subscribe(*left, topic), "type"), "subscribed");
  left->send_json({{"type", "unsubscribe"}, {"topic", topic}});
  auto gone = left->read_json();
  ASSERT_TRUE(gone);
  EXPECT_EQ(field(*gone, "type"), "unsubscribed") << *gone;

  auto booked = book(patient, pro, start_in_days(3));
  ASSERT_EQ(booked.status, 201u) << booked.body;
  ASSERT_TRUE(subscribed->read_type("calendar.slot_taken"));
  EXPECT_FALSE(left->read(quiet_period)) << "an unsubscribed client got an event";
  EXPECT_FALSE(never->read(quiet_period)) << "a client without subscriptions got an event";
  EXPECT_FALSE(left->closed());
  EXPECT_FALSE(never->closed());
}

TEST_F(live_updates_test, a_client_that_never_reads_is_dropped_at_the_queue_bound) {
  auto pro = make_professional();
  auto topic = "calendar:" + pro.profile_id;
  auto slow = connect(token_for(unique_user("user_slow")), 4096);
  ASSERT_EQ(field(subscribe(*slow, topic), "type"), "subscribed");
  auto before = hub_stats();
  EXPECT_EQ(before.connections, 1u);

  // 16 KiB events until the hub reports the drop; the kernel buffers take a few MiB first.
  auto event = R"({"type":"calendar.changed","pad":")" + std::string(16 * 1024, 'x') + "\"}";
  actors::ws_hub_stats now;
  for (int i = 0; i < 4'000 && now.dropped == 0; ++i) {
    publish(topic, event);
    if (i % 32 == 31) now = hub_stats();
  }
  now = hub_stats();
  ASSERT_EQ(now.dropped, 1u) << "the slow consumer was never dropped";
  EXPECT_EQ(now.connections, 0u);
  EXPECT_EQ(now.subscriptions, 0u);
  EXPECT_LT(now.delivered, 4'000u);

  ASSERT_TRUE(slow->wait_for_close(std::chrono::seconds{20}));
  // The 1008 close frame arrives when the client catches up before the close timeout; after
  // that the server cuts the connection without one.
  if (slow->close_code() != 0) {
    EXPECT_EQ(slow->close_code(), 1008);
  }
}

TEST_F(live_updates_test, graceful_stop_closes_websockets_with_1001) {
  auto pro = make_professional();
  auto client = connect(token_for(unique_user("user_watch")));
  ASSERT_EQ(field(subscribe(*client, "calendar:" + pro.user_id), "type"), "subscribed");
  // The client answers the close handshake while the runtime stops.
  auto closed = std::async(std::launch::async,
                           [&client] { return client->wait_for_close(std::chrono::seconds{10}); });
  EXPECT_TRUE(stop()) << "the stop did not drain in time";
  ASSERT_TRUE(closed.get());
  EXPECT_EQ(client->close_code(), 1001);
}

}  // namespace mundoctor::testing
