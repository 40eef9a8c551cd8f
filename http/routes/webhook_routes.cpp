// Webhooks from the identity provider (Clerk, delivered by Svix).

#include <chrono>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/identity/svix.hpp"
#include "actors/protocol/identity.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/router.hpp"
#include "http/routes/routes.hpp"

namespace mundoctor::http {

namespace {

namespace identity = actors::identity;

void post_clerk_webhook(request_context& ctx, responder res) {
  const auto& secret = ctx.settings().clerk_webhook_secret;
  if (secret.empty())
    return res.fail(errc::unavailable, "Clerk webhooks are not configured on this server");
  const auto& headers = ctx.req->headers;
  auto id = std::string{headers.get("svix-id").value_or("")};
  auto failure = identity::verify_svix(secret, id, headers.get("svix-timestamp").value_or(""),
                                       headers.get("svix-signature").value_or(""), ctx.req->body,
                                       std::chrono::system_clock::now());
  if (failure != identity::svix_failure::none) {
    spdlog::warn("rejected a Clerk webhook: {}", identity::to_string(failure));
    return res.fail(errc::unauthenticated, "The webhook signature is not valid",
                    "INVALID_SIGNATURE");
  }
  if (!ctx.json.is_object() || !ctx.json.value("type", nlohmann::json{}).is_string())
    return res.fail(errc::bad_request, "The webhook payload has no event type");
  ask(ctx, ctx.svc->lookup(names::users),
      caf::make_message(clerk_event_atom::value, id, ctx.req->body), res, [res](bool applied) {
        res.ok({{"received", true}, {"duplicate", !applied}});
      });
}

}  // namespace

void register_webhook_routes(router& r) {
  route_options clerk;
  clerk.changes_directory = true;  // user.updated / user.deleted change names and visibility
  r.add(verb::post, "/api/webhooks/clerk", post_clerk_webhook, clerk);
}

}  // namespace mundoctor::http
