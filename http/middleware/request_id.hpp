#pragma once

#include <string>
#include <string_view>

#include "http/message.hpp"

namespace mundoctor::http {

/// The client's X-Request-Id when it is 1..128 characters of [A-Za-z0-9._:-], a new random id
/// otherwise (so a client cannot inject text into our logs).
std::string request_id_for(const request& req);

/// 32 random hex characters.
std::string random_id();

bool valid_request_id(std::string_view id);

}  // namespace mundoctor::http
