#pragma once

// Development data command:
//   mundoctor seed-demo [--professionals N]
//       fills (idempotently) a realistic public directory: N professionals (default 10000)
//       user_demo_pro_00001.. across Spanish cities and every specialty, with services,
//       schedules, booking policies and rating figures (persistence::seed_demo); refused in
//       production

#include <string>
#include <vector>

#include "config/settings.hpp"

namespace mundoctor::http {

/// Returns the process exit code.
int seed_demo_command(const config::settings& settings, const std::vector<std::string>& args);

}  // namespace mundoctor::http
