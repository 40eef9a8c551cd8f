#pragma once

// Authentication and authorization of API requests: the bearer token is verified (RS256 against
// the JWKS or the configured PEM key), its subject resolved to a user by the user service
// (created on first sight), the route's role and status rules applied, and the per-user rate
// limit counted (in Redis when configured, so several nodes count together).

#include <functional>
#include <memory>
#include <string>

#include "actors/identity/jwks.hpp"
#include "actors/identity/jwt.hpp"
#include "actors/identity/verified_cache.hpp"
#include "http/handler.hpp"
#include "http/middleware/rate_limiter.hpp"

namespace mundoctor::http {

class authenticator {
 public:
  /// `store` is the JWKS key store (may be null when a PEM key or the development key is used).
  /// Throws std::invalid_argument when the key settings cannot be used.
  authenticator(const config::settings& settings,
                std::shared_ptr<actors::identity::key_store> store);

  /// Runs `next` once the caller is authenticated and allowed; answers `res` otherwise.
  /// `next` may run on another thread than the caller.
  void authenticate(request_context& ctx, const auth_rule& rule, const responder& res,
                    std::function<void()> next) const;

  /// Verification alone (no user lookup), for the WebSocket handshake and tests. A token
  /// verified before is answered from the token cache while it is unexpired and the key set is
  /// unchanged.
  actors::identity::verify_result verify(const std::string& token) const;

  /// The token of an Authorization: Bearer header; empty when absent or malformed.
  static std::string bearer_token(const request& req);

  /// Whether `p` may use a route with `rule`; fills the refusal otherwise.
  static bool allowed(const principal& p, const auth_rule& rule, errc& code, std::string& message);

 private:
  void resolve(request_context& ctx, std::string sub, const auth_rule& rule, const responder& res,
               std::function<void()> next) const;
  /// The route's rules and the per-user rate limit for a resolved caller, then `next`.
  void admit(request_context& ctx, const principal& p, const auth_rule& rule, const responder& res,
             std::function<void()> next) const;

  const config::settings& settings_;
  std::shared_ptr<actors::identity::key_store> store_;
  actors::identity::public_key single_key_;
  std::string issuer_;
  std::shared_ptr<rate_limiter> user_limiter_;
  mutable actors::identity::token_cache tokens_;
};

/// The issuer tokens must carry: the configured one, or "mundoctor-dev" in development.
std::string effective_issuer(const config::settings& settings);

}  // namespace mundoctor::http
