#include "tests/support/http/fake_clerk.hpp"

#include <thread>
#include <utility>

#include "http/server.hpp"

namespace mundoctor::testing {

namespace {

http::response ok() {
  http::response res;
  res.headers.set("content-type", "application/json");
  res.body = "{}";
  return res;
}

}  // namespace

bool eventually(const std::function<bool()>& check, std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!check()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return true;
}

fake_clerk::fake_clerk(answers mode) : mode_{mode} {
  settings_.listen = {{"127.0.0.1", 0}};
  settings_.http_threads = 1;
  server_ = std::make_unique<http::server>(
      settings_,
      [this](http::request req, std::function<void(http::response)> done) {
        on_request(std::move(req), std::move(done));
      },
      nullptr);
  port_ = server_->start().front();
}

fake_clerk::~fake_clerk() {
  release();
  server_->stop();
}

void fake_clerk::on_request(http::request req, std::function<void(http::response)> done) {
  {
    std::lock_guard<std::mutex> guard{mutex_};
    received_.push_back(std::move(req));
    if (mode_ == answers::when_released) {
      held_.push_back(std::move(done));
      return;
    }
  }
  done(ok());
}

std::vector<http::request> fake_clerk::received() {
  std::lock_guard<std::mutex> guard{mutex_};
  return received_;
}

std::vector<nlohmann::json> fake_clerk::metadata_of(const std::string& user) {
  std::lock_guard<std::mutex> guard{mutex_};
  std::vector<nlohmann::json> out;
  for (const auto& r : received_)
    if (r.path == "/v1/users/" + user + "/metadata")
      out.push_back(
          nlohmann::json::parse(r.body, nullptr, false).value("public_metadata", nlohmann::json{}));
  return out;
}

void fake_clerk::release() {
  std::vector<std::function<void(http::response)>> held;
  {
    std::lock_guard<std::mutex> guard{mutex_};
    held.swap(held_);
  }
  for (auto& done : held) done(ok());
}

}  // namespace mundoctor::testing
