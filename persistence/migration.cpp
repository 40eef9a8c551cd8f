#include "persistence/migration.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <pqxx/pqxx>
#include <regex>

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

namespace mundoctor::persistence {

namespace {

// Fixed key of the session-level advisory lock that serializes migration runs ("mundoc").
constexpr int64_t migration_lock_key = 0x6d756e646f63;

constexpr auto create_table_sql =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version int PRIMARY KEY,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

// Holds pg_advisory_lock for the lifetime of the object, on the given connection.
class advisory_lock {
 public:
  explicit advisory_lock(pqxx::connection_base& conn) : conn_(conn) {
    pqxx::nontransaction tx{conn_};
    tx.exec_params("SELECT pg_advisory_lock($1)", migration_lock_key);
  }
  advisory_lock(const advisory_lock&) = delete;
  advisory_lock& operator=(const advisory_lock&) = delete;
  ~advisory_lock() {
    try {
      pqxx::nontransaction tx{conn_};
      tx.exec_params("SELECT pg_advisory_unlock($1)", migration_lock_key);
    } catch (const std::exception&) {
      // The lock ends with the session anyway.
    }
  }

 private:
  pqxx::connection_base& conn_;
};

// version -> checksum of every recorded migration; empty when the table does not exist.
std::map<int, std::string> recorded_checksums(pqxx::connection_base& conn) {
  std::map<int, std::string> out;
  pqxx::nontransaction tx{conn};
  auto exists = tx.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0].as<bool>()) return out;
  for (const auto& row : tx.exec("SELECT version, checksum FROM schema_migrations"))
    out.emplace(row[0].as<int>(), row[1].as<std::string>());
  return out;
}

std::string first_line(const std::string& text) {
  auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

void apply_one(pqxx::connection_base& conn, const migration& m) {
  try {
    pqxx::work tx{conn};
    tx.exec(m.sql);
    tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                   m.version, m.name, m.checksum);
    tx.commit();
  } catch (const pqxx::sql_error& e) {
    throw migration_error("migration " + m.name + " failed (SQLSTATE " + e.sqlstate() +
                          "): " + first_line(e.what()));
  } catch (const pqxx::failure& e) {
    throw migration_error("migration " + m.name + " failed: " + first_line(e.what()));
  }
}

}  // namespace

std::vector<migration> plan_migrations(const std::vector<migration_source>& sources) {
  static const std::regex pattern{R"(^[0-9]{4}_[a-z0-9_]+\.sql$)"};
  std::vector<migration> out;
  out.reserve(sources.size());
  for (const auto& src : sources) {
    if (!std::regex_match(src.name, pattern))
      throw migration_error("migration file name " + src.name +
                            " does not match NNNN_lower_snake.sql");
    out.push_back({std::stoi(src.name.substr(0, 4)), src.name, src.sql, sha256_hex(src.sql)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const migration& a, const migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version)
      throw migration_error("migrations " + out[i - 1].name + " and " + out[i].name +
                            " have the same version");
  }
  return out;
}

std::string sha256_hex(const std::string& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 computation failed");
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<std::size_t>(length) * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0x0f]);
  }
  return out;
}

migration_report apply_migrations(pqxx::connection_base& conn,
                                  const std::vector<migration>& migrations) {
  advisory_lock lock{conn};
  {
    pqxx::nontransaction tx{conn};
    tx.exec(create_table_sql);
  }
  auto recorded = recorded_checksums(conn);
  // Refuse before applying anything, so a changed file never leaves a half-migrated schema.
  for (const auto& m : migrations) {
    auto it = recorded.find(m.version);
    if (it != recorded.end() && it->second != m.checksum)
      throw migration_error("migration " + m.name +
                            " was changed after it was applied (checksum mismatch)");
  }
  migration_report report;
  for (const auto& m : migrations) {
    if (recorded.count(m.version) != 0) {
      ++report.already_applied;
    } else {
      apply_one(conn, m);
      spdlog::info("applied migration {}", m.name);
      ++report.applied;
    }
    report.latest_version = std::max(report.latest_version, m.version);
  }
  return report;
}

bool migrations_current(pqxx::connection_base& conn, const std::vector<migration>& migrations) {
  auto recorded = recorded_checksums(conn);
  return std::all_of(migrations.begin(), migrations.end(), [&](const migration& m) {
    auto it = recorded.find(m.version);
    return it != recorded.end() && it->second == m.checksum;
  });
}

}  // namespace mundoctor::persistence
