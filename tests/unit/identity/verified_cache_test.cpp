#include "actors/identity/verified_cache.hpp"

#include <gtest/gtest.h>

namespace mundoctor::actors::identity {
namespace {

using namespace std::chrono_literals;

verified_token claims_for(const std::string& sub, int64_t exp) {
  verified_token t;
  t.sub = sub;
  t.exp = exp;
  return t;
}

TEST(token_cache, a_stored_token_is_found_with_its_claims_until_it_expires) {
  token_cache cache;
  cache.put("tok", nullptr, claims_for("user_a", 1'000));
  auto hit = cache.find("tok", nullptr, 990, 5);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->sub, "user_a");
  EXPECT_TRUE(cache.find("tok", nullptr, 1'005, 5)) << "within the leeway";
  EXPECT_FALSE(cache.find("tok", nullptr, 1'006, 5)) << "past exp + leeway";
  EXPECT_EQ(cache.size(), 0u) << "an expired token is dropped";
  EXPECT_FALSE(cache.find("other", nullptr, 990, 5));
}

TEST(token_cache, a_token_verified_with_another_key_set_is_verified_again) {
  token_cache cache;
  auto old_keys = std::make_shared<const key_set>();
  auto new_keys = std::make_shared<const key_set>();
  cache.put("tok", old_keys, claims_for("user_a", 1'000));
  EXPECT_TRUE(cache.find("tok", old_keys.get(), 10, 0));
  EXPECT_FALSE(cache.find("tok", new_keys.get(), 10, 0));
  EXPECT_FALSE(cache.find("tok", old_keys.get(), 10, 0)) << "the stale entry was dropped";
}

TEST(token_cache, stays_within_its_capacity) {
  token_cache cache{64};
  for (int i = 0; i < 1'000; ++i)
    cache.put("tok" + std::to_string(i), nullptr, claims_for("u", 4'000'000'000));
  EXPECT_LE(cache.size(), 64u);
  EXPECT_GT(cache.size(), 0u);
  EXPECT_TRUE(cache.find("tok999", nullptr, 10, 0)) << "the newest entry is kept";
}

TEST(principal_cache, remembers_until_the_deadline_and_forgets_on_request) {
  principal_cache cache;
  auto now = principal_cache::clock_type::now();
  cache.remember({"user_a", "patient", "active"}, now + 1h);
  cache.remember({"user_b", "admin", "active"}, now - 1s);
  auto a = cache.find("user_a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->role, "patient");
  EXPECT_FALSE(cache.find("user_b")) << "expired";
  cache.remember({"user_a", "patient", "suspended"}, now + 1h);
  EXPECT_EQ(cache.find("user_a")->status, "suspended") << "a newer answer replaces the old";
  cache.forget("user_a");
  EXPECT_FALSE(cache.find("user_a"));
  EXPECT_EQ(cache.size(), 0u);
}

TEST(principal_cache, stays_within_its_capacity_dropping_expired_entries_first) {
  principal_cache cache{32};
  auto now = principal_cache::clock_type::now();
  for (int i = 0; i < 500; ++i)
    cache.remember({"user_" + std::to_string(i), "patient", "active"}, now + 1h);
  EXPECT_LE(cache.size(), 32u);
  EXPECT_TRUE(cache.find("user_499"));

  // A cache full of expired entries makes room from them, not from the live ones.
  principal_cache big{1'600};
  for (int i = 0; i < 1'600; ++i)
    big.remember({"gone_" + std::to_string(i), "patient", "active"}, now - 1s);
  for (int i = 0; i < 400; ++i)
    big.remember({"live_" + std::to_string(i), "patient", "active"}, now + 1h);
  for (int i = 0; i < 400; ++i)
    EXPECT_TRUE(big.find("live_" + std::to_string(i))) << "live_" << i << " was dropped";
  EXPECT_LE(big.size(), 1'600u);
}

}  // namespace
}  // namespace mundoctor::actors::identity
