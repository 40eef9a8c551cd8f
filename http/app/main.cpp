// mundoctor: the server executable.
//   mundoctor [serve] [--config PATH]   serve the API until SIGTERM or SIGINT
//   mundoctor migrate [--config PATH]   apply the database migrations and exit
//   mundoctor check-config [--config PATH]   validate and print the effective settings
//   mundoctor dev-token --user ID [--role ROLE] [--ttl 1h]   development session token
//   mundoctor seed-bench --professionals N --patients M   benchmark fixture
//   mundoctor bench-tokens --patients M --out FILE   development tokens of the bench patients
//   mundoctor seed-demo [--professionals N]   the demo directory (development data)
//   mundoctor --help

#include <csignal>
#include <iostream>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "config/config.hpp"
#include "config/logging.hpp"
#include "http/app/seed_bench.hpp"
#include "http/app/seed_demo.hpp"
#include "http/dev_token.hpp"
#include "http/runtime.hpp"
#include "persistence/migration.hpp"

namespace {

using namespace mundoctor;

constexpr int exit_usage = 2;

struct command_line {
  std::string command = "serve";
  std::optional<std::string> config_path;
  std::vector<std::string> rest;  // the command's own arguments
};

void print_usage(std::ostream& out) {
  out << "usage: mundoctor [serve|migrate|check-config|dev-token] [--config PATH] [ARGS]\n\n"
         "  serve          serve the API (default) until SIGTERM or SIGINT\n"
         "  migrate        apply the database migrations and exit\n"
         "  check-config   validate the settings and print them (secrets hidden)\n"
         "  dev-token      --user ID [--role patient|professional|admin|super_admin] [--ttl 1h]\n"
         "                 development only: create or update the user and print a token\n"
         "  seed-bench     --professionals N --patients M: the benchmark fixture\n"
         "  bench-tokens   --patients M --out FILE [--hours H]: development only: one token\n"
         "                 per line for the bench patients\n"
         "  seed-demo      [--professionals N]: a demo directory of N professionals (10000)\n\n"
         "Settings: defaults < TOML file (--config) < MUNDOCTOR_* environment variables.\n\n"
      << config::help_text();
}

std::optional<command_line> parse(const std::vector<std::string>& args) {
  command_line cl;
  bool command_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--config" && i + 1 < args.size()) {
      cl.config_path = args[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      cl.config_path = a.substr(9);
    } else if (a == "--help" || a == "-h" || a == "help") {
      cl.command = "help";
      return cl;
    } else if (!command_seen && a[0] != '-') {
      cl.command = a;
      command_seen = true;
    } else if (cl.command == "dev-token" || cl.command == "seed-bench" ||
               cl.command == "bench-tokens" || cl.command == "seed-demo") {
      cl.rest.push_back(a);
    } else {
      std::cerr << "mundoctor: unexpected argument \"" << a << "\" (see mundoctor --help)\n";
      return std::nullopt;
    }
  }
  return cl;
}

int check_config(const config::settings& s) {
  for (const auto& [key, value] : config::describe(s)) std::cout << key << " = " << value << '\n';
  return 0;
}

int migrate(const config::settings& s) {
  auto plan = persistence::plan_migrations(persistence::embedded_migrations());
  pqxx::connection conn{s.database_url};
  auto report = persistence::apply_migrations(conn, plan);
  std::cout << "migrations: " << report.applied << " applied, " << report.already_applied
            << " already applied, schema version " << report.latest_version << '\n';
  return 0;
}

int serve(const config::settings& s) {
  // Signals are taken by sigwait below; every thread started from here on inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  http::runtime rt{s};
  rt.start();
  spdlog::info("mundoctor serving ({} environment)", s.env);
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("signal {} received: draining", sig);
  bool drained = rt.stop();
  spdlog::info(drained ? "stopped cleanly" : "stopped; some requests were cut at the deadline");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto cl = parse(std::vector<std::string>(argv + 1, argv + argc));
  if (!cl) return exit_usage;
  if (cl->command == "help") {
    print_usage(std::cout);
    return 0;
  }
  config::settings settings;
  try {
    settings = config::load_settings(cl->config_path, config::environment_snapshot());
    config::init_logging(settings.log_level);
  } catch (const std::exception& e) {
    std::cerr << "mundoctor: " << e.what() << '\n';
    return exit_usage;
  }
  try {
    if (cl->command == "serve") return serve(settings);
    if (cl->command == "migrate") return migrate(settings);
    if (cl->command == "check-config") return check_config(settings);
    if (cl->command == "dev-token") return http::dev_token_command(settings, cl->rest);
    if (cl->command == "seed-bench") return http::seed_bench_command(settings, cl->rest);
    if (cl->command == "bench-tokens") return http::bench_tokens_command(settings, cl->rest);
    if (cl->command == "seed-demo") return http::seed_demo_command(settings, cl->rest);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    spdlog::shutdown();
    std::cerr << "mundoctor: " << e.what() << '\n';
    return 1;
  }
  std::cerr << "mundoctor: unknown command \"" << cl->command << "\" (see mundoctor --help)\n";
  return exit_usage;
}
