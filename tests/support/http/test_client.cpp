#include "tests/support/http/test_client.hpp"

#include <zlib.h>

#include <cctype>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace mundoctor::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

namespace {

constexpr std::size_t response_body_limit = 64 * 1024 * 1024;

// One connection with its own io_context: each operation runs the context until it completes;
// the stream's timer turns a missed deadline into beast::error::timeout (and closes the socket).
struct stream_core {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  beast::flat_buffer buffer;

  void run() {
    ioc.restart();
    ioc.run();
  }

  beast::error_code connect(uint16_t port, std::chrono::milliseconds deadline) {
    beast::error_code result = net::error::would_block;
    stream.expires_after(deadline);
    stream.async_connect(tcp::endpoint{net::ip::make_address_v4("127.0.0.1"), port},
                         [&result](beast::error_code ec) { result = ec; });
    run();
    stream.expires_never();
    return result;
  }

  void connect_or_throw(uint16_t port) {
    if (auto ec = connect(port, default_deadline))
      throw std::runtime_error("connect to port " + std::to_string(port) + ": " + ec.message());
  }

  void close() {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.socket().close(ec);
  }
};

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

http_result to_result(bhttp::response<bhttp::string_body>&& res) {
  http_result out;
  out.status = res.result_int();
  for (const auto& field : res) {
    auto name = lower(std::string{field.name_string()});
    auto& slot = out.headers[name];
    slot += (slot.empty() ? "" : ", ") + std::string{field.value()};
  }
  out.body = std::move(res.body());
  if (!out.body.empty()) {
    out.json = nlohmann::json::parse(out.body, nullptr, false);
    if (out.json.is_discarded()) out.json = nullptr;
  }
  return out;
}

bhttp::request<bhttp::string_body> make_request(const std::string& method,
                                                const std::string& target, const std::string& body,
                                                const header_fields& headers, bool keep_alive) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::user_agent, "mundoctor-tests");
  for (const auto& [name, value] : headers) req.insert(name, value);
  req.body() = body;
  req.keep_alive(keep_alive);
  if (!body.empty() || req.find(bhttp::field::content_length) == req.end()) req.prepare_payload();
  return req;
}

beast::error_code read_one(stream_core& c, bhttp::response_parser<bhttp::string_body>& parser,
                           std::chrono::milliseconds deadline) {
  beast::error_code result = net::error::would_block;
  parser.body_limit(response_body_limit);
  c.stream.expires_after(deadline);
  bhttp::async_read(c.stream, c.buffer, parser,
                    [&result](beast::error_code ec, std::size_t) { result = ec; });
  c.run();
  c.stream.expires_never();
  return result;
}

http_result exchange(stream_core& c, const std::string& method, const std::string& target,
                     const std::string& body, const header_fields& headers, bool keep_alive,
                     std::chrono::milliseconds deadline) {
  auto req = make_request(method, target, body, headers, keep_alive);
  beast::error_code result = net::error::would_block;
  c.stream.expires_after(deadline);
  bhttp::async_write(c.stream, req, [&result](beast::error_code ec, std::size_t) { result = ec; });
  c.run();
  if (result) throw std::runtime_error(method + " " + target + ": write: " + result.message());
  bhttp::response_parser<bhttp::string_body> parser;
  if (method == "HEAD") parser.skip(true);
  if (auto ec = read_one(c, parser, deadline))
    throw std::runtime_error(method + " " + target + ": read: " + ec.message());
  return to_result(parser.release());
}

}  // namespace

std::string http_result::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string{} : it->second;
}

bool http_result::has_header(const std::string& lower_case_name) const {
  return headers.count(lower_case_name) > 0;
}

http_result request(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& body, const header_fields& headers,
                    std::chrono::milliseconds deadline) {
  stream_core c;
  c.connect_or_throw(port);
  auto result = exchange(c, method, target, body, headers, false, deadline);
  c.close();
  return result;
}

// -- http_connection ----------------------------------------------------------------------------

struct http_connection::impl {
  stream_core core;
};

http_connection::http_connection(uint16_t port) : impl_(std::make_unique<impl>()) {
  impl_->core.connect_or_throw(port);
}

http_connection::~http_connection() { impl_->core.close(); }

http_result http_connection::request(const std::string& method, const std::string& target,
                                     const std::string& body, const header_fields& headers,
                                     std::chrono::milliseconds deadline) {
  return exchange(impl_->core, method, target, body, headers, true, deadline);
}

bool http_connection::closed_by_peer(std::chrono::milliseconds wait) {
  auto& c = impl_->core;
  beast::error_code result = net::error::would_block;
  std::size_t got = 0;
  c.stream.expires_after(wait);
  c.stream.async_read_some(c.buffer.prepare(4096),
                           [&result, &got](beast::error_code ec, std::size_t n) {
                             result = ec;
                             got = n;
                           });
  c.run();
  c.stream.expires_never();
  c.buffer.commit(got);
  return result && result != beast::error::timeout;
}

// -- raw_connection -----------------------------------------------------------------------------

struct raw_connection::impl {
  stream_core core;
};

raw_connection::raw_connection(uint16_t port) : impl_(std::make_unique<impl>()) {
  impl_->core.connect_or_throw(port);
}

raw_connection::~raw_connection() { impl_->core.close(); }

bool raw_connection::send(const std::string& bytes, std::chrono::milliseconds deadline) {
  auto& c = impl_->core;
  beast::error_code result = net::error::would_block;
  c.stream.expires_after(deadline);
  net::async_write(c.stream, net::buffer(bytes),
                   [&result](beast::error_code ec, std::size_t) { result = ec; });
  c.run();
  c.stream.expires_never();
  return !result;
}

std::optional<http_result> raw_connection::read_response(std::chrono::milliseconds deadline) {
  bhttp::response_parser<bhttp::string_body> parser;
  if (read_one(impl_->core, parser, deadline)) return std::nullopt;
  return to_result(parser.release());
}

raw_connection::close_wait raw_connection::wait_for_close(std::chrono::milliseconds deadline) {
  auto& c = impl_->core;
  close_wait out;
  out.received = beast::buffers_to_string(c.buffer.data());
  c.buffer.consume(c.buffer.size());
  c.stream.expires_after(deadline);
  for (;;) {
    beast::error_code result = net::error::would_block;
    std::size_t got = 0;
    c.stream.async_read_some(c.buffer.prepare(4096),
                             [&result, &got](beast::error_code ec, std::size_t n) {
                               result = ec;
                               got = n;
                             });
    c.run();
    c.buffer.commit(got);
    out.received += beast::buffers_to_string(c.buffer.data());
    c.buffer.consume(c.buffer.size());
    if (!result) continue;
    out.closed = result != beast::error::timeout;
    break;
  }
  c.stream.expires_never();
  return out;
}

// -- helpers ------------------------------------------------------------------------------------

bool can_connect(uint16_t port) {
  net::io_context ioc;
  tcp::socket socket{ioc};
  beast::error_code ec;
  socket.connect(tcp::endpoint{net::ip::make_address_v4("127.0.0.1"), port}, ec);
  if (!ec) socket.close(ec);
  return !ec;
}

std::optional<std::string> gunzip(const std::string& data) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return std::nullopt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - zs.avail_out);
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // truncated input
  }
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  return out;
}

}  // namespace mundoctor::testing
