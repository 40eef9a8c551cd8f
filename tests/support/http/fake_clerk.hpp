#pragma once

// A stand-in for the Clerk Backend API on 127.0.0.1:<ephemeral>: it records every request and
// answers 200 with "{}", either at once or only when the test releases the held answers (so a
// caller that waited for Clerk would be seen waiting). Keep it alive longer than any runtime
// that calls it.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/settings.hpp"
#include "http/message.hpp"

namespace mundoctor::http {
class server;
}

namespace mundoctor::testing {

/// Polls `check` every 50 ms until it holds or `limit` has passed; false when it never held.
/// For effects that happen after the answer, such as Clerk calls and audit rows.
bool eventually(const std::function<bool()>& check,
                std::chrono::milliseconds limit = std::chrono::seconds{5});

class fake_clerk {
 public:
  enum class answers { at_once, when_released };

  explicit fake_clerk(answers mode = answers::at_once);
  /// Releases the held answers, then stops.
  ~fake_clerk();
  fake_clerk(const fake_clerk&) = delete;
  fake_clerk& operator=(const fake_clerk&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// Every request received so far, oldest first.
  std::vector<http::request> received();
  /// The public_metadata of every request to /v1/users/<user>/metadata.
  std::vector<nlohmann::json> metadata_of(const std::string& user);
  /// Answers every held request 200.
  void release();

 private:
  void on_request(http::request req, std::function<void(http::response)> done);

  answers mode_;
  config::settings settings_;
  std::unique_ptr<http::server> server_;
  uint16_t port_ = 0;
  std::mutex mutex_;
  std::vector<http::request> received_;
  std::vector<std::function<void(http::response)>> held_;
};

}  // namespace mundoctor::testing
