// Pure rules of the professional validation workflow and its request parsing.

#include "persistence/professionals/validation_rules.hpp"

#include <gtest/gtest.h>

#include "http/routes/validation_requests.hpp"

namespace mundoctor::testing {
namespace {

using nlohmann::json;
using persistence::validation_transition_allowed;

std::vector<std::string> fields(const json& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e["field"]);
  return out;
}

TEST(validation_rules, decisions_follow_the_status_machine) {
  EXPECT_TRUE(validation_transition_allowed("pending", "under_review"));
  EXPECT_TRUE(validation_transition_allowed("pending", "approved"));
  EXPECT_TRUE(validation_transition_allowed("under_review", "rejected"));
  EXPECT_TRUE(validation_transition_allowed("under_review", "requires_info"));
  EXPECT_TRUE(validation_transition_allowed("requires_info", "approved"));
  EXPECT_FALSE(validation_transition_allowed("requires_info", "pending"))
      << "only new documents reopen a request";
  EXPECT_FALSE(validation_transition_allowed("under_review", "pending"));
  EXPECT_FALSE(validation_transition_allowed("under_review", "under_review"));
  for (const char* to : {"pending", "under_review", "approved", "rejected", "requires_info"}) {
    EXPECT_FALSE(validation_transition_allowed("approved", to)) << to;
    EXPECT_FALSE(validation_transition_allowed("rejected", to)) << to;
  }
}

TEST(validation_rules, decisions_name_their_admin_action) {
  EXPECT_EQ(persistence::admin_action_of("approved"), "validation.approve");
  EXPECT_EQ(persistence::admin_action_of("rejected"), "validation.reject");
  EXPECT_EQ(persistence::admin_action_of("requires_info"), "validation.request_info");
  EXPECT_EQ(persistence::admin_action_of("under_review"), "validation.review");
  EXPECT_EQ(persistence::admin_action_of("pending"), "");
  EXPECT_TRUE(persistence::is_open_validation_status("requires_info"));
  EXPECT_FALSE(persistence::is_open_validation_status("rejected"));
}

TEST(validation_rules, upload_references_give_the_stored_file_name) {
  using persistence::upload_filename;
  EXPECT_EQ(upload_filename("dni-abc.pdf"), "dni-abc.pdf");
  EXPECT_EQ(upload_filename("/api/uploads/dni-abc.pdf"), "dni-abc.pdf");
  EXPECT_EQ(upload_filename("https://api.example.test/api/uploads/a_b.png?v=1#x"), "a_b.png");
  EXPECT_EQ(upload_filename("/api/uploads/"), "");
  EXPECT_EQ(upload_filename("/api/uploads/.."), "");
  EXPECT_EQ(upload_filename("/api/uploads/a b.pdf"), "");
  EXPECT_EQ(upload_filename("/api/uploads/" + std::string(201, 'a')), "");
}

TEST(validation_requests, a_submission_reads_both_spellings_and_every_document) {
  auto parsed = http::parse_submission(
      {{"college_number", "28/1"},
       {"dni", "X1234567L"},
       {"specialty", "Pediatría"},
       {"experienceYears", 3},
       {"education", "Medicina, UCM"},
       {"consultationFee", 40.25},
       {"dni_document_url", "/api/uploads/d.pdf"},
       {"degreeDocumentUrl", "g.png"},
       {"documents", {"c.pdf", {{"filename", "e.pdf"}, {"kind", "certification"}}}}},
      "user_1");
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.dump();
  const auto& s = parsed.value;
  EXPECT_EQ(s.user_id, "user_1");
  EXPECT_EQ(s.college_number, "28/1");
  EXPECT_EQ(s.specialty, "Pediatría");
  EXPECT_EQ(s.experience_years, 3);
  EXPECT_EQ(s.education_json, R"(["Medicina, UCM"])");
  EXPECT_EQ(s.consultation_fee_cents, 4025);
  ASSERT_EQ(s.documents.size(), 4u);
  EXPECT_EQ(s.documents[0].filename, "d.pdf");
  EXPECT_EQ(s.documents[0].kind, "dni");
  EXPECT_EQ(s.documents[0].field, "dni_document_url");
  EXPECT_EQ(s.documents[1].kind, "degree");
  EXPECT_EQ(s.documents[2].kind, "") << "a bare name takes the upload's purpose";
  EXPECT_EQ(s.documents[2].field, "documents[0]");
  EXPECT_EQ(s.documents[3].kind, "certification");
}

TEST(validation_requests, a_submission_reports_each_bad_field) {
  auto parsed = http::parse_submission({{"collegeNumber", ""},
                                        {"experienceYears", 90},
                                        {"consultationFee", -1},
                                        {"education", 5},
                                        {"dniDocumentUrl", "../"}},
                                       "user_1");
  EXPECT_EQ(fields(parsed.errors),
            (std::vector<std::string>{"collegeNumber", "dni", "experienceYears", "education",
                                      "consultationFee", "dniDocumentUrl"}));
  auto no_documents = http::parse_submission({{"collegeNumber", "1"}, {"dni", "2"}}, "u");
  EXPECT_EQ(fields(no_documents.errors), std::vector<std::string>{"documents"});
  EXPECT_EQ(fields(http::parse_submission(json::array(), "u").errors),
            std::vector<std::string>{"body"});
}

TEST(validation_requests, a_rejection_needs_ten_to_two_thousand_characters) {
  json errors = json::array();
  EXPECT_EQ(http::parse_review_notes({{"reviewNotes", "Documento ilegible"}}, "rejected", errors),
            "Documento ilegible");
  EXPECT_TRUE(errors.empty());
  http::parse_review_notes({{"reviewNotes", "ñññññññññ"}}, "rejected", errors);
  EXPECT_EQ(fields(errors), std::vector<std::string>{"reviewNotes"}) << "nine characters";
  errors = json::array();
  http::parse_review_notes(json::object(), "rejected", errors);
  EXPECT_EQ(fields(errors), std::vector<std::string>{"reviewNotes"});
  errors = json::array();
  http::parse_review_notes({{"notes", std::string(2001, 'a')}}, "approved", errors);
  EXPECT_EQ(fields(errors), std::vector<std::string>{"notes"});
  errors = json::array();
  EXPECT_EQ(http::parse_review_notes(nullptr, "approved", errors), "");
  EXPECT_TRUE(errors.empty()) << "approval notes are optional";
}

TEST(validation_requests, list_queries_check_statuses_and_dates) {
  std::map<std::string, std::string> q{{"status", "pending,under_review"},
                                       {"q", "Núñez"},
                                       {"from", "2026-01-31"},
                                       {"dateTo", "2026-02-01T10:00:00+01:00"}};
  auto lookup = [&q](const std::string& k) -> std::optional<std::string> {
    auto it = q.find(k);
    if (it == q.end()) return std::nullopt;
    return it->second;
  };
  json errors = json::array();
  auto f = http::parse_validation_query(lookup, errors);
  EXPECT_TRUE(errors.empty()) << errors.dump();
  EXPECT_EQ(f.statuses, (std::vector<std::string>{"pending", "under_review"}));
  EXPECT_EQ(f.search, "Núñez");
  EXPECT_EQ(f.from, "2026-01-31");
  EXPECT_EQ(f.to, "2026-02-01T10:00:00+01:00");
  q = {{"status", "pending,done"}, {"from", "2026-02-30"}, {"to", "yesterday"}};
  errors = json::array();
  http::parse_validation_query(lookup, errors);
  EXPECT_EQ(fields(errors), (std::vector<std::string>{"status", "from", "to"}));
}

}  // namespace
}  // namespace mundoctor::testing
