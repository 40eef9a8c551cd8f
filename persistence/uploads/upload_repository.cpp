#include "persistence/uploads/upload_repository.hpp"

#include <pqxx/pqxx>

namespace mundoctor::persistence {

namespace {

constexpr const char* columns =
    "id::text, owner_id, purpose, stored_filename, original_name, mimetype, size_bytes, sha256";

upload_record read_record(const pqxx::row& r) {
  upload_record out;
  out.id = r[0].as<std::string>();
  out.owner_id = r[1].as<std::string>();
  out.purpose = r[2].as<std::string>();
  out.stored_filename = r[3].as<std::string>();
  out.original_name = r[4].as<std::string>();
  out.mimetype = r[5].as<std::string>();
  out.size_bytes = r[6].as<int64_t>();
  out.sha256 = r[7].as<std::string>();
  return out;
}

upload_record insert_one(pqxx::transaction_base& tx, const upload_record& r) {
  auto row = tx.exec_params1(
      std::string{"INSERT INTO uploads (owner_id, purpose, stored_filename, original_name,"
                  " mimetype, size_bytes, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                  " RETURNING "} +
          columns,
      r.owner_id, r.purpose, r.stored_filename, r.original_name, r.mimetype, r.size_bytes,
      r.sha256);
  return read_record(row);
}

}  // namespace

std::vector<upload_record> insert_uploads(pqxx::connection_base& conn,
                                          std::vector<upload_record> records) {
  pqxx::work tx{conn};
  for (auto& r : records) r = insert_one(tx, r);
  tx.commit();
  return records;
}

upload_record insert_avatar(pqxx::connection_base& conn, upload_record record,
                            const std::string& avatar_url) {
  pqxx::work tx{conn};
  auto stored = insert_one(tx, record);
  tx.exec_params0("UPDATE users SET avatar_url = $2 WHERE id = $1", record.owner_id, avatar_url);
  tx.commit();
  return stored;
}

std::optional<upload_record> find_upload(pqxx::connection_base& conn,
                                         const std::string& stored_filename) {
  pqxx::read_transaction tx{conn};
  auto rows = tx.exec_params(std::string{"SELECT "} + columns +
                                 " FROM uploads WHERE stored_filename = $1 AND deleted_at IS NULL",
                             stored_filename);
  tx.commit();
  if (rows.empty()) return std::nullopt;
  return read_record(rows[0]);
}

}  // namespace mundoctor::persistence
