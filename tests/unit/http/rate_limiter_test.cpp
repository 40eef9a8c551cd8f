// Per-key token buckets, driven by an injected clock.

#include "http/middleware/rate_limiter.hpp"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

namespace mundoctor::http {
namespace {

using namespace std::chrono_literals;

// -- rate limiter --------------------------------------------------------------------------------

TEST(rate_limiter, allows_the_burst_then_refuses_with_retry_after) {
  rate_limiter limiter{1.0, 3.0};
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("1.2.3.4", t0).allowed) << i;
  auto refused = limiter.take("1.2.3.4", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 1u);
  // Another key has its own bucket.
  EXPECT_TRUE(limiter.take("5.6.7.8", t0).allowed);
}

TEST(rate_limiter, retry_after_reflects_the_refill_rate) {
  rate_limiter limiter{0.1, 1.0};  // one token every ten seconds
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  auto refused = limiter.take("k", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_s, 10u);
}

TEST(rate_limiter, refills_over_time) {
  rate_limiter limiter{2.0, 2.0};
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  EXPECT_TRUE(limiter.take("k", t0).allowed);
  EXPECT_FALSE(limiter.take("k", t0).allowed);
  EXPECT_FALSE(limiter.take("k", t0 + 100ms).allowed);  // 0.2 tokens back
  EXPECT_TRUE(limiter.take("k", t0 + 500ms).allowed);   // one token back
  EXPECT_FALSE(limiter.take("k", t0 + 500ms).allowed);
  // After a long pause the bucket is full again but never above the burst.
  auto later = t0 + 1h;
  EXPECT_TRUE(limiter.take("k", later).allowed);
  EXPECT_TRUE(limiter.take("k", later).allowed);
  EXPECT_FALSE(limiter.take("k", later).allowed);
}

TEST(rate_limiter, number_of_buckets_stays_bounded) {
  rate_limiter limiter{1.0, 5.0, 10};
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  for (int i = 0; i < 100; ++i) {
    limiter.take("ip-" + std::to_string(i), t0 + std::chrono::milliseconds{i});
    EXPECT_LE(limiter.size(), 10u) << i;
  }
}

TEST(rate_limiter, eviction_drops_refilled_buckets_and_keeps_busy_ones) {
  rate_limiter limiter{1.0, 2.0, 3};
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  limiter.take("idle-1", t0);
  limiter.take("idle-2", t0);
  auto t1 = t0 + 10s;  // both idle buckets are full again
  EXPECT_TRUE(limiter.take("busy", t1).allowed);
  EXPECT_TRUE(limiter.take("busy", t1).allowed);
  EXPECT_FALSE(limiter.take("busy", t1).allowed);
  limiter.take("new", t1);  // the table is full: the refilled buckets go
  EXPECT_EQ(limiter.size(), 2u);
  EXPECT_FALSE(limiter.take("busy", t1).allowed);  // its empty bucket was kept
}

}  // namespace
}  // namespace mundoctor::http
