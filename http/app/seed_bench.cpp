#include "http/app/seed_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <pqxx/pqxx>
#include <regex>

#include <sys/stat.h>

#include "actors/identity/dev_keys.hpp"
#include "http/auth/authenticator.hpp"
#include "persistence/calendar/calendar_repository.hpp"

namespace mundoctor::http {

namespace {

constexpr int exit_usage = 2;
constexpr int max_professionals = 100'000;
constexpr int max_patients = 1'000'000;
constexpr int max_token_hours = 24;

std::optional<int> parse_count(const std::string& text, int max) {
  static const std::regex digits{"^[0-9]{1,7}$"};
  if (!std::regex_match(text, digits)) return std::nullopt;
  auto n = std::stoi(text);
  if (n < 1 || n > max) return std::nullopt;
  return n;
}

struct bench_args {
  int professionals = 0;
  int patients = 0;
  int hours = 2;
  std::string out;
};

// --professionals N, --patients M, --out FILE and --hours H, each where `allowed` names it.
std::optional<bench_args> parse_args(const char* command, const std::vector<std::string>& args,
                                     const std::vector<std::string>& allowed) {
  bench_args out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    bool known = std::find(allowed.begin(), allowed.end(), a) != allowed.end();
    if (!known || i + 1 >= args.size()) {
      std::cerr << "mundoctor " << command << ": unexpected argument \"" << a << "\"\n";
      return std::nullopt;
    }
    const auto& value = args[++i];
    std::optional<int> n;
    if (a == "--out") {
      out.out = value;
      continue;
    }
    if (a == "--professionals") n = parse_count(value, max_professionals);
    if (a == "--patients") n = parse_count(value, max_patients);
    if (a == "--hours") n = parse_count(value, max_token_hours);
    if (!n) {
      std::cerr << "mundoctor " << command << ": " << a << " takes a positive count\n";
      return std::nullopt;
    }
    if (a == "--professionals")
      out.professionals = *n;
    else if (a == "--patients")
      out.patients = *n;
    else
      out.hours = *n;
  }
  return out;
}

}  // namespace

std::string bench_patient_id(int n) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "%05d", n);
  return std::string{"user_bench_pat_"} + digits;
}

int seed_bench_command(const config::settings& settings, const std::vector<std::string>& args) {
  if (settings.env == "production") {
    std::cerr << "mundoctor seed-bench: refused: benchmark data never goes into production\n";
    return exit_usage;
  }
  auto parsed = parse_args("seed-bench", args, {"--professionals", "--patients"});
  if (!parsed || parsed->professionals == 0 || parsed->patients == 0) {
    std::cerr << "usage: mundoctor seed-bench --professionals N --patients M\n";
    return exit_usage;
  }
  pqxx::connection conn{settings.database_url};
  persistence::seed_bench(conn, parsed->professionals, parsed->patients);
  std::cout << "seeded " << parsed->professionals << " professionals, " << parsed->patients
            << " patients and user_bench_admin\n";
  return 0;
}

int bench_tokens_command(const config::settings& settings, const std::vector<std::string>& args) {
  if (settings.env != "development") {
    std::cerr << "mundoctor bench-tokens: refused: development tokens exist only when env is "
                 "development (it is "
              << settings.env << ")\n";
    return exit_usage;
  }
  auto parsed = parse_args("bench-tokens", args, {"--patients", "--out", "--hours"});
  if (!parsed || parsed->patients == 0 || parsed->out.empty()) {
    std::cerr << "usage: mundoctor bench-tokens --patients M --out FILE [--hours H]\n";
    return exit_usage;
  }
  auto keys = actors::identity::ensure_dev_keypair(settings.dev_key_dir);
  auto issuer = effective_issuer(settings);
  std::ofstream out{parsed->out, std::ios::trunc};
  if (!out) {
    std::cerr << "mundoctor bench-tokens: cannot write " << parsed->out << '\n';
    return 1;
  }
  ::chmod(parsed->out.c_str(), 0600);  // bearer tokens
  std::chrono::hours ttl{parsed->hours};
  for (int i = 1; i <= parsed->patients; ++i)
    out << actors::identity::make_session_token(keys.private_pem, bench_patient_id(i), issuer, ttl)
        << '\n';
  out.close();
  if (!out) {
    std::cerr << "mundoctor bench-tokens: writing " << parsed->out << " failed\n";
    return 1;
  }
  return 0;
}

}  // namespace mundoctor::http
