// Real HTTP against the assembled runtime: envelopes, limits, timeouts, keep-alive, shutdown.

#include <chrono>
#include <future>
#include <string>

#include <gtest/gtest.h>

#include "tests/integration/http/live_server.hpp"

namespace mundoctor::testing {
namespace {

using namespace std::chrono_literals;

using http_server = live_server;

/// The error envelope of API.md, on a response that carries an X-Request-Id.
void expect_traced_error(const http_result& res, unsigned status, const std::string& code) {
  expect_error_envelope(res, status, code);
  EXPECT_FALSE(res.header("x-request-id").empty());
}

TEST_F(http_server, health_is_a_200_envelope) {
  auto res = get("/health");
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(res.json.at("success"), true);
  EXPECT_EQ(res.json.at("data").at("status"), "ok");
  EXPECT_EQ(res.header("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(res.header("x-content-type-options"), "nosniff");
  EXPECT_EQ(res.header("x-request-id").size(), 32u);
}

TEST_F(http_server, head_is_answered_by_the_get_route_without_a_body) {
  auto res = request(port_, "HEAD", "/health");
  EXPECT_EQ(res.status, 200u);
  EXPECT_TRUE(res.body.empty());
}

TEST_F(http_server, request_id_from_the_client_is_echoed) {
  auto res = get("/health", {{"X-Request-Id", "client-trace-1"}});
  EXPECT_EQ(res.header("x-request-id"), "client-trace-1");
}

TEST_F(http_server, ready_is_200_once_migrations_are_applied) {
  auto res = get("/ready");
  ASSERT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(res.json.at("data").at("status"), "ready");
  EXPECT_EQ(res.json.at("data").at("database"), "up");
}

TEST_F(http_server, unknown_route_is_a_404_envelope) {
  expect_traced_error(get("/api/does-not-exist"), 404, "NOT_FOUND");
}

TEST_F(http_server, wrong_method_is_a_405_envelope_with_allow) {
  auto res = request(port_, "DELETE", "/health");
  expect_traced_error(res, 405, "METHOD_NOT_ALLOWED");
  EXPECT_EQ(res.header("allow"), "GET");
}

TEST_F(http_server, malformed_json_on_a_json_route_is_400) {
  auto res = request(port_, "POST", "/test/echo", R"({"name": "Ana",)",
                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(res.status, 400u) << res.body;
  EXPECT_EQ(res.json.value("success", true), false);
}

TEST_F(http_server, well_formed_json_reaches_the_handler) {
  auto res = request(port_, "POST", "/test/echo", R"({"name":"Mu\u00f1oz","price":"12\u20ac"})",
                     {{"Content-Type", "application/json"}});
  ASSERT_EQ(res.status, 201u) << res.body;
  EXPECT_EQ(res.json.at("data").at("name"), "Mu\xC3\xB1oz");
  EXPECT_EQ(res.json.at("data").at("price"), "12\xE2\x82\xAC");
}

TEST_F(http_server, text_plain_on_a_json_route_is_415) {
  expect_traced_error(
      request(port_, "POST", "/test/echo", "hello", {{"Content-Type", "text/plain"}}), 415,
      "UNSUPPORTED_MEDIA_TYPE");
}

TEST_F(http_server, body_over_the_limit_with_content_length_is_413) {
  raw_connection c{port_};
  // Only the head: the server must answer from Content-Length without reading the body.
  ASSERT_TRUE(
      c.send("POST /test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n"));
  auto res = c.read_response();
  ASSERT_TRUE(res.has_value()) << "no answer to an oversized body";
  expect_traced_error(*res, 413, "PAYLOAD_TOO_LARGE");
  EXPECT_TRUE(c.wait_for_close(5s).closed);
}

TEST_F(http_server, chunked_body_over_the_limit_is_413) {
  raw_connection c{port_};
  std::string chunk(2048, 'a');
  ASSERT_TRUE(
      c.send("POST /test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
             "800\r\n" +
             chunk + "\r\n0\r\n\r\n"));
  auto res = c.read_response();
  ASSERT_TRUE(res.has_value()) << "no answer to an oversized chunked body";
  expect_traced_error(*res, 413, "PAYLOAD_TOO_LARGE");
}

TEST_F(http_server, small_chunks_adding_up_past_the_limit_are_413) {
  raw_connection c{port_};
  std::string body =
      "POST /test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) body += "100\r\n" + std::string(256, ' ') + "\r\n";
  body += "0\r\n\r\n";
  ASSERT_TRUE(c.send(body));
  auto res = c.read_response();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 413u);
}

TEST_F(http_server, chunked_body_within_the_limit_is_served) {
  raw_connection c{port_};
  std::string json = R"({"a":1})";
  ASSERT_TRUE(
      c.send("POST /test/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
             "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
             "7\r\n" +
             json + "\r\n0\r\n\r\n"));
  auto res = c.read_response();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->status, 201u) << res->body;
  EXPECT_EQ(res->json.at("data").at("a"), 1);
}

TEST_F(http_server, malformed_path_escape_is_400) {
  raw_connection c{port_};
  ASSERT_TRUE(c.send("GET /api/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  auto res = c.read_response();
  ASSERT_TRUE(res.has_value());
  expect_traced_error(*res, 400, "BAD_REQUEST");
}

TEST_F(http_server, garbage_instead_of_a_request_closes_the_connection) {
  raw_connection c{port_};
  c.send("\x01\x02 not http at all\r\n\r\n");
  EXPECT_TRUE(c.wait_for_close(5s).closed);
}

TEST_F(http_server, keep_alive_serves_two_requests_on_one_connection) {
  http_connection conn{port_};
  auto first = conn.request("GET", "/health");
  EXPECT_EQ(first.status, 200u);
  EXPECT_NE(first.header("connection"), "close");
  auto second =
      conn.request("POST", "/test/echo", R"({"n":2})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(second.status, 201u);
  EXPECT_EQ(second.json.at("data").at("n"), 2);
  EXPECT_NE(first.header("x-request-id"), second.header("x-request-id"));
}

TEST_F(http_server, a_client_that_stalls_inside_the_header_is_disconnected) {
  raw_connection c{port_};
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
  // header_timeout_ms is 300: the server must close well before this generous guard.
  auto wait = c.wait_for_close(10s);
  EXPECT_TRUE(wait.closed);
  EXPECT_EQ(wait.received.find("200 OK"), std::string::npos) << wait.received;
}

TEST_F(http_server, graceful_stop_finishes_the_request_in_flight) {
  auto started = slow_started();
  auto answer =
      std::async(std::launch::async, [port = port_] { return request(port, "GET", "/test/slow"); });
  ASSERT_EQ(started.wait_for(10s), std::future_status::ready) << "the slow route never ran";
  EXPECT_TRUE(server_->stop());
  auto res = answer.get();
  EXPECT_EQ(res.status, 200u) << res.body;
  EXPECT_EQ(res.json.at("data").at("slow"), true);
  EXPECT_FALSE(can_connect(port_));
}

TEST_F(http_server, stop_closes_idle_keep_alive_connections) {
  http_connection conn{port_};
  EXPECT_EQ(conn.request("GET", "/health").status, 200u);
  EXPECT_TRUE(server_->stop());
  EXPECT_TRUE(conn.closed_by_peer(5s));
}

TEST_F(http_server, cors_preflight_from_the_dev_frontend_is_204) {
  auto res = request(port_, "OPTIONS", "/api/appointments", "",
                     {{"Origin", "http://localhost:5173"},
                      {"Access-Control-Request-Method", "POST"},
                      {"Access-Control-Request-Headers", "authorization, content-type"}});
  EXPECT_EQ(res.status, 204u);
  EXPECT_EQ(res.header("access-control-allow-origin"), "http://localhost:5173");
  EXPECT_EQ(res.header("access-control-allow-credentials"), "true");
  EXPECT_NE(res.header("access-control-allow-methods").find("POST"), std::string::npos);
  auto denied =
      request(port_, "OPTIONS", "/api/appointments", "",
              {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(denied.status, 403u);
  EXPECT_FALSE(denied.has_header("access-control-allow-origin"));
}

TEST_F(http_server, large_json_is_gzipped_when_the_client_accepts_it) {
  auto res = get("/test/big", {{"Accept-Encoding", "gzip"}});
  ASSERT_EQ(res.status, 200u);
  ASSERT_EQ(res.header("content-encoding"), "gzip");
  auto plain = gunzip(res.body);
  ASSERT_TRUE(plain.has_value());
  auto json = nlohmann::json::parse(*plain);
  EXPECT_EQ(json.at("data").size(), 400u);
  EXPECT_LT(res.body.size(), plain->size());
  auto identity = get("/test/big");
  EXPECT_FALSE(identity.has_header("content-encoding"));
  EXPECT_EQ(identity.json.at("data").size(), 400u);
}

}  // namespace
}  // namespace mundoctor::testing
