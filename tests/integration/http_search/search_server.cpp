#include "tests/integration/http_search/search_server.hpp"

#include <pqxx/pqxx>

namespace mundoctor::testing {

namespace {

std::optional<std::string> number(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

}  // namespace

void search_test::SetUp() {
  api_test::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  exec("TRUNCATE users CASCADE");
  if (with_redis()) {
    auto redis = test_redis_url();
    if (!redis) GTEST_SKIP() << "MUNDOCTOR_TEST_REDIS_URL is not set";
    settings_.redis_url = *redis;
  }
  start();
}

std::string search_test::add_pro(const pro_spec& spec) const {
  pqxx::connection conn{database_url()};
  pqxx::work tx{conn};
  auto id = tx.exec1("SELECT gen_random_uuid()::text")[0].as<std::string>();
  auto user = "user_" + id.substr(0, 8);
  tx.exec_params(
      "INSERT INTO users (id, role, status, email, first_name, last_name)"
      " VALUES ($1, 'professional', $2, $1 || '@search.test', $3, $4)",
      user, spec.status, spec.first_name, spec.last_name);
  tx.exec_params(
      "INSERT INTO professional_profiles (id, user_id, specialty_id, city, latitude, longitude,"
      " rating_average, total_reviews, consultation_fee_cents, experience_years, bio, verified)"
      " VALUES ($1::uuid, $2, (SELECT id FROM specialties WHERE slug = $3), $4, $5::float8,"
      " $6::float8, $7::numeric, $8, $9, $10, $11, $12)",
      id, user, spec.specialty, spec.city, number(spec.lat), number(spec.lng),
      std::to_string(spec.rating), spec.reviews, spec.fee_cents, spec.experience, spec.bio,
      spec.verified);
  for (const auto& [name, modalities] : spec.services)
    tx.exec_params(
        "INSERT INTO services (professional_id, name, duration_minutes, price_cents, modalities)"
        " VALUES ($1::uuid, $2, 30, $3, $4::text[])",
        id, name, spec.fee_cents, modalities);
  if (spec.schedule) {
    tx.exec_params(
        "INSERT INTO schedules (professional_id, day_of_week, start_time, end_time, timezone)"
        " SELECT $1::uuid, d, TIME '08:00', TIME '20:00', 'Europe/Madrid'"
        " FROM generate_series(0, 6) AS d",
        id);
    tx.exec_params(
        "INSERT INTO booking_policies (professional_id, slot_step_minutes, min_notice_minutes,"
        " horizon_days) VALUES ($1::uuid, 30, 0, 60)",
        id);
  }
  tx.commit();
  return id;
}

std::string search_test::user_of(const std::string& profile) const {
  return "user_" + profile.substr(0, 8);
}

nlohmann::json search_test::get_data(const std::string& target) const {
  auto r = call("", "GET", target);
  EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
  if (!r.json.is_object()) return nlohmann::json::object();
  return r.json.value("data", nlohmann::json::object());
}

std::vector<std::string> search_test::search_ids(const std::string& target) const {
  std::vector<std::string> out;
  auto data = get_data(target);
  for (const auto& p : data.value("professionals", nlohmann::json::array()))
    out.push_back(p.value("id", std::string{}));
  return out;
}

}  // namespace mundoctor::testing
