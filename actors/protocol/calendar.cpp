#include "actors/protocol/calendar.hpp"

namespace mundoctor::calendar {

bool is_occupying(const std::string& status) {
  return status == "pending" || status == "confirmed" || status == "in_progress";
}

}  // namespace mundoctor::calendar
