#include "actors/identity/contact_rules.hpp"

#include <gtest/gtest.h>

namespace mundoctor::actors::identity {
namespace {

TEST(contact_rules, lower_cases_the_email_domain_only) {
  EXPECT_EQ(normalize_email("Ana@Example.COM"), "Ana@example.com");
  EXPECT_EQ(normalize_email("  ana.perez+citas@clinic.example.es \n"),
            "ana.perez+citas@clinic.example.es");
}

TEST(contact_rules, rejects_invalid_emails) {
  for (const char* email :
       {"", "ana", "ana@", "@example.com", "ana@example", "ana@@example.com", "a@b@example.com",
        "ana perez@example.com", "ana@example..com", "ana@.example.com", "ana@example.com."})
    EXPECT_EQ(normalize_email(email), std::nullopt) << email;
  EXPECT_EQ(normalize_email(std::string(250, 'a') + "@example.com"), std::nullopt);
}

TEST(contact_rules, gives_spanish_numbers_the_34_prefix) {
  EXPECT_EQ(normalize_phone("600 11 22 33"), "+34600112233");
  EXPECT_EQ(normalize_phone("912-345-678"), "+34912345678");
}

TEST(contact_rules, turns_00_into_plus) {
  EXPECT_EQ(normalize_phone("0034 600112233"), "+34600112233");
}

TEST(contact_rules, strips_formatting_from_international_numbers) {
  EXPECT_EQ(normalize_phone("+1 (415) 555-2671"), "+14155552671");
  EXPECT_EQ(normalize_phone("+34 600.11.22.33"), "+34600112233");
}

TEST(contact_rules, rejects_invalid_phones) {
  for (const char* phone : {"", "12345", "600 11 22 3a", "phone", "+0 600 112 233",
                            "+1234567890123456", "60011223+3", "500112233"})
    EXPECT_EQ(normalize_phone(phone), std::nullopt) << phone;
}

}  // namespace
}  // namespace mundoctor::actors::identity
