#pragma once

// Admission for calendar work: at most `limit` requests of the routes that take part (booking
// decisions, availability; route_options::admission) run at once; the others wait in arrival
// order and start as places free up. Without it, under a load larger than the machine, every
// request already read from its socket is in the actors' mailboxes and the database pool's
// queue at once, so a booking that has to commit waits behind all of them at every step; with
// it those queues stay short, the waiting happens here, first come first served, and the
// bookings waiting for their commit are few, so they commit sooner. A request that waits longer
// than `max_wait` is answered 503 (the server is overloaded) instead of being started: checked
// whenever a request enters or leaves, and by a sweeper thread every `max_wait / 8` (at most
// every 100 ms) in case nothing does.
//
// Thread-safe. `start` and `shed` run on the thread that enters, leaves or sweeps, never under
// the gate's lock, and never nested: a start that answers at once (and so leaves) on the same
// thread has the next waiting request started by the loop already running there.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace mundoctor::http {

struct admission_stats {
  std::size_t limit = 0;
  std::size_t active = 0;   // requests holding a place now
  std::size_t waiting = 0;  // requests waiting for one now
  uint64_t admitted = 0;    // requests started, at once or after waiting
  uint64_t queued = 0;      // of those and the shed ones: requests that had to wait
  uint64_t shed = 0;        // requests answered 503 after waiting longer than max_wait
  double wait_seconds = 0;  // summed time waited by the admitted and the shed
};

class admission_gate {
 public:
  using clock = std::chrono::steady_clock;

  /// `sweep`: whether a thread of the gate's own sheds waiters past max_wait when no request
  /// enters or leaves (tests drive expire() themselves).
  admission_gate(std::size_t limit, std::chrono::milliseconds max_wait, bool sweep = true);
  ~admission_gate();
  admission_gate(const admission_gate&) = delete;
  admission_gate& operator=(const admission_gate&) = delete;

  /// Runs `start` now if a place is free (the request then holds it until leave()), else
  /// queues it. A queued request gets `start` once a place is free, or `shed` (holding no
  /// place) if by then it waited longer than max_wait.
  void enter(std::function<void()> start, std::function<void()> shed);

  /// Gives back the place of a started request; starts the next waiting one in its place.
  void leave();

  /// Sheds the waiters that waited longer than max_wait.
  void expire();

  /// Sheds every waiter, and from now on every newcomer (at shutdown, before the handlers go).
  void close();

  admission_stats stats() const;

 private:
  using job = std::function<void()>;
  struct waiter {
    job start;
    job shed;
    clock::time_point since;
  };
  // Under the lock: the waiters past max_wait (all of them once closed) are shed, then waiters
  // take the free places; what is due to run is appended to `due`, in that order.
  void shed_expired(std::vector<job>& due);
  void fill_places(std::vector<job>& due);
  // Runs `due` on this thread, outside the lock, never nested (see the file comment).
  static void run(std::vector<job> due);
  void sweep_until_closed();

  const std::size_t limit_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mutex_;
  std::size_t active_ = 0;
  std::deque<waiter> waiting_;
  uint64_t admitted_ = 0;
  uint64_t queued_ = 0;
  uint64_t shed_ = 0;
  double wait_seconds_ = 0;
  bool closed_ = false;
  std::condition_variable closing_;
  std::thread sweeper_;
};

}  // namespace mundoctor::http
