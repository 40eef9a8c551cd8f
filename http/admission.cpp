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

void admission_gate::take_expired(std::deque<waiter>& to_shed) {
  auto now = clock::now();
  while (!waiting_.empty() && (closed_ || now - waiting_.front().since > max_wait_)) {
    auto w = std::move(waiting_.front());
    waiting_.pop_front();
    wait_seconds_ += std::chrono::duration<double>(now - w.since).count();
    ++shed_;
    to_shed.push_back(std::move(w));
  }
}

void admission_gate::take_ready(std::deque<waiter>& to_start, std::deque<waiter>& to_shed) {
  take_expired(to_shed);
  auto now = clock::now();
  while (active_ < limit_ && !waiting_.empty()) {
    auto w = std::move(waiting_.front());
    waiting_.pop_front();
    wait_seconds_ += std::chrono::duration<double>(now - w.since).count();
    ++active_;
    ++admitted_;
    to_start.push_back(std::move(w));
  }
}

void admission_gate::run(std::deque<waiter> to_start, std::deque<waiter> to_shed) {
  for (auto& w : to_shed) pending.jobs.push_back(std::move(w.shed));
  for (auto& w : to_start) pending.jobs.push_back(std::move(w.start));
  if (pending.running) return;  // the loop below, further up this thread's stack, runs them
  pending.running = true;
  struct reset {
    ~reset() { pending.running = false; }
  } at_exit;
  while (!pending.jobs.empty()) {
    auto job = std::move(pending.jobs.front());
    pending.jobs.pop_front();
    if (job) run_guarded(job);
  }
}

void admission_gate::enter(std::function<void()> start, std::function<void()> shed) {
  std::deque<waiter> to_start;
  std::deque<waiter> to_shed;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    take_expired(to_shed);
    if (closed_) {
      ++shed_;
      to_shed.push_back({{}, std::move(shed), clock::now()});
    } else if (active_ < limit_ && waiting_.empty()) {
      ++active_;
      ++admitted_;
      to_start.push_back({std::move(start), {}, clock::now()});
    } else {
      ++queued_;
      waiting_.push_back({std::move(start), std::move(shed), clock::now()});
      take_ready(to_start, to_shed);
    }
  }
  run(std::move(to_start), std::move(to_shed));
}

void admission_gate::leave() {
  std::deque<waiter> to_start;
  std::deque<waiter> to_shed;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (active_ == 0)
      spdlog::error("admission: a place was given back that was not taken");
    else
      --active_;
    take_ready(to_start, to_shed);
  }
  run(std::move(to_start), std::move(to_shed));
}

void admission_gate::expire() {
  std::deque<waiter> to_shed;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    take_expired(to_shed);
  }
  run({}, std::move(to_shed));
}

void admission_gate::close() {
  std::deque<waiter> to_shed;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    closed_ = true;
    take_expired(to_shed);
  }
  closing_.notify_all();
  run({}, std::move(to_shed));
}

void admission_gate::sweep_until_closed() {
  auto period = std::clamp<std::chrono::milliseconds>(max_wait_ / 8, std::chrono::milliseconds{1},
                                                      std::chrono::milliseconds{100});
  std::unique_lock<std::mutex> lock{mutex_};
  while (!closed_) {
    closing_.wait_for(lock, period);
    if (closed_) return;
    std::deque<waiter> to_shed;
    take_expired(to_shed);
    if (to_shed.empty()) continue;
    lock.unlock();
    run({}, std::move(to_shed));
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
