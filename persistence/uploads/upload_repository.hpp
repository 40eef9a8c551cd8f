#pragma once

// The `uploads` table (0010_validation.sql): one row per stored file, with its owner, purpose
// (avatar | dni | degree | certification), server-generated file name, the client's name for
// display only, the sniffed mimetype, size and SHA-256. Every function opens and commits one
// transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pqxx {
class connection_base;
}

namespace mundoctor::persistence {

struct upload_record {
  std::string id;  // uuid, set by the database
  std::string owner_id;
  std::string purpose;
  std::string stored_filename;
  std::string original_name;
  std::string mimetype;
  int64_t size_bytes = 0;
  std::string sha256;
};

/// Inserts every record in one transaction and returns them with their ids.
std::vector<upload_record> insert_uploads(pqxx::connection_base& conn,
                                          std::vector<upload_record> records);

/// Inserts an avatar upload and sets it as the owner's users.avatar_url, in one transaction.
upload_record insert_avatar(pqxx::connection_base& conn, upload_record record,
                            const std::string& avatar_url);

/// The live (not deleted) upload stored under `stored_filename`.
std::optional<upload_record> find_upload(pqxx::connection_base& conn,
                                         const std::string& stored_filename);

}  // namespace mundoctor::persistence
