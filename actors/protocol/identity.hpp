#pragma once

// Identity protocol: who is calling (principal), the user service's messages, the audit trail
// and the Clerk write-back. JSON crosses actor boundaries as text (std::string).

#include <cstdint>
#include <string>

#include <caf/atom.hpp>
#include <caf/meta/type_name.hpp>

#include "actors/protocol/atoms.hpp"

namespace mundoctor {

// -- roles and statuses --------------------------------------------------------------------

/// users.role: "patient" | "professional" | "admin" | "super_admin"; empty until chosen.
/// users.status: "incomplete" | "pending_validation" | "active" | "suspended" | "deleted".
struct principal {
  std::string user_id;
  std::string role;
  std::string status;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, principal& x) {
  return f(caf::meta::type_name("principal"), x.user_id, x.role, x.status);
}

/// Admins and super admins may act for anyone.
inline bool is_admin_role(const std::string& role) {
  return role == "admin" || role == "super_admin";
}
inline bool is_admin(const principal& p) { return is_admin_role(p.role); }

// -- user service (published as names::users) ----------------------------------------------
// (resolve_atom, user_id)                      -> principal; provisions an unknown id on
//                                                 first sight (status incomplete, role none)
// (get_atom, profile_atom, user_id)            -> std::string: the profile JSON of API.md
// (put_atom, profile_atom, user_id, json)      -> std::string: updated profile JSON;
//                                                 errc::invalid_argument with validationErrors
// (select_role_atom, user_id, role)            -> std::string: updated profile JSON
// (get_atom, prefs_atom, user_id)              -> std::string: preferences JSON
// (put_atom, prefs_atom, user_id, json)        -> std::string: preferences JSON
// (dashboard_atom, user_id, which, limit)      -> std::string: data JSON; which = "stats" |
//                                                 "appointments" | "reviews"; limit is an
//                                                 int64_t (int32_t accepted), clamped to 1..100
// (clerk_event_atom, svix_id, payload_json)    -> bool: true when applied, false when the
//                                                 svix id was seen before
// (invalidate_atom, user_id)                   -> drops the cached principal (async)

using resolve_atom = caf::atom_constant<caf::atom("resolve")>;
using profile_atom = caf::atom_constant<caf::atom("profile")>;
using prefs_atom = caf::atom_constant<caf::atom("prefs")>;
using select_role_atom = caf::atom_constant<caf::atom("sel_role")>;
using dashboard_atom = caf::atom_constant<caf::atom("dashboard")>;
using clerk_event_atom = caf::atom_constant<caf::atom("clerk_evt")>;
using invalidate_atom = caf::atom_constant<caf::atom("invalidat")>;

// -- audit trail (published as names::audit) -----------------------------------------------
// (audit_atom, audit_record) -> nothing; batched, written through the DB pool, flushed on exit.

struct audit_record {
  std::string actor_user_id;  // empty for anonymous requests
  std::string action;         // "POST /api/users/select-role", "read patient.history"
  std::string resource_type;  // "user", "appointment", ...
  std::string resource_id;
  std::string outcome;  // "success" | "denied" | "error" | "<http status>"
  std::string ip;
  std::string user_agent;
  std::string request_id;
  int64_t at_unix_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audit_record& x) {
  return f(caf::meta::type_name("audit_record"), x.actor_user_id, x.action, x.resource_type,
           x.resource_id, x.outcome, x.ip, x.user_agent, x.request_id, x.at_unix_ms);
}

using audit_atom = caf::atom_constant<caf::atom("audit")>;

// -- Clerk Backend API write-back (published as names::clerk) ------------------------------
// (clerk_metadata_atom, user_id, public_metadata_json, unsafe_metadata_json) -> nothing;
// PATCH /v1/users/{id}/metadata with retries and backoff, never failing the caller.

using clerk_metadata_atom = caf::atom_constant<caf::atom("clerk_meta")>;

}  // namespace mundoctor
