#include <gtest/gtest.h>

#include "actors/calendar/local_time.hpp"
#include "http/routes/catalogue_requests.hpp"
#include "tests/unit/catalogue/catalogue_test_support.hpp"

namespace mundoctor::http {
namespace {

using nlohmann::json;
using testing::code_of;
using testing::fields_of;
using testing::repeat;

json valid_service() {
  return {{"name", "Primera consulta"},
          {"description", "Valoración inicial con el fisioterapeuta"},
          {"category", "Fisioterapia"},
          {"duration_minutes", 45},
          {"price_cents", 4500},
          {"currency", "EUR"},
          {"modalities", {"in_person", "virtual"}},
          {"discount",
           {{"percent", 10},
            {"valid_from", "2026-01-01T00:00:00Z"},
            {"valid_until", "2026-02-01T00:00:00+01:00"}}},
          {"is_active", true}};
}

// The code of the one error that `field` = `value` causes in an otherwise valid body.
std::string error_for(const std::string& field, const json& value, bool create = true) {
  auto body = valid_service();
  body[field] = value;
  auto parsed = parse_service(body, create);
  EXPECT_EQ(parsed.errors.size(), 1u) << parsed.errors.dump();
  return code_of(parsed.errors, field);
}

bool accepted(const std::string& field, const json& value) {
  auto body = valid_service();
  body[field] = value;
  return parse_service(body, true).errors.empty();
}

TEST(service_request, a_full_body_is_read_into_every_field) {
  auto parsed = parse_service(valid_service(), true);
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors.dump();
  auto s = apply_patch(parsed.patch, calendar::service_info{});
  EXPECT_EQ(s.name, "Primera consulta");
  EXPECT_EQ(s.description, "Valoración inicial con el fisioterapeuta");
  EXPECT_EQ(s.category, "Fisioterapia");
  EXPECT_EQ(s.duration_minutes, 45);
  EXPECT_EQ(s.price_cents, 4500);
  EXPECT_EQ(s.currency, "EUR");
  EXPECT_EQ(s.modalities, (std::vector<std::string>{"in_person", "virtual"}));
  ASSERT_TRUE(s.discount_percent);
  EXPECT_EQ(*s.discount_percent, 10);
  EXPECT_FALSE(s.discount_amount_cents);
  EXPECT_EQ(calendar::format_rfc3339_utc(*s.discount_valid_until), "2026-01-31T23:00:00Z");
  EXPECT_TRUE(s.active);
}

TEST(service_request, creating_requires_name_duration_and_price) {
  auto parsed = parse_service(json::object(), true);
  EXPECT_EQ(fields_of(parsed.errors),
            (std::vector<std::string>{"name", "duration_minutes", "price_cents"}));
  for (const auto& e : parsed.errors) EXPECT_EQ(e["code"], "REQUIRED");
}

TEST(service_request, an_update_may_name_no_field_and_keeps_the_stored_values) {
  auto parsed = parse_service(json::object(), false);
  EXPECT_TRUE(parsed.errors.empty());
  calendar::service_info stored;
  stored.name = "Revisión";
  stored.price_cents = 3000;
  stored.discount_amount_cents = 500;
  auto s = apply_patch(parsed.patch, stored);
  EXPECT_EQ(s.name, "Revisión");
  EXPECT_EQ(s.price_cents, 3000);
  EXPECT_EQ(s.discount_amount_cents, 500);
}

TEST(service_request, a_body_that_is_not_an_object_is_one_error) {
  auto parsed = parse_service(json::array({1, 2}), true);
  EXPECT_EQ(fields_of(parsed.errors), std::vector<std::string>{"body"});
}

TEST(service_request, each_bad_field_is_one_entry) {
  auto body = valid_service();
  body["name"] = "";
  body["duration_minutes"] = 4;
  body["currency"] = "euro";
  auto parsed = parse_service(body, true);
  EXPECT_EQ(fields_of(parsed.errors),
            (std::vector<std::string>{"name", "duration_minutes", "currency"}));
  EXPECT_EQ(parsed.errors[1]["received"], 4);
}

TEST(service_request, name_is_1_to_200_characters) {
  EXPECT_EQ(error_for("name", ""), "TOO_SHORT");
  EXPECT_EQ(error_for("name", "   "), "REQUIRED");
  EXPECT_EQ(error_for("name", repeat("a", 201)), "TOO_LONG");
  EXPECT_EQ(error_for("name", 12), "INVALID_TYPE");
  EXPECT_TRUE(accepted("name", repeat("a", 200)));
  EXPECT_TRUE(accepted("name", repeat("ñ", 200))) << "characters, not bytes, are counted";
  EXPECT_EQ(error_for("name", repeat("ñ", 201)), "TOO_LONG");
}

TEST(service_request, description_is_at_most_2000_characters_and_may_be_null) {
  EXPECT_EQ(error_for("description", repeat("x", 2001)), "TOO_LONG");
  EXPECT_TRUE(accepted("description", repeat("é", 2000)));
  EXPECT_TRUE(accepted("description", ""));
  auto body = valid_service();
  body["description"] = nullptr;
  calendar::service_info stored;
  stored.description = "antes";
  EXPECT_EQ(apply_patch(parse_service(body, false).patch, stored).description, "");
}

TEST(service_request, category_is_1_to_100_characters) {
  EXPECT_EQ(error_for("category", ""), "TOO_SHORT");
  EXPECT_EQ(error_for("category", repeat("c", 101)), "TOO_LONG");
  EXPECT_TRUE(accepted("category", repeat("c", 100)));
  EXPECT_TRUE(accepted("category", "Psicología"));
}

TEST(service_request, duration_is_5_to_480_whole_minutes) {
  EXPECT_EQ(error_for("duration_minutes", 4), "OUT_OF_RANGE");
  EXPECT_EQ(error_for("duration_minutes", 481), "OUT_OF_RANGE");
  EXPECT_EQ(error_for("duration_minutes", 30.5), "INVALID_TYPE");
  EXPECT_EQ(error_for("duration_minutes", "30"), "INVALID_TYPE");
  EXPECT_TRUE(accepted("duration_minutes", 5));
  EXPECT_TRUE(accepted("duration_minutes", 480));
}

TEST(service_request, price_is_a_non_negative_integer_of_cents) {
  EXPECT_EQ(error_for("price_cents", -1), "OUT_OF_RANGE");
  EXPECT_EQ(error_for("price_cents", 45.5), "INVALID_TYPE");
  EXPECT_EQ(error_for("price_cents", "4500"), "INVALID_TYPE");
  EXPECT_EQ(error_for("price_cents", json(18446744073709551615ull)), "OUT_OF_RANGE");
  EXPECT_TRUE(accepted("price_cents", 0));
  EXPECT_TRUE(accepted("price_cents", int64_t{9'000'000'000}));
}

TEST(service_request, currency_is_three_letters_stored_upper_case) {
  EXPECT_EQ(error_for("currency", "EU"), "INVALID_CURRENCY");
  EXPECT_EQ(error_for("currency", "EURO"), "INVALID_CURRENCY");
  EXPECT_EQ(error_for("currency", "E1R"), "INVALID_CURRENCY");
  EXPECT_EQ(error_for("currency", 978), "INVALID_CURRENCY");
  auto body = valid_service();
  body["currency"] = "usd";
  EXPECT_EQ(apply_patch(parse_service(body, true).patch, {}).currency, "USD");
  body.erase("currency");
  EXPECT_EQ(apply_patch(parse_service(body, true).patch, {}).currency, "EUR") << "the default";
}

TEST(service_request, modalities_are_a_non_empty_subset_of_in_person_and_virtual) {
  EXPECT_EQ(error_for("modalities", json::array()), "INVALID_VALUE");
  EXPECT_EQ(error_for("modalities", "virtual"), "INVALID_VALUE");
  EXPECT_EQ(error_for("modalities", {"in_person", "home"}), "INVALID_ENUM");
  auto body = valid_service();
  body["modalities"] = {"virtual", "virtual"};
  EXPECT_EQ(apply_patch(parse_service(body, true).patch, {}).modalities,
            std::vector<std::string>{"virtual"});
}

TEST(service_request, is_active_is_a_boolean) {
  EXPECT_EQ(error_for("is_active", "yes"), "INVALID_TYPE");
  EXPECT_EQ(error_for("is_active", 1), "INVALID_TYPE");
  auto body = valid_service();
  body["is_active"] = false;
  EXPECT_FALSE(apply_patch(parse_service(body, true).patch, {}).active);
}

// The errors of a valid body with this discount.
json discount_errors(const json& discount) {
  auto body = valid_service();
  body["discount"] = discount;
  return parse_service(body, true).errors;
}

TEST(service_request, a_discount_is_either_a_percent_or_an_amount) {
  EXPECT_TRUE(discount_errors({{"percent", 1}}).empty());
  EXPECT_TRUE(discount_errors({{"percent", 100}}).empty());
  EXPECT_TRUE(discount_errors({{"amount_cents", 1}}).empty());
  EXPECT_TRUE(discount_errors({{"percent", 20}, {"amount_cents", nullptr}}).empty());
  EXPECT_EQ(code_of(discount_errors({{"percent", 0}}), "discount.percent"), "OUT_OF_RANGE");
  EXPECT_EQ(code_of(discount_errors({{"percent", 101}}), "discount.percent"), "OUT_OF_RANGE");
  EXPECT_EQ(code_of(discount_errors({{"amount_cents", 0}}), "discount.amount_cents"),
            "OUT_OF_RANGE");
  EXPECT_EQ(code_of(discount_errors({{"percent", 10}, {"amount_cents", 100}}), "discount.percent"),
            "INVALID_VALUE");
  EXPECT_EQ(code_of(discount_errors(json::object()), "discount.percent"), "INVALID_VALUE");
  EXPECT_EQ(code_of(discount_errors(15), "discount"), "INVALID_TYPE");
}

TEST(service_request, a_discount_window_ends_after_it_starts) {
  auto window = [](const char* from, const char* until) {
    return json{{"amount_cents", 500}, {"valid_from", from}, {"valid_until", until}};
  };
  EXPECT_TRUE(discount_errors(window("2026-03-01T00:00:00Z", "2026-03-01T00:00:01Z")).empty());
  EXPECT_EQ(code_of(discount_errors(window("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z")),
                    "discount.valid_until"),
            "INVALID_RANGE");
  EXPECT_EQ(code_of(discount_errors(window("2026-03-01T02:00:00+02:00", "2026-03-01T00:00:00Z")),
                    "discount.valid_until"),
            "INVALID_RANGE");
  EXPECT_EQ(
      code_of(discount_errors(window("2026-03-01", "2026-03-02T00:00:00Z")), "discount.valid_from"),
      "INVALID_DATETIME");
  EXPECT_TRUE(discount_errors({{"percent", 5}, {"valid_until", "2026-03-02T00:00:00Z"}}).empty())
      << "either bound may be absent";
}

TEST(service_request, a_null_discount_removes_the_stored_one) {
  calendar::service_info stored;
  stored.discount_percent = 15;
  stored.discount_valid_from = calendar::instant{std::chrono::seconds{1'700'000'000}};
  auto parsed = parse_service({{"discount", nullptr}}, false);
  ASSERT_TRUE(parsed.errors.empty());
  auto s = apply_patch(parsed.patch, stored);
  EXPECT_FALSE(s.discount_percent);
  EXPECT_FALSE(s.discount_valid_from);
}

TEST(service_request, buffers_are_0_to_240_or_null) {
  EXPECT_EQ(error_for("buffer_before_minutes", 241), "OUT_OF_RANGE");
  EXPECT_EQ(error_for("buffer_after_minutes", -1), "OUT_OF_RANGE");
  calendar::service_info stored;
  stored.buffer_after_minutes = 10;
  auto s = apply_patch(
      parse_service({{"buffer_after_minutes", nullptr}, {"buffer_before_minutes", 240}}, false)
          .patch,
      stored);
  EXPECT_FALSE(s.buffer_after_minutes);
  EXPECT_EQ(s.buffer_before_minutes, 240);
}

TEST(service_json, renders_the_api_shape) {
  calendar::service_info s;
  s.id = "3b0f5a36-8d46-4a6f-9d0e-6c1d9a1f2b10";
  s.name = "Sesión";
  s.price_cents = 3900;
  s.discount_amount_cents = 400;
  s.discount_valid_until = calendar::instant{std::chrono::seconds{1'767'225'600}};
  auto j = service_json("pro-uuid", s);
  EXPECT_EQ(j["id"], s.id);
  EXPECT_EQ(j["professional_id"], "pro-uuid");
  EXPECT_EQ(j["name"], "Sesión");
  EXPECT_EQ(j["duration_minutes"], 30);
  EXPECT_EQ(j["price_cents"], 3900);
  EXPECT_EQ(j["currency"], "EUR");
  EXPECT_EQ(j["modalities"], json({"in_person"}));
  EXPECT_TRUE(j["category"].is_null());
  EXPECT_TRUE(j["buffer_before_minutes"].is_null());
  EXPECT_EQ(j["is_active"], true);
  EXPECT_EQ(j["discount"], (json{{"percent", nullptr},
                                 {"amount_cents", 400},
                                 {"valid_from", nullptr},
                                 {"valid_until", "2026-01-01T00:00:00Z"}}));
  s.discount_amount_cents.reset();
  EXPECT_TRUE(service_json("pro-uuid", s)["discount"].is_null());
}

service_query query_of(std::map<std::string, std::string> params) {
  return parse_service_query([params](const std::string& key) -> std::optional<std::string> {
    auto it = params.find(key);
    if (it == params.end()) return std::nullopt;
    return it->second;
  });
}

TEST(service_query, reads_every_filter) {
  auto q = query_of({{"category", "Fisioterapia"},
                     {"modality", "virtual"},
                     {"price_min", "1000"},
                     {"price_max", "5000"},
                     {"professional", "user_abc"},
                     {"active_only", "true"}});
  ASSERT_TRUE(q.errors.empty()) << q.errors.dump();
  EXPECT_EQ(q.filter.category, "Fisioterapia");
  EXPECT_EQ(q.filter.modality, "virtual");
  EXPECT_EQ(q.filter.min_price_cents, 1000);
  EXPECT_EQ(q.filter.max_price_cents, 5000);
  EXPECT_EQ(q.professional_ref, "user_abc");
  EXPECT_TRUE(q.filter.active_only);
  auto none = query_of({});
  EXPECT_TRUE(none.errors.empty());
  EXPECT_FALSE(none.filter.category || none.filter.modality || none.filter.min_price_cents);
  EXPECT_FALSE(none.filter.active_only);
}

TEST(service_query, refuses_bad_filters_one_entry_each) {
  auto q = query_of(
      {{"modality", "home"}, {"price_min", "-5"}, {"price_max", "12.5"}, {"active_only", "yes"}});
  EXPECT_EQ(fields_of(q.errors),
            (std::vector<std::string>{"modality", "price_min", "price_max", "active_only"}));
  auto inverted = query_of({{"price_min", "5000"}, {"price_max", "1000"}});
  EXPECT_EQ(code_of(inverted.errors, "price_max"), "INVALID_RANGE");
}

TEST(utf8_length, counts_code_points) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("año"), 3u);
  EXPECT_EQ(utf8_length("€"), 1u);
}

}  // namespace
}  // namespace mundoctor::http
