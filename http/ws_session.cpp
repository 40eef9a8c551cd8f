#include "http/ws_session.hpp"

#include <algorithm>
#include <atomic>
#include <deque>
#include <optional>
#include <string>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <spdlog/spdlog.h>

#include "http/metrics.hpp"

namespace mundoctor::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t read_limit = 64 * 1024;
constexpr std::size_t queue_messages = 256;
constexpr std::size_t queue_bytes = 1024 * 1024;
constexpr std::size_t max_close_reason = 123;  // RFC 6455: the close payload is 125 bytes
constexpr auto close_timeout = 5s;             // then the socket is closed without more ado
constexpr uint16_t policy_violation = 1008;
constexpr uint16_t internal_error = 1011;
constexpr uint16_t going_away = 1001;

websocket::close_reason make_reason(uint16_t code, const std::string& reason) {
  auto text = reason.substr(0, std::min(reason.size(), max_close_reason));
  return websocket::close_reason{static_cast<websocket::close_code>(code), text};
}

}  // namespace

class ws_session : public websocket_connection, public std::enable_shared_from_this<ws_session> {
 public:
  ws_session(beast::tcp_stream&& stream, uint64_t id, ws_hooks hooks)
      : ws_(std::move(stream)), guard_(ws_.get_executor()), id_(id), hooks_(std::move(hooks)) {
    if (hooks_.metrics) hooks_.metrics->connection_opened();
  }

  ~ws_session() override {
    if (hooks_.metrics) hooks_.metrics->connection_closed();
  }

  ws_session(const ws_session&) = delete;
  ws_session& operator=(const ws_session&) = delete;

  void start(bhttp::request<bhttp::string_body>&& upgrade, request req) {
    upgrade_ = std::move(upgrade);
    req_ = std::move(req);
    beast::get_lowest_layer(ws_).expires_never();  // the websocket timeouts take over
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, "mundoctor"); }));
    ws_.read_message_max(read_limit);
    ws_.async_accept(upgrade_,
                     beast::bind_front_handler(&ws_session::on_accept, shared_from_this()));
  }

  uint64_t id() const override { return id_; }

  bool send(std::string text) override {
    if (closing_) return false;
    auto count = ++queued_messages_;
    auto bytes = queued_bytes_ += text.size();
    if (count > queue_messages || bytes > queue_bytes) {
      close(policy_violation, "Too slow: the outgoing queue is full");
      return false;
    }
    net::post(ws_.get_executor(), [self = shared_from_this(), text = std::move(text)]() mutable {
      self->push(std::move(text));
    });
    return true;
  }

  void close(uint16_t code, std::string reason) override {
    if (closing_.exchange(true)) return;
    net::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
      self->start_close(make_reason(code, reason));
    });
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return finish();
    accepted_ = true;
    try {
      if (!pending_close_ && hooks_.handler && *hooks_.handler)
        events_ = (*hooks_.handler)(req_, weak_from_this());
    } catch (const std::exception& e) {
      spdlog::error("websocket handler failed: {}", e.what());
      close(internal_error, "Internal error");
    }
    upgrade_ = {};
    if (pending_close_) start_close(*pending_close_);
    do_read();
  }

  void do_read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return finish();
    if (events_.on_message && !close_started_) {
      try {
        events_.on_message(beast::buffers_to_string(buffer_.data()));
      } catch (const std::exception& e) {
        spdlog::error("websocket message handler failed: {}", e.what());
      }
    }
    buffer_.consume(buffer_.size());
    do_read();
  }

  void push(std::string text) {
    if (close_started_ || finished_) return release(text.size());
    queue_.push_back(std::move(text));
    if (!writing_) do_write();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(queue_.front()),
                    beast::bind_front_handler(&ws_session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    writing_ = false;
    release(queue_.front().size());
    queue_.pop_front();
    if (ec) return abort();
    if (!close_started_ && !queue_.empty()) do_write();
  }

  void release(std::size_t bytes) {
    --queued_messages_;
    queued_bytes_ -= bytes;
  }

  // On the strand. Queued frames are dropped (the one being written stays until it is done);
  // the closing handshake is bounded by close_timeout.
  void start_close(const websocket::close_reason& reason) {
    if (finished_ || close_started_) return;
    close_started_ = true;
    closing_ = true;
    while (queue_.size() > (writing_ ? 1u : 0u)) {
      release(queue_.back().size());
      queue_.pop_back();
    }
    if (!accepted_) {
      close_started_ = false;  // on_accept closes once the handshake is done
      pending_close_ = reason;
      return;
    }
    guard_.expires_after(close_timeout);
    guard_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->abort();
    });
    ws_.async_close(reason, [self = shared_from_this()](beast::error_code ec) {
      if (ec) self->abort();
    });
  }

  // Closes the socket: every pending operation completes with an error.
  void abort() {
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    guard_.cancel();
    abort();
    auto events = std::move(events_);
    events_ = {};
    if (events.on_close) {
      try {
        events.on_close();
      } catch (const std::exception& e) {
        spdlog::error("websocket close handler failed: {}", e.what());
      }
    }
    if (hooks_.closed) hooks_.closed(id_);
  }

  websocket::stream<beast::tcp_stream> ws_;
  net::steady_timer guard_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> upgrade_;
  request req_;
  uint64_t id_;
  ws_hooks hooks_;
  websocket_events events_;
  std::deque<std::string> queue_;
  std::atomic<std::size_t> queued_messages_{0};  // sent and not yet written or dropped
  std::atomic<std::size_t> queued_bytes_{0};
  std::atomic<bool> closing_{false};  // no more frames are accepted
  std::optional<websocket::close_reason> pending_close_;
  bool accepted_ = false;
  bool writing_ = false;
  bool close_started_ = false;
  bool finished_ = false;
};

std::shared_ptr<ws_session> start_ws_session(beast::tcp_stream&& stream,
                                             bhttp::request<bhttp::string_body>&& upgrade,
                                             request req, uint64_t id, ws_hooks hooks) {
  auto session = std::make_shared<ws_session>(std::move(stream), id, std::move(hooks));
  session->start(std::move(upgrade), std::move(req));
  return session;
}

void close_going_away(const std::shared_ptr<ws_session>& session) {
  session->close(going_away, "Server shutting down");
}

}  // namespace mundoctor::http::detail
