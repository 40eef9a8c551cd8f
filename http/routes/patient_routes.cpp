// The "Patients" endpoints of API.md: the patient profile with its medical part, the patient's
// own medical history, and a professional's (or an admin's) audited read of a patient's
// history. Reads and writes run on the DB pool; medical text is sealed in the repository.

#include "http/routes/patient_routes.hpp"

#include <caf/all.hpp>

#include "actors/db_call.hpp"
#include "actors/protocol/names.hpp"
#include "http/ask.hpp"
#include "http/router.hpp"
#include "http/routes/patient_requests.hpp"
#include "http/routes/routes.hpp"
#include "persistence/patients/patient_repository.hpp"
#include "persistence/users/user_repository.hpp"

namespace mundoctor::http {

using nlohmann::json;
using persistence::domain_error;

void answer_items(const responder& res, const page_request& page, std::string& text,
                  unsigned status) {
  auto body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return res.fail(errc::internal);
  auto meta = pagination_metadata(page, body.value("total", int64_t{0}));
  if (status == 200) return res.ok(std::move(body["items"]), {}, std::move(meta));
  res.created(std::move(body["items"]));
}

void answer_data(const responder& res, std::string& text, unsigned status) {
  auto data = json::parse(text, nullptr, false);
  if (data.is_discarded()) return res.fail(errc::internal);
  if (status == 201) return res.created(std::move(data));
  res.ok(std::move(data));
}

namespace {

using cipher_ptr = const persistence::data_cipher*;

// GET /api/users/profile's shape, with the medical part in `patient`.
std::string profile_text(pqxx::connection_base& conn, const std::string& id, cipher_ptr cipher) {
  auto text = persistence::get_profile_json(conn, id);
  if (!text) throw domain_error(errc::not_found, "User not found");
  auto data = json::parse(*text);
  if (!data["patient"].is_object()) data["patient"] = json::object();
  data["patient"].update(persistence::get_medical_profile(conn, id, cipher));
  return data.dump();
}

void get_patient_profile(request_context& ctx, responder res) {
  auto id = ctx.user_id();
  ask_pool(ctx, res,
           actors::make_job("patients.profile",
                            [id, cipher = ctx.svc->cipher](pqxx::connection_base& conn) {
                              return caf::make_message(profile_text(conn, id, cipher));
                            }),
           [res](std::string& text) { answer_data(res, text); });
}

void put_patient_profile(request_context& ctx, responder res) {
  auto parsed = parse_patient_profile(ctx.json);
  if (!parsed.errors.empty()) return res.invalid(std::move(parsed.errors));
  auto id = ctx.user_id();
  ask_pool(ctx, res,
           actors::make_job("patients.profile_update",
                            [id, profile = std::move(parsed.profile), medical = parsed.medical,
                             cipher = ctx.svc->cipher](pqxx::connection_base& conn) {
                              // The medical part first: without a data key it fails before any
                              // change.
                              if (!medical.empty())
                                persistence::update_medical_profile(conn, id, medical, cipher);
                              persistence::update_profile(conn, id, profile);
                              return caf::make_message(profile_text(conn, id, cipher));
                            }),
           [res](std::string& text) { answer_data(res, text); });
}

persistence::db_job history_job(std::string patient, page_request page, cipher_ptr cipher,
                                std::function<void(pqxx::connection_base&)> check = {}) {
  return actors::make_job("patients.history", [=](pqxx::connection_base& conn) {
    if (check) check(conn);
    auto found =
        persistence::list_medical_history(conn, patient, page.offset(), page.limit, cipher);
    return caf::make_message(json{{"items", found.items}, {"total", found.total}}.dump());
  });
}

void get_own_history(request_context& ctx, responder res) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  ask_pool(ctx, res, history_job(ctx.user_id(), page, ctx.svc->cipher),
           [res, page](std::string& text) { answer_items(res, page, text); });
}

// A professional reads the history of a patient they have (or had) an appointment with; an
// admin reads any patient's. Every such read is audited; anyone else gets 404.
void get_patient_history(request_context& ctx, responder res) {
  page_request page;
  std::string problem;
  if (!parse_page(*ctx.req, page, problem)) return res.fail(errc::bad_request, problem);
  auto patient = ctx.param("patientId");
  auto reader = ctx.user_id();
  bool admin = is_admin(*ctx.user);
  auto check = [patient, reader, admin](pqxx::connection_base& conn) {
    bool allowed = admin ? persistence::is_patient(conn, patient)
                         : persistence::professional_sees_patient(conn, reader, patient);
    if (!allowed) throw domain_error(errc::not_found, "Patient not found", "PATIENT_NOT_FOUND");
  };
  ask_pool(ctx, res, history_job(patient, page, ctx.svc->cipher, check),
           [&ctx, res, page, patient](std::string& text) {
             ctx.audited_reads.emplace_back("patient_history", patient);
             answer_items(res, page, text);
           });
}

}  // namespace

void register_patient_routes(router& r) {
  route_options patient;
  patient.auth = auth_rule{};
  patient.auth->roles = {"patient"};
  route_options carer = patient;
  carer.auth->roles = {"professional", "admin"};
  r.add(verb::get, "/api/patients/profile", get_patient_profile, patient);
  r.add(verb::put, "/api/patients/profile", put_patient_profile, patient);
  r.add(verb::get, "/api/patients/history", get_own_history, patient);
  r.add(verb::get, "/api/patients/:patientId/history", get_patient_history, carer);
  register_patient_list_routes(r);
}

}  // namespace mundoctor::http
