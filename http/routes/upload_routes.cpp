// The "Uploads" endpoints of API.md. The multipart body is checked on the I/O thread (parsing,
// per-file limits, type by magic bytes: http/routes/upload_requests.hpp); hashing, the disk
// writes and the row inserts run together as one job on the DB pool, so no I/O thread waits on
// the disk. Stored names are generated here, never taken from the client.
//
// Who may call them:
//   POST /api/uploads/professional-documents  professionals (also while pending_validation,
//                                             the status select-role gives them)
//   POST /api/uploads/avatar                  any authenticated user
//   GET  /api/uploads/:file                   the file's owner or an admin; anyone else 404
//   GET  /api/avatars/:file                   public, avatars only (the url an avatar upload
//                                             returns and users.avatar_url point here)

#include <system_error>

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include "actors/db_call.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/router.hpp"
#include "http/routes/calendar_client.hpp"
#include "http/routes/routes.hpp"
#include "http/routes/upload_requests.hpp"
#include "persistence/uploads/upload_repository.hpp"
#include "persistence/uploads/upload_store.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;
using persistence::domain_error;
using persistence::upload_record;

constexpr auto url_prefix = "/api/uploads/";
// Avatars are shown to everyone (public profiles, search results): served without a session.
constexpr auto avatar_url_prefix = "/api/avatars/";

std::string url_of(const upload_record& r) {
  return (r.purpose == "avatar" ? avatar_url_prefix : url_prefix) + r.stored_filename;
}

struct pending_file {
  std::string field;
  upload_record record;  // sha256 is filled in by the job
  std::string bytes;
};
using pending_files = std::shared_ptr<const std::vector<pending_file>>;

pending_files pending_from(const request_context& ctx, const std::vector<accepted_file>& files) {
  auto out = std::make_shared<std::vector<pending_file>>();
  for (const auto& f : files) {
    upload_record r;
    r.owner_id = ctx.user_id();
    r.purpose = f.purpose;
    r.stored_filename = persistence::new_stored_name(extension_of(f.type));
    r.original_name = f.original_name;
    r.mimetype = std::string{mime_type_of(f.type)};
    r.size_bytes = static_cast<int64_t>(f.bytes.size());
    out->push_back({f.field, std::move(r), std::string{f.bytes}});
  }
  return out;
}

json upload_json(const upload_record& r) {
  return {{"originalName", r.original_name},
          {"filename", r.stored_filename},
          {"url", url_of(r)},
          {"size", r.size_bytes},
          {"mimetype", r.mimetype},
          {"sha256", r.sha256}};
}

// Hashes and writes every file, then runs `insert(records)`. Whatever fails, no file of this
// request stays on disk; a storage failure is a 503 (details in the log only).
template <class Insert>
json store(const std::string& dir, const std::vector<pending_file>& files, Insert insert) {
  std::vector<upload_record> records;
  try {
    for (const auto& f : files) {
      records.push_back(f.record);
      records.back().sha256 = persistence::sha256_hex(f.bytes);
      persistence::write_upload(dir, f.record.stored_filename, f.bytes);
    }
    return insert(std::move(records));
  } catch (const std::system_error& e) {
    for (const auto& f : files) persistence::remove_upload(dir, f.record.stored_filename);
    spdlog::error("storing an upload failed: {}", e.what());
    throw domain_error(errc::unavailable, "The file could not be stored", "STORAGE_UNAVAILABLE");
  } catch (...) {
    for (const auto& f : files) persistence::remove_upload(dir, f.record.stored_filename);
    throw;
  }
}

void run(request_context& ctx, const responder& res, persistence::db_job job, unsigned status) {
  ask_pool(ctx, res, std::move(job), answer_json(res, status));
}

// Answers a failed upload_check with its envelope.
void refuse(const responder& res, upload_check& check) {
  std::string details = check.metadata.is_null() ? std::string{} : check.metadata.dump();
  res.fail(make_error(check.code, check.message, check.machine_code, details));
}

void post_documents(request_context& ctx, responder res) {
  auto check = check_upload(*ctx.req, documents_spec());
  if (!check.ok()) return refuse(res, check);
  auto files = pending_from(ctx, check.files);
  auto dir = ctx.settings().upload_dir;
  run(ctx, res,
      actors::make_job("uploads.documents",
                       [files, dir](pqxx::connection_base& conn) {
                         auto data = store(dir, *files, [&](std::vector<upload_record> records) {
                           auto stored = persistence::insert_uploads(conn, std::move(records));
                           json out = json::object();
                           for (std::size_t i = 0; i < stored.size(); ++i)
                             out[(*files)[i].field] = upload_json(stored[i]);
                           return out;
                         });
                         return caf::make_message(data.dump());
                       }),
      201);
}

