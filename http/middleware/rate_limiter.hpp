#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mundoctor::http {

/// Token buckets per key (client IP here; user id later): `rate` tokens per second up to
/// `burst`. Thread-safe; idle buckets are dropped so memory stays bounded.
class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  rate_limiter(double rate_per_second, double burst, std::size_t max_keys = 100'000);

  struct decision {
    bool allowed = true;
    uint32_t retry_after_s = 0;  // when refused: seconds until one token is back
  };

  decision take(const std::string& key, clock::time_point now = clock::now());
  std::size_t size() const;

 private:
  struct bucket {
    double tokens;
    clock::time_point last;
  };
  void evict_idle(clock::time_point now);

  double rate_;
  double burst_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace mundoctor::http
