#include "http/dev_token.hpp"

#include <chrono>
#include <iostream>
#include <optional>
#include <pqxx/pqxx>
#include <regex>

#include "actors/identity/dev_keys.hpp"
#include "http/auth/authenticator.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::http {

namespace {

constexpr int exit_usage = 2;

struct dev_token_args {
  std::string user;
  std::string role = "patient";
  std::chrono::seconds ttl{3600};
};

/// "90s", "30m", "1h", "7d" (a bare number is seconds), at most 30 days.
std::optional<std::chrono::seconds> parse_ttl(const std::string& text) {
  static const std::regex pattern{"^([0-9]{1,7})([smhd]?)$"};
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return std::nullopt;
  auto n = std::stoll(m[1].str());
  auto unit = m[2].str();
  int64_t factor = unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : 1;
  auto seconds = n * factor;
  if (seconds < 1 || seconds > 30 * 86400) return std::nullopt;
  return std::chrono::seconds{seconds};
}

std::optional<dev_token_args> parse_args(const std::vector<std::string>& args) {
  dev_token_args out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    bool has_value = i + 1 < args.size();
    if (a == "--user" && has_value) {
      out.user = args[++i];
    } else if (a == "--role" && has_value) {
      out.role = args[++i];
    } else if (a == "--ttl" && has_value) {
      auto ttl = parse_ttl(args[++i]);
      if (!ttl) {
        std::cerr << "mundoctor dev-token: --ttl takes a duration such as 90s, 30m, 1h or 7d "
                     "(at most 30d)\n";
        return std::nullopt;
      }
      out.ttl = *ttl;
    } else {
      std::cerr << "mundoctor dev-token: unexpected argument \"" << a << "\"\n";
      return std::nullopt;
    }
  }
  static const std::regex id_pattern{"^[A-Za-z0-9_-]{1,128}$"};
  if (!std::regex_match(out.user, id_pattern)) {
    std::cerr << "mundoctor dev-token: --user takes a user id of letters, digits, _ and -\n";
    return std::nullopt;
  }
  if (out.role != "patient" && out.role != "professional" && out.role != "admin" &&
      out.role != "super_admin") {
    std::cerr << "mundoctor dev-token: --role is patient, professional, admin or super_admin\n";
    return std::nullopt;
  }
  return out;
}

}  // namespace

int dev_token_command(const config::settings& settings, const std::vector<std::string>& args) {
  if (settings.env != "development") {
    std::cerr << "mundoctor dev-token: refused: development tokens exist only when env is "
                 "development (it is "
              << settings.env << ")\n";
    return exit_usage;
  }
  auto parsed = parse_args(args);
  if (!parsed) {
    std::cerr << "usage: mundoctor dev-token --user ID [--role ROLE] [--ttl 1h]\n";
    return exit_usage;
  }
  auto keys = actors::identity::ensure_dev_keypair(settings.dev_key_dir);
  pqxx::connection conn{settings.database_url};
  persistence::assign_role(conn, parsed->user, parsed->role);
  std::cout << actors::identity::make_session_token(keys.private_pem, parsed->user,
                                                    effective_issuer(settings), parsed->ttl)
            << '\n';
  return 0;
}

}  // namespace mundoctor::http
