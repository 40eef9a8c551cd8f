#pragma once

// The exception repositories throw for rule violations; the DB pool's callers turn it into an
// error reply (see actors/db_call.hpp).

#include <stdexcept>
#include <string>

#include <caf/error.hpp>

#include "actors/protocol/errors.hpp"

namespace mundoctor::persistence {

/// A rule violation detected by a repository (a conflict, a missing row...). Callers turn it
/// into the caf::error of `to_error()`.
class domain_error : public std::runtime_error {
 public:
  domain_error(errc code, const std::string& message, std::string machine_code = {},
               std::string details = {});
  errc code() const noexcept { return code_; }
  caf::error to_error() const;

 private:
  errc code_;
  std::string machine_code_;
  std::string details_;
};

}  // namespace mundoctor::persistence
