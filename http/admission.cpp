#include "http/admission.hpp"

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
  }
}

}  // namespace

admission_gate::admission_gate(std::size_t limit, std::chrono::milliseconds max_wait)
    : limit_(limit == 0 ? 1 : limit), max_wait_(max_wait) {}

void admission_gate::take_ready(std::deque<waiter>& to_start, std::deque<waiter>& to_shed) {
  auto now = clock::now();
  while (active_ < limit_ && !waiting_.empty()) {
    auto w = std::move(waiting_.front());
    waiting_.pop_front();
    wait_seconds_ += std::chrono::duration<double>(now - w.since).count();
    if (now - w.since > max_wait_) {
      ++shed_;
      to_shed.push_back(std::move(w));
      continue;
    }
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
  while (!pending.jobs.empty()) {
    auto job = std::move(pending.jobs.front());
    pending.jobs.pop_front();
    if (job) run_guarded(job);
  }
  pending.running = false;
}

void admission_gate::enter(std::function<void()> start, std::function<void()> shed) {
  std::deque<waiter> to_start;
  std::deque<waiter> to_shed;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    if (active_ < limit_ && waiting_.empty()) {
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
    if (active_ > 0) --active_;
    take_ready(to_start, to_shed);
  }
  run(std::move(to_start), std::move(to_shed));
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
