#pragma once

#include <string>
#include <vector>

#include "config/settings.hpp"

namespace mundoctor::http {

/// `mundoctor dev-token --user ID [--role ROLE] [--ttl 1h]`: development only. Creates the local
/// signing key pair on first use (the development server trusts it), creates or updates the
/// user with the role, and prints a session token on stdout. Returns the process exit code.
int dev_token_command(const config::settings& settings, const std::vector<std::string>& args);

}  // namespace mundoctor::http
