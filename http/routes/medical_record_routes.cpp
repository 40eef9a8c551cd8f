// PUT /api/appointments/:id/medical-record: the professional of a completed appointment (or an
// admin) writes its medical record (diagnosis, treatment, prescriptions), sealed at rest. The
// patient reads it in GET /api/patients/history.

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "http/router.hpp"
#include "http/routes/patient_requests.hpp"
#include "http/routes/patient_routes.hpp"
#include "http/routes/routes.hpp"
#include "persistence/patients/patient_repository.hpp"

namespace mundoctor::http {

namespace {

using nlohmann::json;

// 201 when the record is new, 200 when it replaced the previous one.
void put_medical_record(request_context& ctx, responder res) {
  auto parsed = parse_medical_record(ctx.json);
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  auto id = ctx.param("id");
  auto author = ctx.user_id();
  bool admin = is_admin(*ctx.user);
  ask_pool(
      ctx, res,
      actors::make_job("medical_records.put",
                       [id, author, admin, input = std::move(parsed.input),
                        cipher = ctx.svc->cipher](pqxx::connection_base& conn) {
                         auto written = persistence::put_medical_record(conn, id, author, admin,
                                                                        input, cipher);
                         return caf::make_message(
                             json{{"data", written.record}, {"created", written.created}}.dump());
                       }),
      [res](std::string& text) {
        auto body = json::parse(text, nullptr, false);
        if (body.is_discarded()) return res.fail(errc::internal);
        if (body.value("created", false)) return res.created(std::move(body["data"]));
        res.ok(std::move(body["data"]));
      });
}

}  // namespace

void register_medical_record_routes(router& r) {
  route_options author;
  author.auth = auth_rule{};
  author.auth->roles = {"professional", "admin"};
  r.add(verb::put, "/api/appointments/:id/medical-record", put_medical_record, author);
}

}  // namespace mundoctor::http
