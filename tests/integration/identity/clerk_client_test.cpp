// The Clerk write-back client against a small scripted HTTP server on 127.0.0.1.

#include "actors/identity/clerk_client.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "actors/protocol/atoms.hpp"
#include "actors/protocol/identity.hpp"

namespace mundoctor::testing {
namespace {

using actors::identity::clerk_client_stats;
using nlohmann::json;

struct recorded_request {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

// Answers each connection with the next scripted status (the last one repeats) and records
// the request. One connection at a time, each closed after its response.
class scripted_server {
 public:
  explicit scripted_server(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len);
    ::listen(fd_, 8);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }

  ~scripted_server() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }

  scripted_server(const scripted_server&) = delete;
  scripted_server& operator=(const scripted_server&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  std::vector<recorded_request> requests() {
    std::lock_guard<std::mutex> guard{mtx_};
    return requests_;
  }

 private:
  void run() {
    while (!stop_) {
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      serve(client);
      ::close(client);
    }
  }

  void serve(int client) {
    std::string data;
    char buf[4096];
    size_t head_end = std::string::npos;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos) {
      auto n = ::recv(client, buf, sizeof(buf), 0);
      if (n <= 0) return;
      data.append(buf, static_cast<size_t>(n));
    }
    auto req = parse_head(data.substr(0, head_end));
    size_t length =
        req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
    req.body = data.substr(head_end + 4);
    while (req.body.size() < length) {
      auto n = ::recv(client, buf, sizeof(buf), 0);
      if (n <= 0) break;
      req.body.append(buf, static_cast<size_t>(n));
    }
    int status = 0;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      status = statuses_[std::min(requests_.size(), statuses_.size() - 1)];
      requests_.push_back(req);
    }
    auto response = "HTTP/1.1 " + std::to_string(status) +
                    " Scripted\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    "Connection: close\r\n\r\n{}";
    ::send(client, response.data(), response.size(), MSG_NOSIGNAL);
  }

  static recorded_request parse_head(const std::string& head) {
    recorded_request req;
    size_t pos = head.find("\r\n");
    auto line = head.substr(0, pos);
    auto sp1 = line.find(' ');
    auto sp2 = line.find(' ', sp1 + 1);
    req.method = line.substr(0, sp1);
    req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (pos != std::string::npos && pos < head.size()) {
      auto next = head.find("\r\n", pos + 2);
      auto header =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      auto colon = header.find(':');
      if (colon != std::string::npos) {
        auto name = header.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto value = header.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        req.headers[name] = value;
      }
      pos = next;
    }
    return req;
  }

  std::vector<int> statuses_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mtx_;
  std::vector<recorded_request> requests_;
  std::thread thread_;
};

class clerk_client : public ::testing::Test {
 protected:
  // Sends one update and waits until the client has finished with it (sent or given up).
  clerk_client_stats send_one(scripted_server& server, uint32_t max_attempts = 5) {
    settings_.clerk_api_url = server.url();
    settings_.clerk_secret_key = "sk_test_secret";
    settings_.clerk_max_attempts = max_attempts;
    auto client =
        actors::identity::spawn_clerk_client(sys_, settings_, std::chrono::milliseconds{10});
    caf::anon_send(client, clerk_metadata_atom::value, std::string{"user_x"},
                   std::string{R"({"role":"professional","verified":false})"},
                   std::string{R"({"role":"professional"})"});
    clerk_client_stats stats;
    caf::scoped_actor self{sys_};
    for (int round = 0; round < 1200 && stats.sent + stats.failed == 0; ++round) {
      self->request(client, std::chrono::seconds{30}, stats_atom::value)
          .receive([&](clerk_client_stats& s) { stats = s; }, [](caf::error&) {});
      if (stats.sent + stats.failed == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds{25});
    }
    self->send_exit(client, caf::exit_reason::user_shutdown);
    return stats;
  }

  static caf::actor_system_config& two_threads(caf::actor_system_config& cfg) {
    cfg.set("scheduler.max-threads", 2);
    return cfg;
  }

  caf::actor_system_config cfg_;
  caf::actor_system sys_{two_threads(cfg_)};
  config::settings settings_;
};

TEST_F(clerk_client, patches_the_user_metadata_with_the_bearer_key) {
  scripted_server server{{200}};
  auto stats = send_one(server);
  EXPECT_EQ(stats.sent, 1U);
  EXPECT_EQ(stats.failed, 0U);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "PATCH");
  EXPECT_EQ(requests[0].target, "/v1/users/user_x/metadata");
  EXPECT_EQ(requests[0].headers["authorization"], "Bearer sk_test_secret");
  EXPECT_EQ(requests[0].headers["content-type"], "application/json");
  auto body = json::parse(requests[0].body);
  EXPECT_EQ(body["public_metadata"], (json{{"role", "professional"}, {"verified", false}}));
  EXPECT_EQ(body["unsafe_metadata"], (json{{"role", "professional"}}));
}

TEST_F(clerk_client, server_errors_are_retried_until_success) {
  scripted_server server{{503, 503, 200}};
  auto stats = send_one(server);
  EXPECT_EQ(stats.sent, 1U);
  EXPECT_EQ(stats.requests, 3U);
  EXPECT_EQ(server.requests().size(), 3U);
}

TEST_F(clerk_client, a_client_error_is_not_retried) {
  scripted_server server{{400, 200}};
  auto stats = send_one(server);
  EXPECT_EQ(stats.sent, 0U);
  EXPECT_EQ(stats.failed, 1U);
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST_F(clerk_client, gives_up_after_the_configured_attempts) {
  scripted_server server{{429}};
  auto stats = send_one(server, 3);
  EXPECT_EQ(stats.failed, 1U);
  EXPECT_EQ(server.requests().size(), 3U);
}

}  // namespace
}  // namespace mundoctor::testing
