#include "http/middleware/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace mundoctor::http {

rate_limiter::rate_limiter(double rate_per_second, double burst, std::size_t max_keys)
    : rate_(std::max(rate_per_second, 0.001)), burst_(std::max(burst, 1.0)), max_keys_(max_keys) {}

rate_limiter::decision rate_limiter::take(const std::string& key, clock::time_point now) {
  std::lock_guard<std::mutex> guard{mutex_};
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) evict_idle(now);
    it = buckets_.emplace(key, bucket{burst_, now}).first;
  }
  auto& b = it->second;
  std::chrono::duration<double> elapsed = now - b.last;
  b.tokens = std::min(burst_, b.tokens + elapsed.count() * rate_);
  b.last = now;
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  auto wait = std::ceil((1.0 - b.tokens) / rate_);
  return {false, static_cast<uint32_t>(std::max(1.0, wait))};
}

void rate_limiter::evict_idle(clock::time_point now) {
  // A bucket that has refilled completely holds no information: drop those first.
  auto full_after = std::chrono::duration<double>(burst_ / rate_);
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    if (now - it->second.last >= full_after)
      it = buckets_.erase(it);
    else
      ++it;
  }
  if (buckets_.size() >= max_keys_) buckets_.clear();
}

std::size_t rate_limiter::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return buckets_.size();
}

}  // namespace mundoctor::http
