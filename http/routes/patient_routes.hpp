#pragma once

// Shared pieces of the patient side's route files (patient_routes.cpp,
// patient_list_routes.cpp, medical_record_routes.cpp).

#include <functional>
#include <optional>
#include <string>

#include "http/ask.hpp"
#include "http/envelope.hpp"
#include "http/handler.hpp"
#include "persistence/crypto/data_cipher.hpp"
#include "persistence/db_pool.hpp"

namespace mundoctor::http {

class router;

/// Answers a {"items": [...], "total": n} text as a paginated list.
void answer_items(const responder& res, const page_request& page, std::string& text,
                  unsigned status = 200);

/// Answers a JSON text as `data` (status 200 or 201).
void answer_data(const responder& res, std::string& text, unsigned status = 200);

/// Favourites and emergency contacts (patient_list_routes.cpp).
void register_patient_list_routes(router& r);

}  // namespace mundoctor::http
