#include "persistence/redis_client.hpp"

#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/errors.hpp"
#include "tests/support/test_env.hpp"

namespace mundoctor::persistence {
namespace {

constexpr auto reply_timeout = std::chrono::seconds{10};

uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string random_key(const std::string& prefix) {
  return prefix + ":" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}

struct outcome {
  std::optional<redis_reply> reply;
  caf::error error;
};

class redis_client : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_.set("scheduler.max-threads", 2);
    sys_ = std::make_unique<caf::actor_system>(cfg_);
  }

  void TearDown() override {
    if (client_) caf::anon_send_exit(client_, caf::exit_reason::user_shutdown);
    client_ = caf::actor{};  // a detached actor's handle must not outlive the system
    sys_.reset();
  }

  outcome command(std::vector<std::string> argv) {
    outcome out;
    caf::scoped_actor self{*sys_};
    self->request(client_, reply_timeout, redis_atom::value, std::move(argv))
        .receive([&](redis_reply& r) { out.reply = std::move(r); },
                 [&](caf::error& e) { out.error = e; });
    return out;
  }

  std::optional<bool> ping() {
    std::optional<bool> out;
    caf::scoped_actor self{*sys_};
    self->request(client_, reply_timeout, ping_atom::value)
        .receive([&](bool ok) { out = ok; },
                 [&](caf::error& e) { ADD_FAILURE() << sys_->render(e); });
    return out;
  }

  caf::actor_system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::actor client_;
};

TEST_F(redis_client, set_get_round_trip) {
  REQUIRE_REDIS();
  client_ = spawn_redis_client(*sys_, *mundoctor::testing::test_redis_url());
  auto key = random_key("mundoctor:test:set");
  std::string value("caf\0é", 5);  // binary-safe
  auto set = command({"SET", key, value, "EX", "60"});
  ASSERT_TRUE(set.reply) << sys_->render(set.error);
  EXPECT_EQ(set.reply->type, redis_reply_type::status);
  EXPECT_EQ(set.reply->str, "OK");

  auto get = command({"GET", key});
  ASSERT_TRUE(get.reply);
  EXPECT_EQ(get.reply->type, redis_reply_type::string);
  EXPECT_EQ(get.reply->str, value);

  auto missing = command({"GET", key + ":missing"});
  ASSERT_TRUE(missing.reply);
  EXPECT_EQ(missing.reply->type, redis_reply_type::nil);

  auto incr = command({"INCRBY", key + ":n", "5"});
  ASSERT_TRUE(incr.reply);
  EXPECT_EQ(incr.reply->type, redis_reply_type::integer);
  EXPECT_EQ(incr.reply->integer, 5);
  command({"DEL", key, key + ":n"});
}

TEST_F(redis_client, redis_errors_are_replies_not_failures) {
  REQUIRE_REDIS();
  client_ = spawn_redis_client(*sys_, *mundoctor::testing::test_redis_url());
  auto bad = command({"NO_SUCH_COMMAND"});
  ASSERT_TRUE(bad.reply);
  EXPECT_EQ(bad.reply->type, redis_reply_type::error);
  EXPECT_EQ(ping(), true) << "the connection stays usable";
}

TEST_F(redis_client, publish_reaches_a_subscriber) {
  REQUIRE_REDIS();
  auto endpoint = parse_redis_url(*mundoctor::testing::test_redis_url());
  ASSERT_TRUE(endpoint);
  redis_connection subscriber;
  ASSERT_TRUE(subscriber.connect(*endpoint, std::chrono::milliseconds{500},
                                 std::chrono::milliseconds{5000}))
      << subscriber.last_error();
  auto channel = random_key("mundoctor:test:channel");
  auto subscribed = subscriber.command({"SUBSCRIBE", channel});
  ASSERT_TRUE(subscribed);
  ASSERT_EQ(subscribed->type, redis_reply_type::array);
  EXPECT_EQ(subscribed->elements.at(0), "subscribe");

  client_ = spawn_redis_client(*sys_, *mundoctor::testing::test_redis_url());
  auto published = command({"PUBLISH", channel, "slot_taken"});
  ASSERT_TRUE(published.reply) << sys_->render(published.error);
  EXPECT_EQ(published.reply->type, redis_reply_type::integer);
  EXPECT_EQ(published.reply->integer, 1) << "one subscriber received it";

  auto message = subscriber.next_reply();
  ASSERT_TRUE(message) << subscriber.last_error();
  EXPECT_EQ(message->elements, (std::vector<std::string>{"message", channel, "slot_taken"}));
}

TEST_F(redis_client, selects_the_database_of_the_url) {
  REQUIRE_REDIS();
  auto url = *mundoctor::testing::test_redis_url();
  client_ = spawn_redis_client(*sys_, url + "/3");
  auto key = random_key("mundoctor:test:db");
  ASSERT_TRUE(command({"SET", key, "x", "EX", "60"}).reply);

  redis_connection db0;
  ASSERT_TRUE(db0.connect(*parse_redis_url(url), std::chrono::milliseconds{500},
                          std::chrono::milliseconds{2000}));
  auto in_db0 = db0.command({"EXISTS", key});
  ASSERT_TRUE(in_db0);
  EXPECT_EQ(in_db0->integer, 0);
  command({"DEL", key});
}

TEST_F(redis_client, ping_answers_true_when_redis_is_up) {
  REQUIRE_REDIS();
  client_ = spawn_redis_client(*sys_, *mundoctor::testing::test_redis_url());
  EXPECT_EQ(ping(), true);
}

TEST_F(redis_client, unavailable_when_nothing_listens) {
  client_ = spawn_redis_client(*sys_, "redis://127.0.0.1:" + std::to_string(closed_port()));
  for (int i = 0; i < 3; ++i) {
    auto out = command({"GET", "k"});
    EXPECT_FALSE(out.reply);
    EXPECT_EQ(inspect_error(out.error).code, errc::unavailable);
  }
  EXPECT_EQ(ping(), false);
}

TEST_F(redis_client, unavailable_when_not_configured_or_invalid) {
  for (const char* url : {"", "not a url"}) {
    client_ = spawn_redis_client(*sys_, url);
    EXPECT_EQ(inspect_error(command({"GET", "k"}).error).code, errc::unavailable) << url;
    EXPECT_EQ(ping(), false) << url;
    caf::anon_send_exit(client_, caf::exit_reason::user_shutdown);
    client_ = caf::actor{};
  }
}

TEST(redis_connection_sync, connect_fails_on_a_closed_port_with_an_error_text) {
  redis_connection conn;
  redis_endpoint ep{"127.0.0.1", closed_port(), 0};
  EXPECT_FALSE(conn.connect(ep, std::chrono::milliseconds{200}, std::chrono::milliseconds{200}));
  EXPECT_FALSE(conn.ok());
  EXPECT_FALSE(conn.last_error().empty());
  EXPECT_FALSE(conn.command({"PING"}));
}

TEST(redis_connection_sync, moves_keep_the_connection) {
  REQUIRE_REDIS();
  redis_connection first;
  ASSERT_TRUE(first.connect(*parse_redis_url(*mundoctor::testing::test_redis_url()),
                            std::chrono::milliseconds{500}, std::chrono::milliseconds{2000}));
  redis_connection second{std::move(first)};
  EXPECT_TRUE(second.ok());
  auto pong = second.command({"PING"});
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->str, "PONG");
}

}  // namespace
}  // namespace mundoctor::persistence
