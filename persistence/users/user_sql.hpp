#pragma once

// Helpers shared by the user repository's translation units (not part of its interface).

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "actors/protocol/identity.hpp"

namespace mundoctor::persistence::detail {

/// The user's principal inside an open transaction, optionally locking the row.
std::optional<principal> read_principal(pqxx::transaction_base& tx, const std::string& id,
                                        bool lock);

/// select-role rules inside an open transaction (see select_role).
principal apply_role(pqxx::transaction_base& tx, const std::string& id, const std::string& role);

/// A PostgreSQL array literal ({a,b}) of values the caller has validated to need no quoting.
std::string array_literal(const std::vector<std::string>& values);
std::string array_literal(const std::vector<int64_t>& values);

/// `column = CASE WHEN $n::text IS NULL THEN column ELSE nullif($n::text, '')::cast END`: a NULL
/// parameter keeps the column, an empty text clears it.
std::string keep_or_set(const std::string& column, int param, const std::string& cast = "text");

/// Same for numbers and other values that are never cleared.
std::string keep_or_replace(const std::string& column, int param, const std::string& type);

}  // namespace mundoctor::persistence::detail