void post_avatar(request_context& ctx, responder res) {
  auto check = check_upload(*ctx.req, avatar_spec());
  if (!check.ok()) return refuse(res, check);
  auto files = pending_from(ctx, check.files);
  auto dir = ctx.settings().upload_dir;
  run(ctx, res,
      actors::make_job("uploads.avatar",
                       [files, dir](pqxx::connection_base& conn) {
                         auto data = store(dir, *files, [&](std::vector<upload_record> records) {
                           auto url = url_of(records.front());
                           return upload_json(
                               persistence::insert_avatar(conn, std::move(records.front()), url));
                         });
                         return caf::make_message(data.dump());
                       }),
      201);
}

[[noreturn]] void upload_not_found() {
  throw domain_error(errc::not_found, "File not found", "UPLOAD_NOT_FOUND");
}

// Who may read an upload: its owner, an admin, or anyone when it is an avatar.
struct reader_rights {
  std::string user_id;
  bool admin = false;
  bool avatars_only = false;  // the public avatar route: avatars to anyone, nothing else
};

bool may_read(const upload_record& r, const reader_rights& who) {
  if (who.avatars_only) return r.purpose == "avatar";
  return r.owner_id == who.user_id || who.admin;
}

// Reads the row and the file on the pool: (bytes, mimetype, original name, owner id).
persistence::db_job read_job(const std::string& name, reader_rights who, const std::string& dir) {
  return actors::make_job("uploads.read", [name, who, dir](pqxx::connection_base& conn) {
    auto found = persistence::find_upload(conn, name);
    if (!found || !may_read(*found, who)) upload_not_found();
    auto bytes = persistence::read_upload(dir, name, document_file_limit);
    if (!bytes) {
      spdlog::warn("upload {} has a row but no readable file", name);
      upload_not_found();
    }
    return caf::make_message(std::move(*bytes), found->mimetype, found->original_name,
                             found->owner_id);
  });
}

void serve_upload(request_context& ctx, const responder& res, const reader_rights& who) {
  auto name = ctx.param("file");
  if (!persistence::is_stored_name(name))
    return res.fail(errc::not_found, "File not found", "UPLOAD_NOT_FOUND");
  auto job = read_job(name, who, ctx.settings().upload_dir);
  bool avatar = who.avatars_only;
  ask_pool(ctx, res, std::move(job),
           [&ctx, res, name, avatar](std::string& bytes, std::string& mimetype,
                                     std::string& original, std::string& owner) {
             if (!avatar && owner != ctx.user_id()) ctx.audited_reads.emplace_back("upload", name);
             response out;
             out.headers.set("content-type", mimetype);
             out.headers.set("content-disposition",
                             content_disposition(original, mimetype != "application/pdf"));
             out.headers.set("x-content-type-options", "nosniff");
             // Stored names are random and never reused: an avatar may be cached for a day.
             out.headers.set("cache-control",
                             avatar ? "public, max-age=86400" : "private, no-store");
             out.body = std::move(bytes);
             res.send(std::move(out));
           });
}

void get_upload(request_context& ctx, responder res) {
  serve_upload(ctx, res, {ctx.user_id(), is_admin(*ctx.user), false});
}

void get_avatar(request_context& ctx, responder res) { serve_upload(ctx, res, {{}, false, true}); }

}  // namespace

void register_upload_routes(router& r) {
  route_options documents;
  documents.auth = auth_rule{};
  documents.auth->roles = {"professional"};
  documents.body = body_kind::none;  // multipart, checked by the handler
  documents.max_body_bytes = documents_body_limit;
  documents.max_part_bytes = document_file_limit;
  r.add(verb::post, "/api/uploads/professional-documents", post_documents, documents);

  route_options avatar;
  avatar.auth = auth_rule{};
  avatar.body = body_kind::none;
  avatar.max_body_bytes = avatar_body_limit;
  avatar.max_part_bytes = avatar_file_limit;
  avatar.changes_directory = true;  // results show avatar_url
  r.add(verb::post, "/api/uploads/avatar", post_avatar, avatar);

  route_options owner_or_admin;
  owner_or_admin.auth = auth_rule{};
  r.add(verb::get, "/api/uploads/:file", get_upload, owner_or_admin);
  r.add(verb::get, "/api/avatars/:file", get_avatar);
}

}  // namespace mundoctor::http
