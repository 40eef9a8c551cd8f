#include "http/auth/authenticator.hpp"

#include <algorithm>
#include <stdexcept>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/identity/dev_keys.hpp"
#include "actors/protocol/atoms.hpp"
#include "actors/protocol/names.hpp"
#include "http/error_response.hpp"
#include "persistence/redis_client.hpp"

namespace mundoctor::http {

namespace identity = actors::identity;

namespace {

constexpr auto jwks_refresh_timeout = std::chrono::seconds{10};
constexpr auto redis_timeout = std::chrono::milliseconds{500};

// One Redis round trip per request: a counter per user and window that expires by itself.
constexpr auto rate_script =
    "local n = redis.call('INCR', KEYS[1]) "
    "if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

void fail_unauthenticated(const responder& res, const char* code, const char* message) {
  auto r = error_response(errc::unauthenticated, message, code);
  r.headers.set("www-authenticate", "Bearer");
  res.send(std::move(r));
}

void fail_token(const responder& res, identity::token_failure failure) {
  switch (failure) {
    case identity::token_failure::missing:
      return fail_unauthenticated(res, "TOKEN_MISSING", "Authentication required");
    case identity::token_failure::expired:
      return fail_unauthenticated(res, "TOKEN_EXPIRED", "The session token has expired");
    default:
      return fail_unauthenticated(res, "TOKEN_INVALID", "The session token is not valid");
  }
}

void fail_rate_limited(const responder& res, uint32_t retry_after_s) {
  auto r = error_response(errc::rate_limited);
  r.headers.set("retry-after", std::to_string(std::max<uint32_t>(1, retry_after_s)));
  res.send(std::move(r));
}

}  // namespace

std::string effective_issuer(const config::settings& settings) {
  if (!settings.auth_issuer.empty()) return settings.auth_issuer;
  return settings.env == "development" ? "mundoctor-dev" : std::string{};
}

authenticator::authenticator(const config::settings& settings,
                             std::shared_ptr<identity::key_store> store)
    : settings_(settings),
      store_(std::move(store)),
      issuer_(effective_issuer(settings)),
      user_limiter_(std::make_shared<rate_limiter>(settings.user_rate_limit_rps,
                                                   settings.user_rate_limit_burst)) {
  if (!settings.auth_jwt_key.empty()) {
    single_key_ = identity::parse_public_pem(settings.auth_jwt_key);
  } else if (settings.auth_jwks_url.empty() && settings.env == "development") {
    // Development trusts the key pair that `mundoctor dev-token` signs with.
    single_key_ =
        identity::parse_public_pem(identity::ensure_dev_keypair(settings.dev_key_dir).public_pem);
  }
  if (!single_key_ && !store_)
    spdlog::warn("no token key is configured: every authenticated route answers 401");
  if (issuer_.empty()) spdlog::warn("auth_issuer is not set: every token is rejected");
}

std::string authenticator::bearer_token(const request& req) {
  auto header = req.headers.get("authorization");
  if (!header) return {};
  auto value = *header;
  if (value.size() < 7 || to_lower(value.substr(0, 7)) != "bearer ") return {};
  value.remove_prefix(7);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return std::string{value};
}

identity::verify_result authenticator::verify(const std::string& token) const {
  auto keys = store_ ? store_->current() : std::shared_ptr<const identity::key_set>{};
  auto now = std::chrono::system_clock::now();
  auto leeway = std::chrono::seconds{settings_.jwt_leeway_s};
  // A signature check costs more than the rest of a booking decision: a token seen before
  // with the same key set is taken from the cache until it expires.
  auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  if (auto claims = tokens_.find(token, keys.get(), now_s, leeway.count())) {
    identity::verify_result hit;
    hit.token = std::move(*claims);
    return hit;
  }
  identity::verify_options opts;
  opts.issuer = issuer_;
  opts.authorized_parties = settings_.auth_authorized_parties;
  opts.leeway = leeway;
  opts.now = now;
  static const identity::key_set no_keys;
  auto result = identity::verify_session_token(token, keys ? *keys : no_keys, single_key_, opts);
  if (result.ok()) tokens_.put(token, std::move(keys), result.token);
  return result;
}

bool authenticator::allowed(const principal& p, const auth_rule& rule, errc& code,
                            std::string& message) {
  if (!rule.allow_inactive && (p.status == "suspended" || p.status == "deleted")) {
    code = errc::forbidden;
    message = p.status == "deleted" ? "This account has been deleted" : "This account is suspended";
    return false;
  }
  if (rule.roles.empty()) return true;
  auto admits = [&p](const std::string& role) {
    return role == p.role || (role == "admin" && p.role == "super_admin");
  };
  if (std::any_of(rule.roles.begin(), rule.roles.end(), admits)) return true;
  code = errc::forbidden;
  message = "Your role does not allow this";
  return false;
}

void authenticator::authenticate(request_context& ctx, const auth_rule& rule, const responder& res,
                                 std::function<void()> next) const {
  auto token = bearer_token(*ctx.req);
  if (token.empty()) return fail_token(res, identity::token_failure::missing);
  auto result = verify(token);
  if (result.ok()) return resolve(ctx, result.token.sub, rule, res, std::move(next));
  auto jwks = ctx.svc->lookup(names::jwks);
  if (result.failure != identity::token_failure::unknown_kid || !jwks)
    return fail_token(res, result.failure);
  // A key we do not know yet: the identity provider may have rotated its keys.
  ctx.system().spawn([this, &ctx, jwks, token, rule, res, next](caf::event_based_actor* self) {
    self->request(jwks, jwks_refresh_timeout, identity::refresh_atom::value)
        .then(
            [this, &ctx, token, rule, res, next](bool) {
              auto again = verify(token);
              if (!again.ok()) return fail_token(res, again.failure);
              resolve(ctx, again.token.sub, rule, res, next);
            },
            [res](caf::error&) { fail_token(res, identity::token_failure::invalid); });
  });
}

void authenticator::resolve(request_context& ctx, std::string sub, const auth_rule& rule,
                            const responder& res, std::function<void()> next) const {
  // The user service's cache, read here, saves a round trip through the service.
  if (ctx.svc->principals)
    if (auto hit = ctx.svc->principals->find(sub))
      return admit(ctx, *hit, rule, res, std::move(next));
  auto users = ctx.svc->lookup(names::users);
  if (!users) return res.fail(errc::unavailable, "The user service is not running");
  auto timeout = ctx.svc->request_timeout();
  ctx.system().spawn(
      [this, &ctx, users, timeout, sub, rule, res, next](caf::event_based_actor* self) {
        self->request(users, timeout, resolve_atom::value, sub)
            .then([this, &ctx, rule, res, next](principal& p) { admit(ctx, p, rule, res, next); },
                  [res](caf::error& err) { res.fail(err); });
      });
}

void authenticator::admit(request_context& ctx, const principal& p, const auth_rule& rule,
                          const responder& res, std::function<void()> next) const {
  errc code = errc::none;
  std::string message;
  if (!allowed(p, rule, code, message)) return res.fail(code, message);
  ctx.user = p;
  auto local = [limiter = user_limiter_, res, next, id = p.user_id] {
    auto d = limiter->take(id);
    if (!d.allowed) return fail_rate_limited(res, d.retry_after_s);
    next();
  };
  auto redis = ctx.svc->lookup(names::redis);
  if (!redis) return local();
  // One Redis round trip, so that several nodes count together.
  auto window = static_cast<int64_t>(1000.0 * settings_.user_rate_limit_burst /
                                     settings_.user_rate_limit_rps);
  uint32_t burst = settings_.user_rate_limit_burst;
  auto key = "rl:user:" + p.user_id + ":" +
             std::to_string(caf::make_timestamp().time_since_epoch().count() / 1'000'000 /
                            std::max<int64_t>(1, window));
  std::vector<std::string> argv{"EVAL", rate_script, "1", key, std::to_string(window)};
  ctx.system().spawn([redis, argv = std::move(argv), res, next, burst,
                      local](caf::event_based_actor* self) mutable {
    self->request(redis, redis_timeout, redis_atom::value, std::move(argv))
        .then(
            [res, next, burst, local](persistence::redis_reply& r) {
              if (r.type != persistence::redis_reply_type::integer) return local();
              if (r.integer > static_cast<int64_t>(burst)) return fail_rate_limited(res, 1);
              next();
            },
            [local](caf::error&) { local(); });  // Redis down: count on this node
  });
}

}  // namespace mundoctor::http
