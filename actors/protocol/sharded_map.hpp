#pragma once

// A string-keyed map that several threads share: split in shards with a lock each, at most a
// given number of entries in all, entries optionally expiring. The caches that let the HTTP
// threads skip work are built on it: the user service's principals and the professional
// directory's ids (each written by its actor only, read by the HTTP threads), verified tokens,
// and the directory search's in-process cache.

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace mundoctor {

/// A string-keyed map split in shards with a lock each, at most `capacity` entries in all.
template <class Entry>
class sharded_map {
 public:
  using map_type = std::unordered_map<std::string, Entry>;

  explicit sharded_map(size_t capacity) : per_shard_(std::max<size_t>(1, capacity / count)) {}

  /// Runs `fn(map)` on the shard of `key`, under its lock.
  template <class Fn>
  auto with(const std::string& key, Fn&& fn) const {
    auto& s = shards_[std::hash<std::string>{}(key) % count];
    std::lock_guard<std::mutex> guard{s.mutex};
    return fn(s.entries);
  }

  /// Inserts or replaces; a full shard first drops the entries `expired` selects, then
  /// arbitrary ones down to 90 %.
  template <class Expired>
  void put(const std::string& key, Entry entry, Expired expired) {
    with(key, [&](map_type& entries) {
      if (entries.size() >= per_shard_) {
        for (auto it = entries.begin(); it != entries.end();)
          it = expired(it->second) ? entries.erase(it) : std::next(it);
        for (auto it = entries.begin();
             it != entries.end() && entries.size() >= per_shard_ * 9 / 10;)
          it = entries.erase(it);
      }
      entries[key] = std::move(entry);
    });
  }

  /// Inserts or replaces an entry that never expires.
  void put(const std::string& key, Entry entry) {
    put(key, std::move(entry), [](const Entry&) { return false; });
  }

  /// A copy of the entry of `key`, if any.
  std::optional<Entry> find(const std::string& key) const {
    return find(key, [](const Entry&) { return false; });
  }

  /// A copy of the entry of `key` unless `expired(entry)`; an expired entry is dropped.
  template <class Expired>
  std::optional<Entry> find(const std::string& key, Expired expired) const {
    return with(key, [&](map_type& entries) -> std::optional<Entry> {
      auto it = entries.find(key);
      if (it == entries.end()) return std::nullopt;
      if (expired(it->second)) {
        entries.erase(it);
        return std::nullopt;
      }
      return it->second;
    });
  }

  void erase(const std::string& key) {
    with(key, [&](map_type& entries) { entries.erase(key); });
  }

  void clear() {
    for (auto& s : shards_) {
      std::lock_guard<std::mutex> guard{s.mutex};
      s.entries.clear();
    }
  }

  size_t size() const {
    size_t n = 0;
    for (const auto& s : shards_) {
      std::lock_guard<std::mutex> guard{s.mutex};
      n += s.entries.size();
    }
    return n;
  }

 private:
  struct shard {
    mutable std::mutex mutex;
    map_type entries;
  };
  static constexpr size_t count = 16;
  size_t per_shard_;
  mutable std::array<shard, count> shards_;
};

}  // namespace mundoctor
