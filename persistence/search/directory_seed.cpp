// The demo directory (mundoctor seed-demo): professionals spread over Spanish cities and every
// seeded specialty, with services, weekly schedules, a booking policy and rating figures.
// Everything is derived from md5 of the row number, so the same count always gives the same
// directory, and each statement is set-based (generate_series), so 10,000 professionals take
// a few seconds.

#include <algorithm>
#include <pqxx/pqxx>

#include "persistence/search/directory_repository.hpp"

namespace mundoctor::persistence {

namespace {

// $1 = count. r(k) is byte k (0..15) of md5('mundoctor.demo:' || i): the row's dice.
constexpr const char* demo_rows = R"SQL(
SELECT 'user_demo_pro_' || lpad(i::text, greatest(5, length(i::text)), '0') AS uid, i,
       decode(md5('mundoctor.demo:' || i), 'hex') AS dice
  FROM generate_series(1, $1::int) AS i
)SQL";

constexpr const char* seed_users = R"SQL(
WITH g AS (%ROWS%),
names AS (
  SELECT ARRAY['Ana','Lucía','María','Carmen','Laura','Marta','Elena','Sara','Paula','Julia',
               'Cristina','Isabel','Raquel','Beatriz','Nuria','Pilar','Rocío','Silvia','Irene',
               'Alba','Antonio','José','Manuel','Francisco','David','Javier','Daniel','Carlos',
               'Miguel','Alejandro','Pablo','Sergio','Jorge','Alberto','Luis','Álvaro','Diego',
               'Adrián','Raúl','Iñigo'] AS first,
         ARRAY['García','Rodríguez','González','Fernández','López','Martínez','Sánchez','Pérez',
               'Gómez','Martín','Jiménez','Ruiz','Hernández','Díaz','Moreno','Muñoz','Álvarez',
               'Romero','Alonso','Gutiérrez','Navarro','Torres','Domínguez','Vázquez','Ramos',
               'Gil','Ramírez','Serrano','Blanco','Molina','Morales','Suárez','Ortega','Delgado',
               'Castro','Ortiz','Rubio','Marín','Sanz','Núñez','Iglesias','Medina','Garrido',
               'Cortés','Castillo','Santos','Lozano','Guerrero','Cano','Prieto','Méndez',
               'Cruz','Calvo','Gallego','Vidal','León','Márquez','Herrera','Peña','Flores',
               'Cabrera','Campos','Vega','Fuentes','Carrasco','Diez','Caballero','Reyes',
               'Nieto','Aguilar','Pascual','Santana','Herrero','Lorenzo','Montero','Hidalgo',
               'Giménez','Ibáñez','Ferrer','Durán','Santiago','Benítez','Mora','Vicente',
               'Vargas','Arias','Carmona','Crespo','Román','Pastor','Soto','Sáez','Velasco',
               'Moya','Soler','Parra','Esteban','Bravo','Gallardo','Rojas'] AS last
)
INSERT INTO users (id, role, status, email, email_verified, first_name, last_name)
SELECT g.uid, 'professional', 'active', g.uid || '@demo.mundoctor.test', true,
       n.first[1 + get_byte(g.dice, 0) % cardinality(n.first)],
       n.last[1 + (get_byte(g.dice, 1) * 256 + get_byte(g.dice, 2)) % cardinality(n.last)] || ' ' ||
       n.last[1 + (get_byte(g.dice, 3) * 256 + get_byte(g.dice, 4)) % cardinality(n.last)]
  FROM g CROSS JOIN names n
ON CONFLICT (id) DO NOTHING
)SQL";

// Cities with their real centre; Madrid and Barcelona weigh more. Coordinates are spread by
// up to about 9 km around the centre.
constexpr const char* seed_profiles = R"SQL(
WITH g AS (%ROWS%),
cities (pos, name, lat, lng) AS (VALUES
  (0, 'Madrid', 40.4168, -3.7038), (1, 'Barcelona', 41.3874, 2.1686),
  (2, 'Valencia', 39.4699, -0.3763), (3, 'Sevilla', 37.3891, -5.9845),
  (4, 'Zaragoza', 41.6488, -0.8891), (5, 'Málaga', 36.7213, -4.4214),
  (6, 'Bilbao', 43.2630, -2.9350), (7, 'Murcia', 37.9922, -1.1307),
  (8, 'Palma', 39.5696, 2.6502), (9, 'Las Palmas de Gran Canaria', 28.1235, -15.4363),
  (10, 'Alicante', 38.3452, -0.4810), (11, 'Córdoba', 37.8882, -4.7794),
  (12, 'Valladolid', 41.6523, -4.7245), (13, 'Vigo', 42.2406, -8.7207),
  (14, 'Gijón', 43.5322, -5.6611), (15, 'A Coruña', 43.3623, -8.4115),
  (16, 'Granada', 37.1773, -3.5986), (17, 'Vitoria-Gasteiz', 42.8467, -2.6716),
  (18, 'Santander', 43.4623, -3.8099), (19, 'Pamplona', 42.8125, -1.6458),
  (20, 'Salamanca', 40.9701, -5.6635), (21, 'Toledo', 39.8628, -4.0273)),
