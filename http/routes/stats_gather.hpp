#pragma once

// Collects the figures of the pool, the keyed registries and the supervisors in one pass, asking
// them all at once; whatever does not answer within a second is left out.

#include <functional>
#include <optional>
#include <vector>

#include "actors/protocol/introspection.hpp"
#include "http/handler.hpp"

namespace mundoctor::http {

struct stats_snapshot {
  std::optional<db_pool_stats> pool;
  std::optional<db_pool_stats> read_pool;  // directory reads
  std::optional<db_pool_stats> log_pool;   // the audit trail
  std::vector<registry_stats> registries;
  std::vector<supervisor_stats> supervisors;
};

void gather_stats(const services& svc, std::function<void(stats_snapshot)> done);

}  // namespace mundoctor::http
