#include "tests/support/http/ws_client.hpp"

#include <deque>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace mundoctor::testing {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;

struct ws_client::impl {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buffer;
  std::deque<std::string> inbox;
  bool reading = false;
  bool ended = false;

  // One read stays pending; each message lands in the inbox.
  void arm() {
    if (reading || ended) return;
    reading = true;
    ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        ended = true;
        return;
      }
      inbox.push_back(beast::buffers_to_string(buffer.data()));
      buffer.consume(buffer.size());
      arm();
    });
  }

  /// Runs handlers until `done` or the deadline; returns done().
  template <class Done>
  bool run_until(Done done, std::chrono::milliseconds deadline) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (!done()) {
      auto now = std::chrono::steady_clock::now();
      if (now >= until) return false;
      if (ioc.stopped()) ioc.restart();
      if (ioc.run_one_for(until - now) == 0 && ioc.stopped() && !done()) return false;
    }
    return true;
  }

  void run_or_throw(bool& finished, beast::error_code& result, const char* what,
                    std::chrono::milliseconds deadline) {
    if (!run_until([&finished] { return finished; }, deadline))
      throw std::runtime_error(std::string{what} + ": deadline passed");
    if (result) throw std::runtime_error(std::string{what} + ": " + result.message());
  }
};

ws_client::ws_client(uint16_t port, const std::string& target, int receive_buffer,
                     std::chrono::milliseconds deadline)
    : impl_(std::make_unique<impl>()) {
  auto& layer = beast::get_lowest_layer(impl_->ws);
  if (receive_buffer > 0) {
    layer.socket().open(tcp::v4());
    layer.socket().set_option(net::socket_base::receive_buffer_size(receive_buffer));
  }
  bool finished = false;
  beast::error_code result;
  layer.expires_after(deadline);
  layer.async_connect(tcp::endpoint{net::ip::make_address_v4("127.0.0.1"), port},
                      [&](beast::error_code ec) {
                        result = ec;
                        finished = true;
                      });
  impl_->run_or_throw(finished, result, "connect", deadline);
  finished = false;
  impl_->ws.async_handshake("127.0.0.1:" + std::to_string(port), target, [&](beast::error_code ec) {
    result = ec;
    finished = true;
  });
  impl_->run_or_throw(finished, result, "websocket handshake", deadline);
  layer.expires_never();
}

ws_client::~ws_client() {
  if (impl_->ended) return;
  bool finished = false;
  impl_->ws.async_close(websocket::close_code::normal,
                        [&finished](beast::error_code) { finished = true; });
  impl_->run_until([&] { return finished || impl_->ended; }, std::chrono::milliseconds{1000});
  beast::error_code ec;
  beast::get_lowest_layer(impl_->ws).socket().close(ec);
}

void ws_client::send(const std::string& text, std::chrono::milliseconds deadline) {
  bool finished = false;
  beast::error_code result;
  impl_->ws.text(true);
  impl_->ws.async_write(net::buffer(text), [&](beast::error_code ec, std::size_t) {
    result = ec;
    finished = true;
  });
  impl_->run_or_throw(finished, result, "websocket write", deadline);
}

std::optional<std::string> ws_client::read(std::chrono::milliseconds deadline) {
  impl_->arm();
  impl_->run_until([this] { return !impl_->inbox.empty() || impl_->ended; }, deadline);
  if (impl_->inbox.empty()) return std::nullopt;
  auto text = std::move(impl_->inbox.front());
  impl_->inbox.pop_front();
  return text;
}

std::optional<nlohmann::json> ws_client::read_json(std::chrono::milliseconds deadline) {
  auto text = read(deadline);
  if (!text) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, false);
  return json.is_discarded() ? nlohmann::json() : json;
}

std::optional<nlohmann::json> ws_client::read_type(const std::string& type,
                                                   std::chrono::milliseconds deadline) {
  auto until = std::chrono::steady_clock::now() + deadline;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto msg = read_json(left);
    if (!msg) return std::nullopt;
    if (msg->is_object() && msg->contains("type") && (*msg)["type"] == type) return msg;
  }
}

bool ws_client::wait_for_close(std::chrono::milliseconds deadline) {
  impl_->arm();
  auto ended = impl_->run_until(
      [this] {
        impl_->inbox.clear();
        return impl_->ended;
      },
      deadline);
  return ended;
}

bool ws_client::closed() const { return impl_->ended; }

uint16_t ws_client::close_code() const { return impl_->ws.reason().code; }

std::string ws_client::close_reason() const {
  return std::string{impl_->ws.reason().reason.data(), impl_->ws.reason().reason.size()};
}

}  // namespace mundoctor::testing
