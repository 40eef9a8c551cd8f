// The directory cache when Redis is configured: entries and the generation live in Redis.

#include "tests/integration/http_search/search_server.hpp"

namespace mundoctor::testing {
namespace {

class search_redis_test : public search_test {
 protected:
  bool with_redis() const override { return true; }
};

TEST_F(search_redis_test, a_service_change_bumps_the_shared_generation) {
  auto pro = add_pro({});
  const std::string target = "/api/professionals/search?q=quiropractica";
  EXPECT_TRUE(search_ids(target).empty());
  exec(
      "INSERT INTO services (professional_id, name, duration_minutes) VALUES ($1::uuid,"
      " 'Quiropráctica', 30)",
      pro);
  EXPECT_TRUE(search_ids(target).empty()) << "the cached answer is served";
  auto created = call(user_of(pro), "POST", "/api/services",
                      {{"name", "Masaje"}, {"duration_minutes", 30}, {"price_cents", 3000}});
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(search_ids(target), std::vector<std::string>{pro});
}

}  // namespace
}  // namespace mundoctor::testing
