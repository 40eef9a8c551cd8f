#include "http/admission.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <spdlog/spdlog.h>

namespace mundoctor::http {

namespace {

// Work this thread is starting for the gate: a start that leaves at once on the same thread
// appends here instead of starting the next request inside itself.
struct pending_work {
  bool running = false;
  std::deque<std::function<void()>> jobs;
};
thread_local pending_work pending;

void run_guarded(const std::function<void()>& job) {
  try {
    job();
  } catch (const std::exception& e) {
    spdlog::error("a request admitted by the gate failed to start: {}", e.what());
  } catch (...) {
    spdlog::error("a request admitted by the gate failed to start");
  }
}

}  // namespace

admission_gate::admission_gate(std::size_t limit, std::chrono::milliseconds max_wait, bool sweep)
    : limit_(limit == 0 ? 1 : limit), max_wait_(max_wait) {
  if (sweep) sweeper_ = std::thread([this] { sweep_until_closed(); });
}

admission_gate::~admission_gate() {
  close();
  if (sweeper_.joinable()) sweeper_.join();
}

void admission_gate::shed_expired(std::vector<job>& due) {
  auto now = clock::now();
  while (!waiting_.empty() && (closed_ || now - waiting_.front().since > max_wait_)) {
    wait_seconds_ += std::chrono::duration<double>(now - waiting_.front().since).count();
    ++shed_;
    due.push_back(std::move(waiting_.front().shed));
    waiting_.pop_front();
  }
}

void admission_gate::fill_places(std::vector<job>& due) {
  shed_expired(due);
  auto now = clock::now();
  while (active_ < limit_ && !waiting_.empty()) {
    wait_seconds_ += std::chrono::duration<double>(now - waiting_.front().since).count();
    ++active_;
    ++admitted_;
    due.push_back(std::move(waiting_.front().start));
    waiting_.pop_front();
  }
}

void admission_gate::run(std::vector<job> due) {
  for (auto& j : due) pending.jobs.push_back(std::move(j));
  if (pending.running) return;  // the loop below, further up this thread's stack, runs them
  pending.running = true;
  struct reset {
    ~reset() { pending.running = false; }
  } at_exit;
  while (!pending.jobs.empty()) {
    auto next = std::move(pending.jobs.front());
    pending.jobs.pop_front();
    if (next) run_guarded(next);
  }
}

// Invariant, kept by every member under the lock: a free place means nobody is waiting.
void admission_gate::enter(std::function<void()> start, std::function<void()> shed) {
  std::vector<job> due;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    shed_expired(due);
    if (closed_) {
      ++shed_;
      due.push_back(std::move(shed));
    } else if (active_ < limit_) {
      ++active_;
      ++admitted_;
      due.push_back(std::move(start));
    } else {
      ++queued_;
      waiting_.push_back({std::move(start), std::move(shed), clock::now()});
    }
  }
  run(std::move(due));
}

void admission_gate::leave() {
  std::vector<job> due;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (active_ == 0)
      spdlog::error("admission: a place was given back that was not taken");
    else
      --active_;
    fill_places(due);
  }
  run(std::move(due));
}

void admission_gate::expire() {
  std::vector<job> due;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    shed_expired(due);
  }
  run(std::move(due));
}

void admission_gate::close() {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    closed_ = true;
  }
  closing_.notify_all();
  expire();  // closed: every waiter is past its time
}

void admission_gate::sweep_until_closed() {
  auto period = std::clamp<std::chrono::milliseconds>(max_wait_ / 8, std::chrono::milliseconds{1},
                                                      std::chrono::milliseconds{100});
  std::unique_lock<std::mutex> lock{mutex_};
  while (!closing_.wait_for(lock, period, [this] { return closed_; })) {
    lock.unlock();
    expire();
    lock.lock();
  }
}

admission_stats admission_gate::stats() const {
  std::lock_guard<std::mutex> guard{mutex_};
  admission_stats out;
  out.limit = limit_;
  out.active = active_;
  out.waiting = waiting_.size();
  out.admitted = admitted_;
  out.queued = queued_;
  out.shed = shed_;
  out.wait_seconds = wait_seconds_;
  return out;
}

}  // namespace mundoctor::http
