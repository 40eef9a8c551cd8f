#include "http/error_response.hpp"

#include <string>
#include <vector>

#include <caf/sec.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace mundoctor::http {
namespace {

using nlohmann::json;

struct expected_mapping {
  errc code;
  unsigned status;
  std::string machine_code;
};

// API.md section 1: the status of every error code and its default machine code.
const std::vector<expected_mapping>& table() {
  static const std::vector<expected_mapping> rows{
      {errc::bad_request, 400, "BAD_REQUEST"},
      {errc::unauthenticated, 401, "UNAUTHORIZED"},
      {errc::forbidden, 403, "FORBIDDEN"},
      {errc::not_found, 404, "NOT_FOUND"},
      {errc::method_not_allowed, 405, "METHOD_NOT_ALLOWED"},
      {errc::conflict, 409, "CONFLICT"},
      {errc::already_exists, 409, "ALREADY_EXISTS"},
      {errc::slot_taken, 409, "SLOT_TAKEN"},
      {errc::payload_too_large, 413, "PAYLOAD_TOO_LARGE"},
      {errc::unsupported_media_type, 415, "UNSUPPORTED_MEDIA_TYPE"},
      {errc::invalid_argument, 422, "VALIDATION_ERROR"},
      {errc::rate_limited, 429, "RATE_LIMITED"},
      {errc::storage_busy, 503, "STORAGE_BUSY"},
      {errc::storage_unavailable, 503, "SERVICE_UNAVAILABLE"},
      {errc::actor_timeout, 503, "ACTOR_TIMEOUT"},
      {errc::unavailable, 503, "SERVICE_UNAVAILABLE"},
      {errc::internal, 500, "INTERNAL_ERROR"},
      {errc::none, 500, "INTERNAL_ERROR"},
  };
  return rows;
}

TEST(error_response, every_code_maps_to_its_status_and_machine_code) {
  for (const auto& row : table()) {
    SCOPED_TRACE(to_string(row.code));
    auto d = describe(row.code);
    EXPECT_EQ(d.status, row.status);
    EXPECT_EQ(std::string{d.code}, row.machine_code);
    EXPECT_FALSE(std::string{d.message}.empty());

    auto res = error_response(row.code);
    EXPECT_EQ(res.status, row.status);
    EXPECT_EQ(res.headers.get("content-type"), "application/json; charset=utf-8");
    auto body = json::parse(res.body);
    EXPECT_EQ(body.at("success"), false);
    EXPECT_EQ(body.at("code"), row.machine_code);
    EXPECT_EQ(body.at("message"), std::string{d.message});
    EXPECT_TRUE(body.contains("timestamp"));
  }
}

TEST(error_response, retry_after_only_on_429_and_503) {
  for (const auto& row : table()) {
    SCOPED_TRACE(to_string(row.code));
    auto res = error_response(row.code);
    bool wants_retry = row.status == 429 || row.status == 503;
    EXPECT_EQ(res.headers.has("retry-after"), wants_retry);
    if (wants_retry) {
      auto value = std::string{*res.headers.get("retry-after")};
      EXPECT_GT(std::stoi(value), 0);
    }
  }
}

TEST(error_response, message_and_machine_code_of_the_error_are_used) {
  auto res = error_response(errc::conflict, "Ese horario ya no est\xC3\xA1 libre", "SLOT_TAKEN");
  EXPECT_EQ(res.status, 409u);
  auto body = json::parse(res.body);
  EXPECT_EQ(body.at("message"), "Ese horario ya no est\xC3\xA1 libre");
  EXPECT_EQ(body.at("code"), "SLOT_TAKEN");
}

TEST(error_response, internal_errors_never_leak_their_message_code_or_details) {
  error_info info;
  info.code = errc::internal;
  info.message = "pqxx: relation \"users\" does not exist at 10.0.0.5";
  info.machine_code = "PQXX_FAILURE";
  info.details = R"({"sql":"SELECT * FROM users"})";
  auto res = error_response(info);
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(res.body.find("pqxx"), std::string::npos);
  EXPECT_EQ(res.body.find("10.0.0.5"), std::string::npos);
  EXPECT_EQ(res.body.find("PQXX_FAILURE"), std::string::npos);
  EXPECT_EQ(res.body.find("SELECT"), std::string::npos);
  auto body = json::parse(res.body);
  EXPECT_EQ(body.at("code"), "INTERNAL_ERROR");
  EXPECT_EQ(body.at("message"), describe(errc::internal).message);
  EXPECT_FALSE(body.contains("metadata"));
}

TEST(error_response, details_json_becomes_metadata) {
  error_info info;
  info.code = errc::invalid_argument;
  info.message = "Bad fields";
  info.details =
      R"({"validationErrors":[{"field":"email","message":"required","code":"REQUIRED","received":null}]})";
  auto res = error_response(info);
  EXPECT_EQ(res.status, 422u);
  auto body = json::parse(res.body);
  ASSERT_TRUE(body.contains("metadata"));
  const auto& errors = body.at("metadata").at("validationErrors");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at("field"), "email");
  EXPECT_EQ(body.at("code"), "VALIDATION_ERROR");
}

TEST(error_response, details_that_are_not_json_are_dropped) {
  error_info info;
  info.code = errc::bad_request;
  info.details = "{not json";
  auto res = error_response(info);
  EXPECT_EQ(res.status, 400u);
  auto body = json::parse(res.body);
  EXPECT_FALSE(body.contains("metadata"));
  EXPECT_EQ(body.at("message"), describe(errc::bad_request).message);
}

TEST(error_response, caf_errors_round_trip_through_inspect_error) {
  auto info = inspect_error(make_error(errc::slot_taken, "Taken", "SLOT_TAKEN", R"({"a":1})"));
  auto res = error_response(info);
  EXPECT_EQ(res.status, 409u);
  auto body = json::parse(res.body);
  EXPECT_EQ(body.at("message"), "Taken");
  EXPECT_EQ(body.at("metadata"), (json{{"a", 1}}));
}

TEST(error_response, actor_timeouts_are_503_with_retry_after) {
  auto res = error_response(inspect_error(caf::make_error(caf::sec::request_timeout)));
  EXPECT_EQ(res.status, 503u);
  EXPECT_TRUE(res.headers.has("retry-after"));
  EXPECT_EQ(json::parse(res.body).at("code"), "ACTOR_TIMEOUT");
}

TEST(error_response, foreign_errors_are_generic_500s) {
  auto res = error_response(inspect_error(caf::make_error(caf::sec::runtime_error, "boom")));
  EXPECT_EQ(res.status, 500u);
  EXPECT_EQ(res.body.find("boom"), std::string::npos);
  EXPECT_FALSE(res.headers.has("retry-after"));
}

}  // namespace
}  // namespace mundoctor::http
