#include "http/admission.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace mundoctor::http {
namespace {

using namespace std::chrono_literals;

constexpr auto long_wait = std::chrono::milliseconds{60'000};

TEST(admission_gate, starts_up_to_the_limit_at_once_and_the_rest_in_arrival_order) {
  admission_gate gate{2, long_wait, false};
  std::vector<int> started;
  std::vector<int> shed;
  for (int i = 0; i < 5; ++i)
    gate.enter([&started, i] { started.push_back(i); }, [&shed, i] { shed.push_back(i); });
  EXPECT_EQ(started, (std::vector<int>{0, 1}));
  auto s = gate.stats();
  EXPECT_EQ(s.limit, 2u);
  EXPECT_EQ(s.active, 2u);
  EXPECT_EQ(s.waiting, 3u);
  gate.leave();
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2}));
  gate.leave();
  gate.leave();
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2, 3, 4}));
  s = gate.stats();
  EXPECT_EQ(s.active, 2u);  // 3 and 4 hold their places
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(s.admitted, 5u);
  EXPECT_EQ(s.queued, 3u);
  EXPECT_EQ(s.shed, 0u);
  EXPECT_TRUE(shed.empty());
  gate.leave();
  gate.leave();
  EXPECT_EQ(gate.stats().active, 0u);
}

TEST(admission_gate, a_newcomer_does_not_overtake_the_requests_already_waiting) {
  admission_gate gate{1, long_wait, false};
  std::vector<int> started;
  gate.enter([&started] { started.push_back(0); }, {});
  gate.enter([&started] { started.push_back(1); }, {});
  gate.leave();  // 1 starts in 0's place
  gate.enter([&started] { started.push_back(2); }, {});
  EXPECT_EQ(started, (std::vector<int>{0, 1}));
  gate.leave();
  EXPECT_EQ(started, (std::vector<int>{0, 1, 2}));
}

// Requests answered at once leave from inside their own start: the next one must start after
// it returns, not inside it, or a long line would nest as deep as it is long.
TEST(admission_gate, starts_that_leave_at_once_do_not_nest) {
  admission_gate gate{1, long_wait, false};
  constexpr int waiting = 20'000;
  int depth = 0;
  int deepest = 0;
  int runs = 0;
  std::function<void()> answer_at_once = [&] {
    ++depth;
    deepest = std::max(deepest, depth);
    ++runs;
    gate.leave();
    --depth;
  };
  gate.enter([] {}, {});  // holds the only place
  for (int i = 0; i < waiting; ++i) gate.enter(answer_at_once, {});
  EXPECT_EQ(runs, 0);
  gate.leave();
  EXPECT_EQ(runs, waiting);
  EXPECT_EQ(deepest, 1);
  EXPECT_EQ(gate.stats().active, 0u);
  EXPECT_EQ(gate.stats().waiting, 0u);
}

TEST(admission_gate, a_request_that_waited_too_long_is_shed_and_the_place_goes_on) {
  admission_gate gate{1, 1ms, false};
  std::vector<int> started;
  std::vector<int> shed;
  gate.enter([&started] { started.push_back(0); }, [&shed] { shed.push_back(0); });
  gate.enter([&started] { started.push_back(1); }, [&shed] { shed.push_back(1); });
  EXPECT_TRUE(shed.empty());
  std::this_thread::sleep_for(20ms);  // 1 has now waited longer than 1 ms
  gate.enter([&started] { started.push_back(2); }, [&shed] { shed.push_back(2); });
  EXPECT_EQ(shed, (std::vector<int>{1}));  // seen as the next one came
  std::this_thread::sleep_for(20ms);
  gate.expire();
  EXPECT_EQ(shed, (std::vector<int>{1, 2}));
  gate.leave();
  EXPECT_EQ(started, (std::vector<int>{0}));
  auto s = gate.stats();
  EXPECT_EQ(s.active, 0u);
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(s.shed, 2u);
  EXPECT_EQ(s.admitted, 1u);
  EXPECT_GT(s.wait_seconds, 0.0);
  gate.enter([&started] { started.push_back(3); }, {});  // the place is free again
  EXPECT_EQ(started, (std::vector<int>{0, 3}));
}

