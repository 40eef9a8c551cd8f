#pragma once

// Helpers shared by the calendar repository's translation units (not part of its interface):
// conversions between the domain model and SQL values, row readers and the column lists they
// read.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "actors/protocol/calendar.hpp"
#include "persistence/crypto/data_cipher.hpp"
#include "persistence/crypto/sealed_columns.hpp"
#include "persistence/uuid_text.hpp"

namespace mundoctor::persistence::calendar_detail {

int64_t to_epoch(calendar::instant t);
calendar::instant from_epoch(int64_t seconds);
calendar::instant read_instant(const pqxx::field& f);  // a floor(epoch) bigint column
std::optional<calendar::instant> read_optional_instant(const pqxx::field& f);

/// YYYY-MM-DD.
std::string ymd_text(const date::year_month_day& d);
std::optional<date::year_month_day> parse_ymd(const std::string& text);
/// "HH:MM" from minutes after midnight (1440 -> "24:00", which PostgreSQL's time accepts).
std::string hhmm(int minutes);

using persistence::is_uuid;  // persistence/uuid_text.hpp

/// A text the column reads as NULL when empty.
std::optional<std::string> null_if_empty(const std::string& s);
std::string text_or_empty(const pqxx::field& f);

/// The notes columns of a row (persistence/crypto/sealed_columns.hpp).
inline sealed_text seal(const data_cipher* cipher, const std::string& plaintext) {
  return seal_text(cipher, plaintext);
}
/// The plaintext of (blob, key id) columns; empty when NULL, without a cipher, or when the
/// blob does not authenticate under the named key.
inline std::string open(const data_cipher* cipher, const pqxx::field& blob,
                        const pqxx::field& key_id) {
  return open_text(cipher, blob, key_id).value_or(std::string{});
}

/// SQL `floor(extract(epoch from <column>))::bigint`.
std::string epoch_sql(const std::string& column);

/// Columns read by read_appointment, prefixed by `alias.` (an empty alias reads bare names).
std::string appointment_columns(const std::string& alias = "a");
calendar::appointment read_appointment(const pqxx::row& r, const data_cipher* cipher,
                                       int offset = 0);
constexpr int appointment_column_count = 19;

/// Inserts inside an open transaction (plus the 'created' history rows), one statement for all
/// of `appts`, answered in their order; maps a reused idempotency key to domain_error
/// already_exists. `hold_id` is stored on every row (a hold conversion has one row).
std::vector<calendar::appointment> insert_appointments_in(
    pqxx::transaction_base& tx, const std::vector<const calendar::appointment*>& appts,
    const data_cipher* cipher, const std::optional<std::string>& hold_id);
calendar::appointment insert_appointment_in(pqxx::transaction_base& tx,
                                            const calendar::appointment& appt,
                                            const data_cipher* cipher,
                                            const std::optional<std::string>& hold_id);

std::string hold_columns();
calendar::hold read_hold(const pqxx::row& r);

std::string service_columns(const std::string& alias = "s");
calendar::service_info read_service(const pqxx::row& r, int offset = 0);
constexpr int service_column_count = 16;

std::string weekly_rule_columns();
calendar::weekly_rule read_weekly_rule(const pqxx::row& r);
std::string exception_columns();
calendar::schedule_exception read_exception(const pqxx::row& r);
calendar::exception_type exception_type_from(const std::string& text);
const char* to_text(calendar::exception_type type);

std::string policy_columns();
calendar::booking_policy read_policy(const pqxx::row& r);

/// True when `e` names the constraint (libpqxx 6.4 exposes no constraint field, but the
/// server message always quotes the name).
bool violates(const pqxx::sql_error& e, const char* constraint);

/// page/limit clamped (page >= 1, 1 <= limit <= 100) -> OFFSET.
int64_t clamp_limit(int limit);
int64_t page_offset(int page, int limit);

}  // namespace mundoctor::persistence::calendar_detail
