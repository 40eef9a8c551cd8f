#include "http/handler.hpp"

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <spdlog/spdlog.h>

#include "http/envelope.hpp"
#include "http/error_response.hpp"

namespace mundoctor::http {

caf::actor services::lookup(caf::atom_value name) const {
  auto ptr = system->registry().get(name);
  return caf::actor_cast<caf::actor>(ptr);
}

struct responder::state {
  sink out;
  std::atomic<bool> done{false};

  ~state() {
    if (!done.load() && out) {
      spdlog::error("a request handler finished without answering");
      out(error_response(errc::internal));
    }
  }
};

responder::responder(sink s) : state_(std::make_shared<state>()) { state_->out = std::move(s); }

void responder::send(response res) const {
  if (!state_) return;
  if (state_->done.exchange(true)) {
    spdlog::warn("a request was answered twice; the second answer was dropped");
    return;
  }
  state_->out(std::move(res));
}

void responder::ok(nlohmann::json data, const std::string& message) const {
  send(json_response(200, success_body(std::move(data), message)));
}

void responder::ok(nlohmann::json data, const std::string& message, nlohmann::json metadata) const {
  send(json_response(200, success_body(std::move(data), message, std::move(metadata))));
}

void responder::ok_text(const std::string& data_json, const std::string& metadata_json) const {
  send(json_text_response(200, data_json, metadata_json));
}

void responder::created(nlohmann::json data, const std::string& message) const {
  send(json_response(201, success_body(std::move(data), message)));
}

void responder::no_content() const {
  response res;
  res.status = 204;
  send(std::move(res));
}

void responder::fail(const caf::error& err) const {
  auto info = inspect_error(err);
  if (info.code == errc::internal && err)
    spdlog::error("request failed with an unexpected error: {}", caf::to_string(err));
  send(error_response(info));
}

void responder::fail(errc code, const std::string& message, const std::string& machine_code) const {
  send(error_response(code, message, machine_code));
}

void responder::invalid(nlohmann::json validation_errors, const std::string& message) const {
  error_info info;
  info.code = errc::invalid_argument;
  info.message = message.empty() ? "The request is not valid" : message;
  info.details = nlohmann::json{{"validationErrors", std::move(validation_errors)}}.dump();
  send(error_response(info));
}

bool responder::answered() const { return state_ && state_->done.load(); }

std::string request_context::param(const std::string& name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

}  // namespace mundoctor::http