weights AS (SELECT ARRAY[0,0,0,0,0,0,1,1,1,1,1,2,2,2,3,3,3,4,4,5,5,6,6,7,8,9,10,11,12,13,14,
                         15,16,17,18,19,20,21] AS pick),
specs AS (SELECT array_agg(id ORDER BY sort_order) AS ids,
                 array_agg(name ORDER BY sort_order) AS names
            FROM specialties WHERE is_active),
rows AS (
  SELECT g.*, c.name AS city, c.lat, c.lng,
         1 + get_byte(g.dice, 6) % cardinality(s.ids) AS spec, s.ids, s.names,
         1 + get_byte(g.dice, 7) % 40 AS years,
         CASE WHEN get_byte(g.dice, 8) < 30 THEN 0 ELSE get_byte(g.dice, 9) END AS reviews
    FROM g CROSS JOIN weights w CROSS JOIN specs s
    JOIN cities c ON c.pos = w.pick[1 + get_byte(g.dice, 5) % cardinality(w.pick)]
)
INSERT INTO professional_profiles (user_id, specialty_id, college_number, bio, experience_years,
                                   languages, consultation_fee_cents, city, latitude, longitude,
                                   verified, verification_status, verified_at, rating_average,
                                   total_reviews, timezone)
SELECT r.uid, r.ids[r.spec], lpad((280000 + r.i)::text, 9, '0'),
       'Especialista en ' || r.names[r.spec] || ' con ' || r.years ||
       ' años de experiencia. Consulta en ' || r.city || '.',
       r.years,
       CASE WHEN get_byte(r.dice, 10) % 3 = 0 THEN '{es,en}'::text[] ELSE '{es}'::text[] END,
       3000 + (get_byte(r.dice, 11) % 15) * 500, r.city,
       r.lat + (get_byte(r.dice, 12) - 128) / 1600.0,
       r.lng + (get_byte(r.dice, 13) - 128) / 1300.0,
       true, 'approved', now(),
       CASE WHEN r.reviews = 0 THEN 0 ELSE round(3.0 + get_byte(r.dice, 14) / 127.5, 1) END,
       r.reviews, 'Europe/Madrid'
  FROM rows r
ON CONFLICT ON CONSTRAINT professional_profiles_user_key DO NOTHING
)SQL";

// One to three services; Monday to Friday in one of two timetables; a booking policy.
constexpr const char* seed_calendars = R"SQL(
WITH g AS (%ROWS%),
pros AS (
  SELECT p.id, p.consultation_fee_cents AS fee, g.dice, s.slug
    FROM g JOIN professional_profiles p ON p.user_id = g.uid
    LEFT JOIN specialties s ON s.id = p.specialty_id
   WHERE NOT EXISTS (SELECT 1 FROM services sv WHERE sv.professional_id = p.id)
), kinds (k, name, minutes, share, modalities) AS (VALUES
  (0, 'Primera consulta', 45, 1.0, '{in_person}'::text[]),
  (1, 'Consulta de seguimiento', 30, 0.7, '{in_person,virtual}'::text[]),
  (2, 'Teleconsulta', 30, 0.8, '{virtual}'::text[])
), services_added AS (
  INSERT INTO services (professional_id, name, description, category, duration_minutes,
                        price_cents, modalities)
  SELECT pros.id, k.name, k.name || ' (' || k.minutes || ' minutos)',
         coalesce(pros.slug, 'general'),
         k.minutes, (round(pros.fee * k.share / 100.0) * 100)::bigint, k.modalities
    FROM pros JOIN kinds k ON k.k <= get_byte(pros.dice, 15) % 3
  RETURNING professional_id
), rules AS (
  INSERT INTO schedules (professional_id, day_of_week, start_time, end_time, timezone)
  SELECT pros.id, d, t.start_time, t.end_time, 'Europe/Madrid'
    FROM pros CROSS JOIN generate_series(1, 5) AS d
    JOIN (VALUES (0, TIME '09:00', TIME '14:00'), (0, TIME '16:00', TIME '20:00'),
                 (1, TIME '08:00', TIME '15:00')) AS t (pattern, start_time, end_time)
      ON t.pattern = get_byte(pros.dice, 10) % 2
  RETURNING 1
)
INSERT INTO booking_policies (professional_id, slot_step_minutes, min_notice_minutes,
                              horizon_days, auto_confirm)
SELECT pros.id, CASE WHEN get_byte(pros.dice, 11) % 2 = 0 THEN 15 ELSE 30 END, 60, 90, true
  FROM pros
ON CONFLICT (professional_id) DO NOTHING
)SQL";

std::string with_rows(std::string sql) {
  const std::string marker = "%ROWS%";
  auto pos = sql.find(marker);
  return sql.replace(pos, marker.size(), demo_rows);
}

}  // namespace

int64_t seed_demo(pqxx::connection_base& conn, int professionals) {
  auto n = std::max(professionals, 0);
  pqxx::work tx{conn};
  tx.exec_params(with_rows(seed_users), n);
  tx.exec_params(with_rows(seed_profiles), n);
  tx.exec_params(with_rows(seed_calendars), n);
  auto total = tx.exec1(
                     "SELECT count(*) FROM professional_profiles p"
                     " WHERE p.user_id LIKE 'user\\_demo\\_pro\\_%'")[0]
                   .as<int64_t>();
  tx.commit();
  return total;
}

}  // namespace mundoctor::persistence
