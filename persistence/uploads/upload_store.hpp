#pragma once

// Uploaded files on disk, under the configured upload directory (outside any web root). Names
// are generated here, never taken from clients: 32 random hex digits and the extension of the
// sniffed type. The directory is created with mode 0700 and files with 0600; a file appears
// under its final name only complete (temporary file, fsync, rename, fsync of the directory).
// These calls block: run them on the DB pool's threads, never on an I/O thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mundoctor::persistence {

/// A fresh stored name: 16 random bytes (OpenSSL RAND_bytes) in hex, '.', `extension`.
/// Throws std::runtime_error when the random generator fails.
std::string new_stored_name(std::string_view extension);

/// Whether `name` has the shape new_stored_name produces with jpg, png or pdf; anything else
/// (paths, "..", other extensions) is never looked up on disk.
bool is_stored_name(std::string_view name) noexcept;

/// Lower-case hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

/// Creates `dir` (and missing parents) and restricts it to mode 0700. Throws std::system_error.
void ensure_upload_dir(const std::string& dir);

/// Writes `bytes` as dir/name atomically with mode 0600; an existing file of that name is
/// replaced. `name` must satisfy is_stored_name. Throws std::system_error (or
/// std::invalid_argument for a bad name); no temporary file is left behind.
void write_upload(const std::string& dir, const std::string& name, std::string_view bytes);

/// The content of dir/name; nullopt when the name is not a stored name, the file is missing,
/// is not a regular file or is larger than `max_bytes`.
std::optional<std::string> read_upload(const std::string& dir, const std::string& name,
                                       std::size_t max_bytes);

/// Removes dir/name if it exists (never throws).
void remove_upload(const std::string& dir, const std::string& name) noexcept;

}  // namespace mundoctor::persistence
