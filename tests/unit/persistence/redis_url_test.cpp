#include <gtest/gtest.h>

#include "persistence/redis_client.hpp"

namespace mundoctor::persistence {
namespace {

TEST(parse_redis_url, host_port_and_database) {
  auto ep = parse_redis_url("redis://cache.internal:6380/3");
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->host, "cache.internal");
  EXPECT_EQ(ep->port, 6380);
  EXPECT_EQ(ep->db, 3);
}

TEST(parse_redis_url, defaults_port_and_database) {
  auto ep = parse_redis_url("redis://127.0.0.1");
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 6379);
  EXPECT_EQ(ep->db, 0);
  auto slash = parse_redis_url("redis://127.0.0.1:7000/");
  ASSERT_TRUE(slash.has_value());
  EXPECT_EQ(slash->port, 7000);
  EXPECT_EQ(slash->db, 0);
}

TEST(parse_redis_url, rejects_what_is_not_a_redis_url) {
  for (const char* url :
       {"", "http://127.0.0.1:6379", "redis://", "redis://:6379", "redis://host:notaport",
        "redis://host:70000", "redis://host:0", "redis://host:6379/x", "redis://host:6379/-1",
        "redis://host:63a", "redis://user:secret@host:6379"})
    EXPECT_FALSE(parse_redis_url(url).has_value()) << url;
}

TEST(redis_connection, is_not_ok_before_connecting_and_commands_fail) {
  redis_connection conn;
  EXPECT_FALSE(conn.ok());
  EXPECT_FALSE(conn.command({"PING"}).has_value());
}

}  // namespace
}  // namespace mundoctor::persistence