TEST(admission_gate, the_sweeper_sheds_a_waiter_when_nothing_else_happens) {
  admission_gate gate{1, 8ms};
  std::mutex mutex;
  std::condition_variable cv;
  bool shed = false;
  gate.enter([] {}, {});  // holds the only place and never gives it back here
  gate.enter([] { ADD_FAILURE() << "no place was given back"; },
             [&] {
               std::lock_guard<std::mutex> guard{mutex};
               shed = true;
               cv.notify_all();
             });
  std::unique_lock<std::mutex> lock{mutex};
  EXPECT_TRUE(cv.wait_for(lock, 10s, [&] { return shed; }));  // bounds a hang only
  lock.unlock();
  EXPECT_EQ(gate.stats().shed, 1u);
  gate.leave();
}

TEST(admission_gate, closing_sheds_the_waiters_and_every_newcomer) {
  admission_gate gate{1, long_wait, false};
  std::vector<int> started;
  std::vector<int> shed;
  gate.enter([&started] { started.push_back(0); }, [&shed] { shed.push_back(0); });
  gate.enter([&started] { started.push_back(1); }, [&shed] { shed.push_back(1); });
  gate.close();
  EXPECT_EQ(shed, (std::vector<int>{1}));
  gate.enter([&started] { started.push_back(2); }, [&shed] { shed.push_back(2); });
  EXPECT_EQ(shed, (std::vector<int>{1, 2}));
  gate.leave();  // the running request still gives its place back
  EXPECT_EQ(started, (std::vector<int>{0}));
  EXPECT_EQ(gate.stats().active, 0u);
}

TEST(admission_gate, never_runs_more_than_the_limit_from_many_threads) {
  constexpr std::size_t limit = 3;
  admission_gate gate{limit, long_wait, false};
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::atomic<int> finished{0};
  constexpr int threads = 8;
  constexpr int per_thread = 2'000;
  // A started request leaves later, from a thread of its own; a fixed number of them run.
  std::vector<std::thread> workers;
  std::vector<std::function<void()>> to_leave;
  std::mutex to_leave_mutex;
  std::atomic<bool> entering_done{false};
  auto give_up = std::chrono::steady_clock::now() + 60s;  // bounds a hang only
  std::thread leaver([&] {
    for (;;) {
      std::function<void()> next;
      {
        std::lock_guard<std::mutex> guard{to_leave_mutex};
        if (!to_leave.empty()) {
          next = std::move(to_leave.back());
          to_leave.pop_back();
        }
      }
      if (next) {
        next();
        continue;
      }
      if (entering_done && finished == threads * per_thread) return;
      if (std::chrono::steady_clock::now() > give_up) return;  // a lost start fails below
      std::this_thread::yield();
    }
  });
  for (int t = 0; t < threads; ++t)
    workers.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        gate.enter(
            [&] {
              int now = ++running;
              int seen = most;
              while (now > seen && !most.compare_exchange_weak(seen, now)) {
              }
              std::lock_guard<std::mutex> guard{to_leave_mutex};
              to_leave.emplace_back([&] {
                --running;
                ++finished;
                gate.leave();
              });
            },
            [] { ADD_FAILURE() << "nothing waits a minute here"; });
      }
    });
  for (auto& w : workers) w.join();
  entering_done = true;
  leaver.join();
  EXPECT_EQ(finished, threads * per_thread);
  EXPECT_LE(most.load(), static_cast<int>(limit));
  auto s = gate.stats();
  EXPECT_EQ(s.active, 0u);
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(s.admitted, static_cast<uint64_t>(threads * per_thread));
}

}  // namespace
}  // namespace mundoctor::http
