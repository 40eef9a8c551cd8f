#include "persistence/domain_error.hpp"

#include <utility>

namespace mundoctor::persistence {

domain_error::domain_error(errc code, const std::string& message, std::string machine_code,
                           std::string details)
    : std::runtime_error(message),
      code_(code),
      machine_code_(std::move(machine_code)),
      details_(std::move(details)) {}

caf::error domain_error::to_error() const {
  return make_error(code_, what(), machine_code_, details_);
}

}  // namespace mundoctor::persistence
