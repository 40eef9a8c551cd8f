#pragma once

// End-to-end identity tests, on the shared HTTP fixture (tests/support/http/api_fixture.hpp):
// each test starts its runtimes itself, with the settings of identity_settings() or its own,
// and calls the API with tokens it mints (valid ones from token_for, any others from sign).

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/http/api_fixture.hpp"

namespace mundoctor::testing {

constexpr auto test_party = "http://localhost:5173";
constexpr auto identity_ops_token = test_ops_token;

/// "whsec_" + base64 of 24 random bytes, fixed for the binary.
const std::string& test_webhook_secret();

class identity_test : public api_test {
 protected:
  bool starts_in_set_up() const override { return false; }
  /// Adds the authorized party and the webhook secret.
  void configure(config::settings& s) const override;
  /// Stops the runtime without expecting a drained stop.
  void TearDown() override { stop(); }

  /// The standard settings of these tests (see the file comment of each test), without Redis.
  config::settings identity_settings() const;

  // -- tokens ----------------------------------------------------------------------------------
  static std::string sign(const nlohmann::json& header, const nlohmann::json& payload);
  /// Claims of a valid token for `sub`: iss, sub, iat, nbf, exp (+1 h), sid.
  static nlohmann::json claims_for(const std::string& sub);

  // -- HTTP ------------------------------------------------------------------------------------
  /// A request to the current runtime; `token` empty = no Authorization header.
  http_result call(const std::string& method, const std::string& target,
                   const std::string& token = "", const std::string& body = "") const {
    return call_on(port_, method, target, token, body);
  }
  http_result call_on(uint16_t port, const std::string& method, const std::string& target,
                      const std::string& token = "", const std::string& body = "") const {
    return send(port, method, target, token, body);
  }
  http_result get_as(const std::string& user, const std::string& target) const {
    return call("GET", target, token_for(user));
  }
  http_result send_as(const std::string& user, const std::string& method, const std::string& target,
                      const nlohmann::json& body) const {
    return call(method, target, token_for(user), body.dump());
  }

  // -- database --------------------------------------------------------------------------------
  /// One value of a query on the scratch database; nullopt when the value is NULL.
  std::optional<std::string> query_value(const std::string& sql, const std::string& param) const {
    return query_optional(sql, param);
  }
};

}  // namespace mundoctor::testing
