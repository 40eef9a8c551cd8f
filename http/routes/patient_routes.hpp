#pragma once

// Shared pieces of the patient side's route files (patient_routes.cpp,
// patient_list_routes.cpp, medical_record_routes.cpp).

#include <functional>
#include <optional>
#include <string>

#include "http/envelope.hpp"
#include "http/handler.hpp"
#include "persistence/crypto/data_cipher.hpp"
#include "persistence/db_pool.hpp"

namespace mundoctor::http {

class router;

/// The cipher for medical free text from the data_key setting (a bare base64 key is key id
/// "k1"; "id:key,..." rings rotate, the last entry encrypts); nullopt without a key.
std::optional<persistence::data_cipher> medical_cipher(const config::settings& settings);

/// Runs `job` on the DB pool; `on_ok` gets the job's JSON text.
void run_on_pool(request_context& ctx, const responder& res, persistence::db_job job,
                 std::function<void(std::string&)> on_ok);

/// Answers a {"items": [...], "total": n} text as a paginated list.
void answer_items(const responder& res, const page_request& page, std::string& text,
                  unsigned status = 200);

/// Answers a JSON text as `data` (status 200 or 201).
void answer_data(const responder& res, std::string& text, unsigned status = 200);

/// Favourites and emergency contacts (patient_list_routes.cpp).
void register_patient_list_routes(router& r);

}  // namespace mundoctor::http
