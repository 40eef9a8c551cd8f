#include "tests/integration/http_patients/patients_server.hpp"

namespace mundoctor::testing {

std::string patients_test::make_appointment(const std::string& patient,
                                            const std::string& professional,
                                            const std::string& status, int days_ago) const {
  pqxx::connection conn{database_url()};
  pqxx::work tx{conn};
  auto row = tx.exec_params1(
      "INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, "
      "block_starts_at, block_ends_at, status) "
      "SELECT p.id, $2, t, t + interval '30 minutes', t, t + interval '30 minutes', $3 "
      "FROM professional_profiles p, "
      "(SELECT date_trunc('hour', now()) - make_interval(days => $4::int) AS t) s "
      "WHERE p.user_id = $1 RETURNING id::text",
      professional, patient, status, days_ago);
  tx.commit();
  return row[0].as<std::string>();
}

void patients_test::name_user(const std::string& user, const std::string& first,
                              const std::string& last) const {
  exec("UPDATE users SET first_name = $2, last_name = $3 WHERE id = $1", user, first, last);
}

}  // namespace mundoctor::testing
