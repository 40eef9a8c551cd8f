#include "tests/unit/http/pipeline_fixture.hpp"

#include <stdexcept>

#include "http/ask.hpp"

namespace mundoctor::http {

using namespace std::chrono_literals;

pipeline_fixture::pipeline_fixture() : sys_{cfg_.set("scheduler.max-threads", 2)} {
  settings_.env = "test";
  svc_.system = &sys_;
  svc_.settings = &settings_;
  svc_.metrics = &metrics_;
  add_test_routes();
}

pipeline_fixture::~pipeline_fixture() {
  for (auto& t : threads_) t.join();
  pipe_.reset();
  if (silent_) caf::anon_send_exit(silent_, caf::exit_reason::user_shutdown);
  silent_ = nullptr;
  echo_ = nullptr;
  sys_.await_all_actors_done();
}

pipeline& pipeline_fixture::pipe() {
  if (!pipe_) pipe_ = std::make_unique<pipeline>(svc_, routes_);
  return *pipe_;
}

response pipeline_fixture::serve(request req, std::shared_ptr<answer_log> answers) {
  if (!answers) answers = std::make_shared<answer_log>();
  pipe().handle(std::move(req), [answers](response r) { answers->add(std::move(r)); });
  if (!answers->wait_first()) {
    ADD_FAILURE() << "the pipeline never answered";
    return {};
  }
  std::lock_guard<std::mutex> guard{answers->mutex};
  return answers->answers.front();
}

namespace {

filter_fn require_pass_header() {
  return [](request_context& ctx, const responder& res) {
    if (ctx.req->headers.has("x-pass")) return true;
    res.fail(errc::forbidden, "No pass");
    return false;
  };
}

}  // namespace

void pipeline_fixture::add_test_routes() {
  auto& r = *routes_;
  r.add(verb::get, "/hello", [this](request_context&, responder res) {
    ++handler_runs_;
    res.ok({{"hello", "world"}});
  });
  r.add(verb::get, "/items/:id", [](request_context& ctx, responder res) {
    res.ok({{"id", ctx.param("id")}, {"route", ctx.route_pattern}});
  });
  r.add(verb::del, "/items/:id", [](request_context&, responder res) { res.no_content(); });
  r.add(verb::post, "/echo", [this](request_context& ctx, responder res) {
    ++handler_runs_;
    res.created(ctx.json);
  });
  route_options raw;
  raw.body = body_kind::none;
  r.add(
      verb::post, "/raw",
      [](request_context& ctx, responder res) {
        res.ok({{"size", ctx.req->body.size()}});
      },
      raw);
  route_options guarded;
  guarded.filters.push_back(require_pass_header());
  r.add(
      verb::get, "/guarded",
      [this](request_context&, responder res) {
        ++handler_runs_;
        res.ok("in");
      },
      guarded);
  r.add(verb::get, "/throws",
        [](request_context&, responder) -> void { throw std::runtime_error(internal_detail); });
  r.add(verb::get, "/silent", [this](request_context&, responder) { ++handler_runs_; });
  r.add(verb::get, "/twice", [](request_context&, responder res) {
    res.ok({{"answer", 1}});
    res.ok({{"answer", 2}});
    res.fail(errc::conflict);
  });
  r.add(verb::get, "/later", [this](request_context&, responder res) {
    threads_.emplace_back([res] {
      std::this_thread::sleep_for(50ms);
      res.ok({{"from", "thread"}});
    });
  });
  r.add(verb::get, "/big", [](request_context&, responder res) {
    res.ok({{"text", std::string(8000, 'z')}});
  });
  r.add(verb::get, "/ask/echo", [this](request_context& ctx, responder res) {
    ask(ctx, echo_, caf::make_message(test_ping_atom::value, std::string{"hi"}), res,
        [res](std::string& reply) {
          res.ok({{"reply", reply}});
        });
  });
  r.add(verb::get, "/ask/silent", [this](request_context& ctx, responder res) {
    ask(ctx, silent_, caf::make_message(test_ping_atom::value, std::string{"hi"}), res,
        [res](std::string& reply) {
          res.ok({{"reply", reply}});
        });
  });
  r.add(verb::get, "/ask/nobody", [](request_context& ctx, responder res) {
    ask(ctx, caf::actor{}, caf::make_message(test_ping_atom::value, std::string{"hi"}), res,
        [res](std::string&) { res.ok("unreachable"); });
  });
}

}  // namespace mundoctor::http
