#pragma once

// Benchmark fixture commands (scripts/bench):
//   mundoctor seed-bench --professionals N --patients M
//       creates (idempotently) the bench professionals user_bench_pro_0001.., the patients
//       user_bench_pat_00001.. and the admin user_bench_admin (persistence::seed_bench);
//       refused in production
//   mundoctor bench-tokens --patients M --out FILE [--ttl 2h]
//       writes one development session token per line for user_bench_pat_00001..M, signed with
//       the development key (the development server trusts it); refused unless env is
//       development. It creates no user: run seed-bench first.

#include <string>
#include <vector>

#include "config/settings.hpp"

namespace mundoctor::http {

/// Returns the process exit code.
int seed_bench_command(const config::settings& settings, const std::vector<std::string>& args);

/// Returns the process exit code.
int bench_tokens_command(const config::settings& settings, const std::vector<std::string>& args);

/// "user_bench_pat_00042" for 42 (at least five digits, wider past 99999).
std::string bench_patient_id(int n);

}  // namespace mundoctor::http
