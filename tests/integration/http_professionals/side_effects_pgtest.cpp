// What a validation decision does besides answering: the Clerk metadata write-back and the
// audit trail.

#include "tests/integration/http_professionals/professionals_server.hpp"
#include "tests/support/http/fake_clerk.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;

// The fake outlives the runtime: members are destroyed after TearDown has stopped it.
class decision_side_effects : public professionals_test {
 protected:
  void configure(config::settings& s) const override {
    professionals_test::configure(s);
    s.clerk_api_url = clerk_.url();
    s.clerk_secret_key = "sk_test_professionals";
  }
  fake_clerk& clerk() { return clerk_; }

 private:
  fake_clerk clerk_;
};

TEST_F(decision_side_effects, approval_is_written_to_clerk_and_to_the_audit_trail) {
  auto pro = make_applicant();
  auto admin = make_admin();
  auto r = call(pro, "POST", "/api/validation/request", application(pro));
  ASSERT_EQ(r.status, 201u) << r.body;
  auto id = r.json["data"]["id"].get<std::string>();
  ASSERT_EQ(call(admin, "POST", "/api/validation/" + id + "/approve").status, 200u);

  auto approved = [&] {
    for (const auto& m : clerk().metadata_of(pro))
      if (m.value("verificationStatus", std::string{}) == "approved") return true;
    return false;
  };
  ASSERT_TRUE(eventually(approved)) << "Clerk never heard of the approval";
  for (const auto& m : clerk().metadata_of(pro))
    if (m.value("verificationStatus", std::string{}) == "approved") {
      EXPECT_EQ(m["verified"], true) << m;
      EXPECT_EQ(m["role"], "professional") << m;
    }

  ASSERT_TRUE(stop());
  EXPECT_EQ(query_value("SELECT count(*)::text FROM audit_log WHERE actor_user_id = $1"
                        " AND resource_id = '" +
                            id + "' AND outcome = 'success'",
                        admin),
            "1");
  EXPECT_EQ(query_value("SELECT count(*)::text FROM audit_log WHERE actor_user_id = $1"
                        " AND action LIKE '%validation%request%'",
                        pro),
            "1")
      << "the submission is audited too";
}

}  // namespace
}  // namespace mundoctor::testing
