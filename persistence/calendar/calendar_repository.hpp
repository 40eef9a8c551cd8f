#pragma once

// All SQL of the calendar domain: the calendar snapshot a calendar actor loads, appointments
// and their history, holds, the waitlist, services, weekly rules, exceptions and the booking
// policy. Every function takes a connection, opens and commits exactly one transaction, and
// throws on failure (libpqxx exceptions, mapped by the DB pool through sql_errors.hpp, or
// domain_error for rule violations), so a pool retry after a broken connection is safe.
//
// Professionals are named by their profile uuid (professional_profiles.id) everywhere except
// resolve_professional_id; patients and actors (changed_by, created_by) by their user id.
// Appointment notes are encrypted with the given data_cipher; a null cipher reads notes as
// empty and refuses to store non-empty notes (domain_error unavailable DATA_KEY_MISSING).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/protocol/calendar.hpp"
#include "persistence/crypto/data_cipher.hpp"
#include "persistence/domain_error.hpp"

namespace pqxx {
class connection_base;
class transaction_base;
}  // namespace pqxx

namespace mundoctor::persistence {

// -- the calendar snapshot -----------------------------------------------------------------

/// What a calendar actor needs in memory.
struct calendar_snapshot {
  std::string professional_id;  // profile uuid
  std::string user_id;
  std::string display_name;
  bool bookable = false;
  calendar::schedule sched;  // zone = the profile's timezone; active rules; exceptions ending
                             // today or later (in that zone); the policy row or its defaults
  std::vector<calendar::service_info> services;     // not deleted (inactive ones included)
  std::vector<calendar::appointment> appointments;  // occupying ones ending after now - 1 day
  std::vector<calendar::hold> holds;                // active and not expired
};

/// A profile uuid or a user id -> the profile uuid; nullopt when neither names a professional.
/// Malformed ids are answered nullopt without an SQL error.
std::optional<std::string> resolve_professional_id(pqxx::connection_base& conn,
                                                   const std::string& id_or_user_id);

/// nullopt when no such profile.
std::optional<calendar_snapshot> load_calendar(pqxx::connection_base& conn,
                                               const std::string& professional_id,
                                               const data_cipher* cipher);

/// Whether the professional may take bookings now (false when unknown).
bool is_bookable(pqxx::connection_base& conn, const std::string& professional_id);

// -- appointments ------------------------------------------------------------------------------

/// INSERT (notes encrypted) plus the 'created' history row, in one transaction; returns the
/// stored row with id and created_at. A reused (patient_id, idempotency_key) is
/// domain_error already_exists (the caller replays the original, found with
/// find_by_idempotency_key); an overlap with an occupying appointment surfaces as the libpqxx
/// exclusion violation (23P01), which map_exception turns into slot_taken.
calendar::appointment insert_appointment(pqxx::connection_base& conn,
                                         const calendar::appointment& appt,
                                         const data_cipher* cipher);
/// The same inside the caller's transaction (the pool's group commit), which commits it.
calendar::appointment insert_appointment(pqxx::transaction_base& tx,
                                         const calendar::appointment& appt,
                                         const data_cipher* cipher);
/// Several appointments (none converting a hold) and their history rows in one statement, in
/// the caller's transaction; the stored rows in the order of `appts`. Any conflict fails the
/// whole statement (the pool then runs each booking alone).
std::vector<calendar::appointment> insert_appointments(
    pqxx::transaction_base& tx, const std::vector<const calendar::appointment*>& appts,
    const data_cipher* cipher);

std::optional<calendar::appointment> find_by_idempotency_key(pqxx::connection_base& conn,
                                                             const std::string& patient_id,
                                                             const std::string& key,
                                                             const data_cipher* cipher = nullptr);

/// nullopt when missing or when `id` is not a uuid.
std::optional<calendar::appointment> find_appointment(pqxx::connection_base& conn,
                                                      const std::string& id,
                                                      const data_cipher* cipher);

/// Optimistic: changes the row only WHERE status = from_status; false when nothing changed.
/// Writes a history row ('cancelled' or 'status_changed'); cancelled sets cancelled_at, _by and
/// the reason; confirmed / in_progress / completed stamp confirmed_at / started_at /
/// completed_at. `changed_by` empty = the system.
bool update_status(pqxx::connection_base& conn, const std::string& id,
                   const std::string& from_status, const std::string& to_status,
                   const std::string& changed_by, const std::string& reason);

/// Moves an occupying appointment in one UPDATE (the exclusion constraint still guards: an
/// overlap is 23P01 and nothing moves) plus a 'rescheduled' history row; false when the
/// appointment does not exist or is not occupying.
bool reschedule(pqxx::connection_base& conn, const std::string& id, calendar::instant new_start,
                calendar::instant new_end, const std::string& changed_by);

struct appointment_filter {
  std::string viewer_role;  // patient | professional | admin | super_admin
  std::string viewer_id;    // the viewer's user id
  std::optional<std::string> status;
  std::optional<calendar::instant> from;       // starts_at >= from
  std::optional<calendar::instant> to;         // starts_at < to
  std::optional<std::string> professional_id;  // profile uuid
  std::optional<std::string> patient_id;
  int page = 1;    // 1-based
  int limit = 20;  // clamped to 1..100
};

struct appointment_page {
  std::vector<calendar::appointment> items;  // by starts_at
  int64_t total = 0;
};

/// Patients see their own, professionals theirs, admins all; any other role sees nothing.
appointment_page list_appointments(pqxx::connection_base& conn, const appointment_filter& filter,
                                   const data_cipher* cipher);

/// The JSON array of API.md GET /api/patients/appointments: the appointment fields plus
/// professional {id, name, avatar_url}, specialty, appointment_date / appointment_time (local
/// to the appointment's zone), consultation_type and status_label (Spanish unless language is
/// "en"), plus service_name. Dates are YYYY-MM-DD local dates compared with the local start
/// date, empty = unbounded (anything else is domain_error invalid_argument); status empty =
/// any. Newest first. Notes are decrypted when a cipher is given, empty otherwise.
std::string list_patient_appointments(pqxx::connection_base& conn, const std::string& patient_id,
                                      const std::string& start_date, const std::string& end_date,
                                      const std::string& status, const std::string& language,
                                      const data_cipher* cipher = nullptr);

struct appointment_change {
  std::string action;  // created | status_changed | rescheduled | cancelled | updated
  std::string changed_by;
  calendar::instant changed_at;
  std::string from_status;
  std::string to_status;
  std::optional<calendar::instant> old_starts_at;
  std::optional<calendar::instant> old_ends_at;
  std::optional<calendar::instant> new_starts_at;
  std::optional<calendar::instant> new_ends_at;
  std::string reason;
};

/// Oldest first; empty for unknown or malformed ids.
std::vector<appointment_change> appointment_history(pqxx::connection_base& conn,
                                                    const std::string& appointment_id);

// -- holds -------------------------------------------------------------------------------------

/// Stores an active hold; returns it with its id.
calendar::hold insert_hold(pqxx::connection_base& conn, const calendar::hold& h);

/// One transaction: the active hold becomes converted and the appointment is inserted (with
/// hold_id, created history). domain_error not_found "HOLD_NOT_FOUND" when the hold is not
/// active; errors of insert_appointment otherwise.
calendar::appointment convert_hold(pqxx::connection_base& conn, const std::string& hold_id,
                                   const calendar::appointment& appt, const data_cipher* cipher);

/// active -> released; false when the hold was not active.
bool release_hold(pqxx::connection_base& conn, const std::string& hold_id);

/// Active holds of the professional with expires_at <= now become expired; returns their ids.
std::vector<std::string> expire_holds(pqxx::connection_base& conn,
                                      const std::string& professional_id, calendar::instant now);

// -- waitlist ----------------------------------------------------------------------------------

struct waitlist_entry {
  std::string id;
  std::string professional_id;
  std::string patient_id;
  std::string service_id;  // empty = any
  calendar::interval window;
  std::string status = "waiting";
  std::string hold_id;
  calendar::instant created_at;
};

/// Stores a waiting entry; a second open entry for the same window is domain_error
/// already_exists.
waitlist_entry add_waitlist_entry(pqxx::connection_base& conn, const waitlist_entry& entry);

/// The oldest waiting entry of the professional whose window overlaps `freed`.
std::optional<waitlist_entry> first_waiting_entry(pqxx::connection_base& conn,
                                                  const std::string& professional_id,
                                                  const calendar::interval& freed);

/// waiting -> offered with the hold; false when the entry was not waiting.
bool mark_offered(pqxx::connection_base& conn, const std::string& entry_id,
                  const std::string& hold_id);

// -- services ----------------------------------------------------------------------------------

struct service_record {
  std::string professional_id;
  calendar::service_info info;
};

struct service_filter {
  std::optional<std::string> professional_id;
  std::optional<std::string> category;  // exact, case-insensitive
  std::optional<std::string> modality;  // in_person | virtual
  std::optional<int64_t> min_price_cents;
  std::optional<int64_t> max_price_cents;
  bool active_only = false;
  int page = 1;
  int limit = 20;  // clamped to 1..100
};

struct service_page {
  std::vector<service_record> items;  // by name
  int64_t total = 0;
};

/// Inserts (service.id is ignored); the DB CHECKs reject out-of-range values (23514).
service_record create_service(pqxx::connection_base& conn, const std::string& professional_id,
                              const calendar::service_info& service);
/// Replaces every editable field of the professional's service; nullopt when not found.
std::optional<service_record> update_service(pqxx::connection_base& conn,
                                             const std::string& professional_id,
                                             const calendar::service_info& service);
/// Soft delete; false when not found or already deleted.
bool delete_service(pqxx::connection_base& conn, const std::string& professional_id,
                    const std::string& service_id);
bool set_service_active(pqxx::connection_base& conn, const std::string& professional_id,
                        const std::string& service_id, bool active);
/// Not deleted; nullopt for unknown or malformed ids.
std::optional<service_record> find_service(pqxx::connection_base& conn,
                                           const std::string& service_id);
service_page list_services(pqxx::connection_base& conn, const service_filter& filter);

// -- weekly rules, exceptions, policy ---------------------------------------------------------

/// An active rule overlapping another (same day, time and dates) is domain_error
/// invalid_argument "SCHEDULE_OVERLAP".
calendar::weekly_rule create_weekly_rule(pqxx::connection_base& conn,
                                         const std::string& professional_id,
                                         const calendar::weekly_rule& rule);
/// false when the professional has no such rule; overlaps as for create.
bool update_weekly_rule(pqxx::connection_base& conn, const std::string& professional_id,
                        const calendar::weekly_rule& rule);
bool delete_weekly_rule(pqxx::connection_base& conn, const std::string& professional_id,
                        const std::string& rule_id);
/// Active rules by day and start.
std::vector<calendar::weekly_rule> list_weekly_rules(pqxx::connection_base& conn,
                                                     const std::string& professional_id);

calendar::schedule_exception create_exception(pqxx::connection_base& conn,
                                              const std::string& professional_id,
                                              const calendar::schedule_exception& ex);
bool update_exception(pqxx::connection_base& conn, const std::string& professional_id,
                      const calendar::schedule_exception& ex);
bool delete_exception(pqxx::connection_base& conn, const std::string& professional_id,
                      const std::string& exception_id);
/// By start date; only those ending on or after `from` when given.
std::vector<calendar::schedule_exception> list_exceptions(
    pqxx::connection_base& conn, const std::string& professional_id,
    std::optional<date::year_month_day> from = std::nullopt);

/// The stored policy or the column defaults.
calendar::booking_policy get_policy(pqxx::connection_base& conn,
                                    const std::string& professional_id);
/// Upsert; returns the stored policy.
calendar::booking_policy put_policy(pqxx::connection_base& conn, const std::string& professional_id,
                                    const calendar::booking_policy& policy);

// -- benchmark fixture -------------------------------------------------------------------------

/// Idempotent bench data: professionals user_bench_pro_0001.. (active, verified, bookable,
/// Monday..Sunday 08:00-20:00 Europe/Madrid, one active 30-minute service, step 30, no minimum
/// notice, horizon 60 days, auto-confirm), patients user_bench_pat_00001.. and an admin
/// user_bench_admin. A few set-based statements, whatever the counts.
void seed_bench(pqxx::connection_base& conn, int professionals, int patients);

}  // namespace mundoctor::persistence
