// The pipeline's admission gate: calendar routes wait for a place, the others never do.

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "http/admission.hpp"
#include "http/routes/routes.hpp"
#include "tests/unit/http/pipeline_fixture.hpp"

namespace mundoctor::http {
namespace {

using namespace std::chrono_literals;

class pipeline_admission : public pipeline_fixture {
 protected:
  // GET /gated (admission) keeps its responder until the test answers it.
  void use_gate(std::size_t limit, std::chrono::milliseconds max_wait) {
    svc_.admission = std::make_shared<admission_gate>(limit, max_wait, false);
    route_options gated;
    gated.admission = true;
    routes_->add(
        verb::get, "/gated",
        [this](request_context&, responder res) {
          std::lock_guard<std::mutex> guard{held_mutex_};
          held_.push_back(res);
        },
        gated);
  }

  std::size_t held() {
    std::lock_guard<std::mutex> guard{held_mutex_};
    return held_.size();
  }

  void answer(std::size_t i) {
    responder res;
    {
      std::lock_guard<std::mutex> guard{held_mutex_};
      res = held_.at(i);
    }
    res.ok(nlohmann::json{{"n", i}});
  }

  // Hands the request to the pipeline without waiting for its answer.
  std::shared_ptr<answer_log> send(const std::string& target) {
    auto log = std::make_shared<answer_log>();
    pipe().handle(make_test_request(verb::get, target),
                  [log](response r) { log->add(std::move(r)); });
    return log;
  }

  static std::size_t answers_of(const std::shared_ptr<answer_log>& log) {
    std::lock_guard<std::mutex> guard{log->mutex};
    return log->answers.size();
  }

  std::mutex held_mutex_;
  std::vector<responder> held_;
};

TEST_F(pipeline_admission, a_gated_request_starts_when_a_place_frees_up) {
  use_gate(1, 60s);
  auto first = send("/gated");
  auto second = send("/gated");
  ASSERT_EQ(held(), 1u);  // the second waits for the first's place
  EXPECT_EQ(answers_of(second), 0u);
  EXPECT_EQ(svc_.admission->stats().waiting, 1u);
  answer(0);
  ASSERT_TRUE(first->wait_first());
  EXPECT_EQ(first->answers.front().status, 200u);
  ASSERT_EQ(held(), 2u);  // started in its place
  answer(1);
  ASSERT_TRUE(second->wait_first());
  EXPECT_EQ(envelope_of(second->answers.front()).at("data").at("n"), 1);
  auto s = svc_.admission->stats();
  EXPECT_EQ(s.active, 0u);
  EXPECT_EQ(s.admitted, 2u);
  EXPECT_EQ(s.queued, 1u);
}

TEST_F(pipeline_admission, other_routes_do_not_wait_for_the_gate) {
  use_gate(1, 60s);
  auto first = send("/gated");
  ASSERT_EQ(held(), 1u);
  auto res = serve(make_test_request(verb::get, "/hello"));
  EXPECT_EQ(res.status, 200u);
  EXPECT_EQ(svc_.admission->stats().active, 1u);
  answer(0);
  ASSERT_TRUE(first->wait_first());
}

TEST_F(pipeline_admission, an_answer_of_any_kind_gives_the_place_back) {
  use_gate(1, 60s);
  route_options gated;
  gated.admission = true;
  routes_->add(
      verb::get, "/gated-throws",
      [](request_context&, responder) -> void { throw std::runtime_error{"boom"}; }, gated);
  EXPECT_EQ(serve(make_test_request(verb::get, "/gated-throws")).status, 500u);
  EXPECT_EQ(svc_.admission->stats().active, 0u);
  auto next = send("/gated");
  EXPECT_EQ(held(), 1u);  // not kept out by a place the failed request still held
  answer(0);
  ASSERT_TRUE(next->wait_first());
  EXPECT_EQ(svc_.admission->stats().active, 0u);
}

TEST_F(pipeline_admission, a_request_that_waited_too_long_gets_503_overloaded) {
  use_gate(1, 1ms);
  auto first = send("/gated");
  auto second = send("/gated");
  std::this_thread::sleep_for(20ms);
  answer(0);
  ASSERT_TRUE(second->wait_first());
  auto res = second->answers.front();
  EXPECT_EQ(res.status, 503u);
  EXPECT_EQ(envelope_of(res).at("code"), "OVERLOADED");
  EXPECT_TRUE(res.headers.has("retry-after"));
  EXPECT_EQ(held(), 1u);  // its handler never ran
  EXPECT_EQ(svc_.admission->stats().shed, 1u);
  EXPECT_EQ(svc_.admission->stats().active, 0u);
}

// Booking decisions and availability take part; reading one appointment (a database read) does
// not.
TEST(appointment_routes, calendar_work_goes_through_admission) {
  router r;
  register_appointment_routes(r);
  ASSERT_FALSE(r.routes().empty());
  for (const auto& rt : r.routes()) {
    bool read_one = rt.method == verb::get && rt.pattern == "/api/appointments/:id";
    EXPECT_EQ(rt.options.admission, !read_one) << to_string(rt.method) << " " << rt.pattern;
  }
}

}  // namespace
}  // namespace mundoctor::http
