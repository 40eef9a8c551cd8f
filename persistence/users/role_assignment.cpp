#include <pqxx/pqxx>

#include "persistence/users/user_repository.hpp"

namespace mundoctor::persistence {

principal assign_role(pqxx::connection_base& conn, const std::string& id, const std::string& role) {
  if (role != "patient" && role != "professional" && role != "admin" && role != "super_admin")
    throw domain_error(errc::invalid_argument, "unknown role");
  pqxx::work tx{conn};
  auto row = tx.exec_params1(
      "INSERT INTO users (id, role, status) "
      "VALUES ($1, $2, CASE WHEN $2 = 'professional' THEN 'pending_validation' ELSE 'active' END) "
      "ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role, status = CASE "
      "  WHEN users.status = 'incomplete' THEN EXCLUDED.status "
      "  WHEN users.status = 'pending_validation' AND EXCLUDED.role <> 'professional' "
      "    THEN 'active' "
      "  ELSE users.status END "
      "RETURNING status",
      id, role);
  if (role == "patient")
    tx.exec_params(
        "INSERT INTO patient_profiles (user_id) VALUES ($1) "
        "ON CONFLICT ON CONSTRAINT patient_profiles_user_key DO NOTHING",
        id);
  if (role == "professional")
    tx.exec_params(
        "INSERT INTO professional_profiles (user_id) VALUES ($1) "
        "ON CONFLICT ON CONSTRAINT professional_profiles_user_key DO NOTHING",
        id);
  tx.commit();
  return principal{id, role, row[0].as<std::string>()};
}

}  // namespace mundoctor::persistence
