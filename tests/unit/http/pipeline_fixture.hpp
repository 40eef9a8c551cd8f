#pragma once

// The request pipeline with test routes and a real actor system (no sockets, no database).
// Routes: GET /hello, GET|DELETE /items/:id, POST /echo (JSON), POST /raw (any body),
// GET /guarded (a filter wants X-Pass), /throws, /silent (never answers), /twice, /later (answers
// from another thread), /big, and /ask/{echo,silent,nobody} (through http::ask to an actor).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/metrics.hpp"
#include "http/pipeline.hpp"

namespace mundoctor::http {

// Only bounds a hang; no test asserts a duration.
inline constexpr auto answer_guard = std::chrono::seconds{10};
inline constexpr auto internal_detail = "password=hunter2 at db-7.internal";

using test_ping_atom = caf::atom_constant<caf::atom("tping")>;

// Collects what the pipeline hands to `done`, from any thread.
struct answer_log {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<response> answers;

  void add(response r) {
    std::lock_guard<std::mutex> guard{mutex};
    answers.push_back(std::move(r));
    cv.notify_all();
  }
  bool wait_first() {
    std::unique_lock<std::mutex> lock{mutex};
    return cv.wait_for(lock, answer_guard, [this] { return !answers.empty(); });
  }
};

inline request make_test_request(verb method, const std::string& target, std::string body = {},
                                 std::vector<std::pair<std::string, std::string>> headers = {}) {
  request req;
  req.method = method;
  req.target = target;
  auto q = target.find('?');
  req.path = *percent_decode(target.substr(0, q), false);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  for (auto& [k, v] : headers) req.headers.add(k, v);
  req.body = std::move(body);
  req.remote_ip = "10.0.0.1";
  return req;
}

inline nlohmann::json envelope_of(const response& res) { return nlohmann::json::parse(res.body); }

class pipeline_fixture : public ::testing::Test {
 protected:
  pipeline_fixture();
  ~pipeline_fixture() override;

  void add_test_routes();

  // Builds the pipeline on first use, so a test may change the settings first.
  pipeline& pipe();

  // Serves one request and returns the first answer; `answers` receives every answer.
  response serve(request req, std::shared_ptr<answer_log> answers = nullptr);

  caf::actor_system_config cfg_;
  caf::actor_system sys_;
  config::settings settings_;
  http_metrics metrics_;
  services svc_;
  std::shared_ptr<router> routes_ = std::make_shared<router>();
  std::unique_ptr<pipeline> pipe_;
  std::atomic<int> handler_runs_{0};
  std::vector<std::thread> threads_;
  caf::actor echo_;
  caf::actor silent_;
};

}  // namespace mundoctor::http
