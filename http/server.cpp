#include "http/server.hpp"

#include <array>
#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include "config/config.hpp"
#include "http/error_response.hpp"
#include "http/metrics.hpp"
#include "http/middleware/request_id.hpp"
#include "http/middleware/response_headers.hpp"
#include "http/ws_session.hpp"

namespace mundoctor::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t header_limit = 16 * 1024;
constexpr auto write_timeout = 30s;
constexpr auto linger_timeout = 2s;
constexpr std::size_t linger_bytes = 64 * 1024 * 1024;

class session;

}  // namespace

struct server::impl {
  const config::settings& settings;
  handler on_request;
  http_metrics* metrics;
  net::io_context ioc;
  // Keeps the I/O threads running while a request waits for its handler's answer with no
  // socket operation pending (after the acceptors closed, nothing else would).
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
  std::vector<std::thread> threads;
  std::atomic<bool> draining{false};
  std::atomic<std::size_t> in_flight{0};
  std::mutex mutex;
  std::condition_variable idle;
  std::unordered_map<session*, std::weak_ptr<session>> sessions;
  websocket_handler on_websocket;
  server::body_limit_fn body_limit;  // unset: settings.body_limit_bytes for every request
  server::body_watch_fn body_watch;  // unset: bodies are read whole
  std::atomic<uint64_t> next_websocket_id{1};
  std::unordered_map<uint64_t, std::weak_ptr<detail::ws_session>> websockets;  // under mutex

  impl(const config::settings& s, handler h, http_metrics* m)
      : settings(s), on_request(std::move(h)), metrics(m), ioc(thread_count(s)) {}

  static int thread_count(const config::settings& s) {
    auto n = s.http_threads ? s.http_threads : config::cpu_cores();
    return static_cast<int>(n);
  }

  void begin_request() { ++in_flight; }
  void end_request() {
    if (--in_flight == 0) {
      std::lock_guard<std::mutex> guard{mutex};
      idle.notify_all();
    }
  }
  void do_accept(tcp::acceptor& acceptor);
  void close_idle_sessions();
  void close_websockets();
  void upgrade(beast::tcp_stream&& stream, bhttp::request<bhttp::string_body>&& upgrade,
               request req);
  bool drained() const { return in_flight == 0 && websockets.empty(); }
};

namespace {

class session : public std::enable_shared_from_this<session> {
 public:
  session(tcp::socket&& socket, server::impl& srv) : stream_(std::move(socket)), srv_(srv) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = ep.address().to_string();
    if (srv_.metrics) srv_.metrics->connection_opened();
  }

  ~session() {
    if (srv_.metrics) srv_.metrics->connection_closed();
  }

  session(const session&) = delete;
  session& operator=(const session&) = delete;

