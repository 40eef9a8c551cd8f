// Benchmark fixture: bookable professionals, patients and an admin, created with a few
// set-based statements (generate_series) so large counts cost no extra round trips.

#include <algorithm>

#include "persistence/calendar/calendar_repository.hpp"
#include "persistence/calendar/calendar_sql.hpp"

namespace mundoctor::persistence {

namespace {

// $1 = number of professionals; the ids are user_bench_pro_0001... (wider past 9999).
constexpr const char* bench_pro_ids =
    "SELECT 'user_bench_pro_' || lpad(i::text, greatest(4, length(i::text)), '0') AS uid, i"
    " FROM generate_series(1, $1::int) AS i";

constexpr const char* seed_professionals = R"SQL(
INSERT INTO users (id, role, status, email, email_verified, first_name, last_name)
SELECT g.uid, 'professional', 'active', g.uid || '@bench.mundoctor.test', true,
       'Bench', 'Profesional ' || g.i
  FROM (%IDS%) AS g
ON CONFLICT (id) DO NOTHING
)SQL";

constexpr const char* seed_profiles = R"SQL(
INSERT INTO professional_profiles (user_id, specialty_id, verified, verification_status,
                                   verified_at, consultation_fee_cents, city, timezone)
SELECT g.uid, md5('mundoctor.specialty:medicina-general')::uuid, true, 'approved', now(), 5000,
       'Madrid', 'Europe/Madrid'
  FROM (%IDS%) AS g
ON CONFLICT ON CONSTRAINT professional_profiles_user_key DO NOTHING
)SQL";

// Every day of the week 08:00-20:00, one 30-minute service, and the bench policy.
constexpr const char* seed_calendars = R"SQL(
WITH pros AS (
  SELECT p.id FROM professional_profiles p JOIN (%IDS%) AS g ON g.uid = p.user_id
), rules AS (
  INSERT INTO schedules (professional_id, day_of_week, start_time, end_time, timezone)
  SELECT pros.id, d, TIME '08:00', TIME '20:00', 'Europe/Madrid'
    FROM pros CROSS JOIN generate_series(0, 6) AS d
   WHERE NOT EXISTS (SELECT 1 FROM schedules s
                      WHERE s.professional_id = pros.id AND s.day_of_week = d)
  RETURNING 1
), services_added AS (
  INSERT INTO services (professional_id, name, description, category, duration_minutes,
                        price_cents, modalities)
  SELECT pros.id, 'Consulta general', 'Consulta de 30 minutos', 'general', 30, 5000,
         '{in_person,virtual}'
    FROM pros
   WHERE NOT EXISTS (SELECT 1 FROM services s WHERE s.professional_id = pros.id)
  RETURNING 1
)
INSERT INTO booking_policies (professional_id, slot_step_minutes, min_notice_minutes,
                              horizon_days, auto_confirm)
SELECT pros.id, 30, 0, 60, true FROM pros
ON CONFLICT (professional_id) DO NOTHING
)SQL";

constexpr const char* seed_patients = R"SQL(
WITH g AS (
  SELECT 'user_bench_pat_' || lpad(i::text, greatest(5, length(i::text)), '0') AS uid, i
    FROM generate_series(1, $1::int) AS i
), added AS (
  INSERT INTO users (id, role, status, email, email_verified, first_name, last_name)
  SELECT g.uid, 'patient', 'active', g.uid || '@bench.mundoctor.test', true, 'Bench',
         'Paciente ' || g.i
    FROM g
  ON CONFLICT (id) DO NOTHING
  RETURNING id
)
INSERT INTO patient_profiles (user_id)
SELECT id FROM added
ON CONFLICT ON CONSTRAINT patient_profiles_user_key DO NOTHING
)SQL";

constexpr const char* seed_admin = R"SQL(
INSERT INTO users (id, role, status, email, email_verified, first_name, last_name)
VALUES ('user_bench_admin', 'admin', 'active', 'user_bench_admin@bench.mundoctor.test', true,
        'Bench', 'Admin')
ON CONFLICT (id) DO NOTHING
)SQL";

std::string with_ids(std::string sql) {
  const std::string marker = "%IDS%";
  auto pos = sql.find(marker);
  return sql.replace(pos, marker.size(), bench_pro_ids);
}

}  // namespace

void seed_bench(pqxx::connection_base& conn, int professionals, int patients) {
  pqxx::work tx{conn};
  auto pros = std::max(professionals, 0);
  tx.exec_params(with_ids(seed_professionals), pros);
  tx.exec_params(with_ids(seed_profiles), pros);
  tx.exec_params(with_ids(seed_calendars), pros);
  tx.exec_params(seed_patients, std::max(patients, 0));
  tx.exec(seed_admin);
  tx.commit();
}

}  // namespace mundoctor::persistence
