#include "http/app/seed_demo.hpp"

#include <chrono>
#include <iostream>
#include <pqxx/pqxx>
#include <regex>

#include "persistence/search/directory_repository.hpp"

namespace mundoctor::http {

namespace {

constexpr int exit_usage = 2;
constexpr int default_professionals = 10'000;
constexpr int max_professionals = 200'000;

}  // namespace

int seed_demo_command(const config::settings& settings, const std::vector<std::string>& args) {
  if (settings.env == "production") {
    std::cerr << "mundoctor seed-demo: refused: demo data never goes into production\n";
    return exit_usage;
  }
  int professionals = default_professionals;
  static const std::regex digits{"^[0-9]{1,7}$"};
  if (!args.empty()) {
    if (args.size() != 2 || args[0] != "--professionals" || !std::regex_match(args[1], digits) ||
        std::stoi(args[1]) < 1 || std::stoi(args[1]) > max_professionals) {
      std::cerr << "usage: mundoctor seed-demo [--professionals N]   (1.." << max_professionals
                << ", default " << default_professionals << ")\n";
      return exit_usage;
    }
    professionals = std::stoi(args[1]);
  }
  auto started = std::chrono::steady_clock::now();
  pqxx::connection conn{settings.database_url};
  auto total = persistence::seed_demo(conn, professionals);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started);
  std::cout << "demo directory: " << total << " demo professionals (asked for " << professionals
            << ") in " << ms.count() << " ms\n";
  return 0;
}

}  // namespace mundoctor::http