  void run() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&session::do_read, shared_from_this()));
  }

  // Called through the strand when the server drains: a connection between requests closes.
  void close_if_idle() {
    if (busy_) return;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  // Between requests a connection may stay idle for keepalive_timeout_ms; once the first byte
  // of a request is there, its whole head must arrive within header_timeout_ms.
  void do_read() {
    if (srv_.draining) return do_close();
    if (first_ || buffer_.size() > 0) return read_header();
    stream_.expires_after(std::chrono::milliseconds{srv_.settings.keepalive_timeout_ms});
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->do_close();
                              self->buffer_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(header_limit);
    // The route's own limit is applied once the head is known (on_header). Not boost::none:
    // Beast 1.74 compares a Content-Length against an empty optional as if it were exceeded.
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(std::chrono::milliseconds{srv_.settings.header_timeout_ms});
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    first_ = false;
    if (ec == bhttp::error::header_limit) return reject(errc::bad_request, "Headers too large");
    // The head is read without a body limit, so this only guards against a future change.
    if (ec == bhttp::error::body_limit) return reject(errc::payload_too_large, {});
    if (ec) return do_close();
    if (parser_->is_done()) return on_request();
    auto limit = request_body_limit();
    if (auto declared = parser_->content_length(); declared && *declared > limit)
      return reject(errc::payload_too_large, {});
    parser_->body_limit(limit);
    watch_ = request_body_watch();
    watched_ = 0;
    if (bhttp::token_list{parser_->get()[bhttp::field::expect]}.exists("100-continue"))
      return send_continue();
    read_body();
  }

  std::uint64_t request_body_limit() const {
    if (!srv_.body_limit) return srv_.settings.body_limit_bytes;
    const auto& msg = parser_->get();
    auto method = msg.method_string();
    auto target = msg.target();
    return srv_.body_limit(parse_verb(std::string_view{method.data(), method.size()}),
                           std::string_view{target.data(), target.size()});
  }

  server::body_watch request_body_watch() const {
    if (!srv_.body_watch) return {};
    const auto& msg = parser_->get();
    auto method = msg.method_string();
    auto target = msg.target();
    auto type = msg[bhttp::field::content_type];
    return srv_.body_watch(parse_verb(std::string_view{method.data(), method.size()}),
                           std::string_view{target.data(), target.size()},
                           std::string_view{type.data(), type.size()});
  }

  // The client waits for this before it sends a body (curl does, for bodies over 1 KiB).
  void send_continue() {
    auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                        parser_->get().version());
    stream_.expires_after(write_timeout);
    bhttp::async_write(stream_, *interim,
                       [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
                         if (ec) return self->do_close();
                         self->read_body();
                       });
  }

  void read_body() {
    stream_.expires_after(std::chrono::milliseconds{srv_.settings.body_timeout_ms});
    if (watch_) return read_watched();
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&session::on_body, shared_from_this()));
  }

  // Piece by piece, showing each new piece to the watch (the body timeout covers the whole).
  void read_watched() {
    bhttp::async_read_some(stream_, buffer_, *parser_,
                           beast::bind_front_handler(&session::on_body_piece, shared_from_this()));
  }

  void on_body_piece(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) return reject(errc::payload_too_large, {});
    if (ec) return do_close();
    const auto& body = parser_->get().body();
    if (body.size() > watched_) {
      auto refusal = watch_(std::string_view{body}.substr(watched_));
      if (!refusal.empty()) return reject(errc::payload_too_large, refusal);
      watched_ = body.size();
    }
    if (parser_->is_done()) return on_request();
    read_watched();
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) return reject(errc::payload_too_large, {});
    if (ec) return do_close();
    on_request();
  }

  void on_request() {
    auto& msg = parser_->get();
    request req;
    req.method =
        parse_verb(std::string_view{msg.method_string().data(), msg.method_string().size()});
    req.target = std::string{msg.target()};
    auto q = req.target.find('?');
    auto decoded = percent_decode(std::string_view{req.target}.substr(0, q), false);
    if (!decoded || decoded->find('\0') != std::string::npos)
      return reject(errc::bad_request, "Malformed request path");
    req.path = std::move(*decoded);
    if (q != std::string::npos) req.query = req.target.substr(q + 1);
    for (const auto& field : msg)
      req.headers.add(std::string{field.name_string()}, std::string{field.value()});
    req.remote_ip = remote_ip_;
    if (req.path == "/ws" && srv_.on_websocket && !srv_.draining &&
        beast::websocket::is_upgrade(msg))
      return srv_.upgrade(std::move(stream_), parser_->release(), std::move(req));
    req.body = std::move(msg.body());
    req.keep_alive = msg.keep_alive();
    keep_alive_ = req.keep_alive;
    head_ = req.method == verb::head;
    version_ = msg.version();
    busy_ = true;
    srv_.begin_request();
    stream_.expires_never();  // the handler's own timeout bounds the wait for the answer
    auto self = shared_from_this();
    srv_.on_request(std::move(req), [self](response res) {
      net::post(self->stream_.get_executor(),
                [self, res = std::move(res)]() mutable { self->write(std::move(res), true); });
    });
  }

  // Answers without running the pipeline (malformed or oversized requests) and closes.
  void reject(errc code, const std::string& message) {
    keep_alive_ = false;
    version_ = 11;
    auto res = error_response(code, message);
    apply_security_headers(res, srv_.settings.hsts);
    res.headers.set("x-request-id", random_id());
    if (srv_.metrics) srv_.metrics->record("OTHER", "(rejected)", res.status, 0.0);
    write(std::move(res), false);
  }

  void write(response res, bool counted) {
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
    out->version(version_);
    out->result(res.status);
    for (const auto& [name, value] : res.headers.all()) out->insert(name, value);
    out->set(bhttp::field::server, "mundoctor");
    out->body() = std::move(res.body);
    bool close = !keep_alive_ || srv_.draining;
    out->keep_alive(!close);
    out->prepare_payload();
    if (head_) out->body().clear();  // Content-Length stays the GET's
    stream_.expires_after(write_timeout);
    bhttp::async_write(
        stream_, *out,
        [self = shared_from_this(), out, counted, close](beast::error_code ec, std::size_t) {
          self->on_write(ec, counted, close);
        });
  }

  void on_write(beast::error_code ec, bool counted, bool close) {
    busy_ = false;
    if (counted) srv_.end_request();
    if (ec) return do_close();
    if (close && !counted) return linger();
    if (close) return do_close();
    do_read();
  }

  // After a rejection the client may still be sending the body we refused; closing at once
  // would reset the connection and the client might never read our answer. Half-close, then
  // discard what still arrives for a short while.
  void linger() {
    do_close();
    stream_.expires_after(linger_timeout);
    discard_ = std::make_shared<std::array<char, 16 * 1024>>();
    do_discard(0);
  }

  void do_discard(std::size_t total) {
    if (total > linger_bytes) return stream_.close();
    stream_.async_read_some(net::buffer(*discard_), [self = shared_from_this(), total](
                                                        beast::error_code ec, std::size_t n) {
      if (ec) return self->stream_.close();
      self->do_discard(total + n);
    });
  }

  void do_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  server::body_watch watch_;  // of the request being read; empty: read the body whole
  std::size_t watched_ = 0;   // body bytes already shown to watch_
  std::shared_ptr<std::array<char, 16 * 1024>> discard_;
  server::impl& srv_;
  std::string remote_ip_;
  bool first_ = true;
  bool busy_ = false;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
};

}  // namespace

