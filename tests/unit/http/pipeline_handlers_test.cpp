// The pipeline: filters, handler misbehaviour, actors, rate limit and metrics.

#include <gtest/gtest.h>

#include "tests/unit/http/pipeline_fixture.hpp"

namespace mundoctor::http {
namespace {

using pipeline_handlers = pipeline_fixture;

// -- filters and handlers ------------------------------------------------------------------------

TEST_F(pipeline_handlers, a_filter_can_reject_before_the_handler) {
  auto res = serve(make_test_request(verb::get, "/guarded"));
  EXPECT_EQ(res.status, 403u);
  EXPECT_EQ(envelope_of(res).at("message"), "No pass");
  EXPECT_EQ(handler_runs_, 0);
  auto passed = serve(make_test_request(verb::get, "/guarded", {}, {{"X-Pass", "1"}}));
  EXPECT_EQ(passed.status, 200u);
  EXPECT_EQ(handler_runs_, 1);
}

TEST_F(pipeline_handlers, a_throwing_handler_gives_a_500_without_internals) {
  auto res = serve(make_test_request(verb::get, "/throws"));
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(res.body.find("hunter2"), std::string::npos) << res.body;
  EXPECT_EQ(res.body.find("db-7"), std::string::npos) << res.body;
  auto body = envelope_of(res);
  EXPECT_EQ(body.at("success"), false);
  EXPECT_EQ(body.at("code"), "INTERNAL_ERROR");
}

TEST_F(pipeline_handlers, a_handler_that_never_answers_gives_a_500) {
  auto answers = std::make_shared<answer_log>();
  auto res = serve(make_test_request(verb::get, "/silent"), answers);
  EXPECT_EQ(handler_runs_, 1);
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(envelope_of(res).at("code"), "INTERNAL_ERROR");
  EXPECT_TRUE(res.headers.has("x-request-id"));
  std::lock_guard<std::mutex> guard{answers->mutex};
  EXPECT_EQ(answers->answers.size(), 1u);
}

TEST_F(pipeline_handlers, a_second_answer_is_dropped) {
  auto answers = std::make_shared<answer_log>();
  auto res = serve(make_test_request(verb::get, "/twice"), answers);
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(envelope_of(res).at("data").at("answer"), 1);
  std::lock_guard<std::mutex> guard{answers->mutex};
  EXPECT_EQ(answers->answers.size(), 1u);
}

TEST_F(pipeline_handlers, an_answer_from_another_thread_is_delivered) {
  auto res = serve(make_test_request(verb::get, "/later"));
  ASSERT_EQ(res.status, 200u);
  EXPECT_EQ(envelope_of(res).at("data").at("from"), "thread");
}

// -- actors --------------------------------------------------------------------------------------

TEST_F(pipeline_handlers, ask_delivers_the_actors_reply) {
  echo_ = sys_.spawn([]() -> caf::behavior {
    return {[](test_ping_atom, const std::string& s) { return s + "!"; }};
  });
  auto res = serve(make_test_request(verb::get, "/ask/echo"));
  ASSERT_EQ(res.status, 200u);
  EXPECT_EQ(envelope_of(res).at("data").at("reply"), "hi!");
  echo_ = nullptr;
}

TEST_F(pipeline_handlers, ask_maps_an_actors_error_through_the_error_table) {
  echo_ = sys_.spawn([]() -> caf::behavior {
    return {[](test_ping_atom, const std::string&) -> caf::result<std::string> {
      return make_error(errc::slot_taken, "Taken", "SLOT_TAKEN");
    }};
  });
  auto res = serve(make_test_request(verb::get, "/ask/echo"));
  EXPECT_EQ(res.status, 409u);
  EXPECT_EQ(envelope_of(res).at("code"), "SLOT_TAKEN");
  echo_ = nullptr;
}

TEST_F(pipeline_handlers, ask_of_an_actor_that_never_answers_is_503_actor_timeout) {
  settings_.request_timeout_ms = 200;
  silent_ = sys_.spawn([](caf::event_based_actor* self) -> caf::behavior {
    auto kept = std::make_shared<std::vector<caf::response_promise>>();
    return {[self, kept](test_ping_atom, const std::string&) {
      kept->push_back(self->make_response_promise());
      return kept->back();
    }};
  });
  auto res = serve(make_test_request(verb::get, "/ask/silent"));
  EXPECT_EQ(res.status, 503u);
  EXPECT_EQ(envelope_of(res).at("code"), "ACTOR_TIMEOUT");
  EXPECT_TRUE(res.headers.has("retry-after"));
}

TEST_F(pipeline_handlers, ask_of_a_missing_actor_is_503) {
  auto res = serve(make_test_request(verb::get, "/ask/nobody"));
  EXPECT_EQ(res.status, 503u);
  EXPECT_TRUE(res.headers.has("retry-after"));
}

// -- rate limit and metrics ----------------------------------------------------------------------

TEST_F(pipeline_handlers, per_ip_rate_limit_refuses_with_429_and_retry_after) {
  settings_.rate_limit_rps = 1;
  settings_.rate_limit_burst = 2;
  EXPECT_EQ(serve(make_test_request(verb::get, "/hello")).status, 200u);
  EXPECT_EQ(serve(make_test_request(verb::get, "/hello")).status, 200u);
  auto refused = serve(make_test_request(verb::get, "/hello"));
  EXPECT_EQ(refused.status, 429u);
  EXPECT_EQ(envelope_of(refused).at("code"), "RATE_LIMITED");
  auto retry = std::string{refused.headers.get("retry-after").value_or("0")};
  EXPECT_GE(std::stoi(retry), 1);
  auto other_ip = make_test_request(verb::get, "/hello");
  other_ip.remote_ip = "10.0.0.2";
  EXPECT_EQ(serve(std::move(other_ip)).status, 200u);
  EXPECT_EQ(handler_runs_, 3);
}

TEST_F(pipeline_handlers, metrics_record_the_route_pattern_and_status) {
  serve(make_test_request(verb::get, "/items/1"));
  serve(make_test_request(verb::get, "/items/2"));
  serve(make_test_request(verb::get, "/nowhere"));
  auto text = metrics_.render();
  EXPECT_NE(
      text.find(R"(mundoctor_http_requests_total{method="GET",route="/items/:id",status="200"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"x(route="(unmatched)",status="404"} 1)x"), std::string::npos) << text;
  EXPECT_EQ(text.find("/items/1"), std::string::npos) << "raw paths must not become labels";
  EXPECT_EQ(metrics_.requests_total(), 3u);
}

}  // namespace
}  // namespace mundoctor::http