void server::impl::do_accept(tcp::acceptor& acceptor) {
  acceptor.async_accept(net::make_strand(ioc),
                        [this, &acceptor](beast::error_code ec, tcp::socket socket) {
                          if (ec) {
                            if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
                            spdlog::warn("accept failed: {}", ec.message());
                          } else {
                            auto s = std::make_shared<session>(std::move(socket), *this);
                            std::weak_ptr<session> weak = s;
                            {
                              std::lock_guard<std::mutex> guard{mutex};
                              for (auto it = sessions.begin(); it != sessions.end();)
                                it = it->second.expired() ? sessions.erase(it) : std::next(it);
                              sessions.emplace(s.get(), weak);
                            }
                            s->run();
                          }
                          if (!draining) do_accept(acceptor);
                        });
}

// The connection becomes a WebSocket session; this HTTP session ends here.
void server::impl::upgrade(beast::tcp_stream&& stream, bhttp::request<bhttp::string_body>&& upgrade,
                           request req) {
  auto id = next_websocket_id++;
  detail::ws_hooks hooks;
  hooks.handler = &on_websocket;
  hooks.metrics = metrics;
  hooks.closed = [this](uint64_t closed) {
    std::lock_guard<std::mutex> guard{mutex};
    websockets.erase(closed);
    idle.notify_all();
  };
  std::lock_guard<std::mutex> guard{mutex};
  websockets.emplace(id, detail::start_ws_session(std::move(stream), std::move(upgrade),
                                                  std::move(req), id, std::move(hooks)));
}

void server::impl::close_websockets() {
  std::vector<std::shared_ptr<detail::ws_session>> live;
  {
    std::lock_guard<std::mutex> guard{mutex};
    for (auto& [id, weak] : websockets)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) detail::close_going_away(s);
}

void server::impl::close_idle_sessions() {
  std::vector<std::shared_ptr<session>> live;
  {
    std::lock_guard<std::mutex> guard{mutex};
    for (auto& [ptr, weak] : sessions)
      if (auto s = weak.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) net::post(s->executor(), [s] { s->close_if_idle(); });
}

server::server(const config::settings& settings, handler h, http_metrics* metrics)
    : impl_(std::make_shared<impl>(settings, std::move(h), metrics)) {}

server::~server() { stop(); }

void server::set_websocket_handler(websocket_handler h) { impl_->on_websocket = std::move(h); }

void server::set_body_limit(body_limit_fn limit) { impl_->body_limit = std::move(limit); }

void server::set_body_watch(body_watch_fn watch) { impl_->body_watch = std::move(watch); }

namespace {

tcp::endpoint resolve(net::io_context& ioc, const config::listen_address& addr) {
  beast::error_code ec;
  auto host = addr.host;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  auto ip = net::ip::make_address(host, ec);
  if (!ec) return {ip, addr.port};
  tcp::resolver resolver{ioc};
  auto results = resolver.resolve(host, std::to_string(addr.port));
  return *results.begin();
}

}  // namespace

std::vector<uint16_t> server::start() {
  std::vector<uint16_t> ports;
  for (const auto& addr : impl_->settings.listen) {
    auto endpoint = resolve(impl_->ioc, addr);
    auto acceptor = std::make_unique<tcp::acceptor>(impl_->ioc);
    acceptor->open(endpoint.protocol());
    acceptor->set_option(net::socket_base::reuse_address(true));
    acceptor->bind(endpoint);
    acceptor->listen(net::socket_base::max_listen_connections);
    ports.push_back(acceptor->local_endpoint().port());
    impl_->acceptors.push_back(std::move(acceptor));
  }
  for (auto& a : impl_->acceptors) impl_->do_accept(*a);
  impl_->work.emplace(impl_->ioc.get_executor());
  auto n = impl::thread_count(impl_->settings);
  for (int i = 0; i < n; ++i) impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  return ports;
}

void server::stop_accepting() {
  if (impl_->draining.exchange(true)) return;
  for (auto& a : impl_->acceptors)
    net::post(impl_->ioc, [acc = a.get()] {
      beast::error_code ec;
      acc->close(ec);
    });
  impl_->close_idle_sessions();
  impl_->close_websockets();
}

bool server::drain(std::chrono::milliseconds deadline) {
  std::unique_lock<std::mutex> lock{impl_->mutex};
  return impl_->idle.wait_for(lock, deadline, [this] { return impl_->drained(); });
}

void server::stop() {
  if (impl_->threads.empty()) return;
  stop_accepting();
  impl_->close_idle_sessions();
  impl_->work.reset();
  impl_->ioc.stop();
  for (auto& t : impl_->threads)
    if (t.joinable()) t.join();
  impl_->threads.clear();
  impl_->acceptors.clear();
}

std::size_t server::in_flight() const { return impl_->in_flight; }

std::size_t server::open_websockets() const {
  std::lock_guard<std::mutex> guard{impl_->mutex};
  return impl_->websockets.size();
}

}  // namespace mundoctor::http
