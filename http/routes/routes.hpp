#pragma once

namespace mundoctor::http {

class router;

/// GET /health, GET /ready, GET /metrics.
void register_system_routes(router& r);

/// GET /ops/actors, GET /ops/actors/:kind/:key, POST /ops/probe/:key (operators' token).
void register_ops_routes(router& r);

/// The "Users" endpoints of API.md.
void register_user_routes(router& r);

/// POST /api/webhooks/clerk (Svix-signed).
void register_webhook_routes(router& r);

/// The "Appointments" endpoints that decide (availability, booking, holds, changes).
void register_appointment_routes(router& r);

/// Appointment lists: GET /api/appointments, the professional's calendar view and the
/// patient page (GET /api/patients/appointments).
void register_appointment_list_routes(router& r);

/// The "Services" endpoints of API.md (the professional's catalogue).
void register_service_routes(router& r);

/// The "Schedules" endpoints of API.md: weekly rules, exceptions and the booking policy.
void register_schedule_routes(router& r);

/// The "Uploads" endpoints of API.md: professional documents, avatars and serving them.
void register_upload_routes(router& r);

/// The "Patients" endpoints of API.md (profile, history, favourites, emergency contacts) and
/// GET /api/patients/:patientId/history for a professional who treats the patient, or an admin.
void register_patient_routes(router& r);

/// PUT /api/appointments/:id/medical-record: the medical record of a completed appointment.
void register_medical_record_routes(router& r);

/// The "Professional validation" endpoints of API.md (uploads excepted) and
/// POST /api/users/professional-validation.
void register_validation_routes(router& r);

/// GET /api/professionals/specialties, /api/professionals/patients, /api/professionals/:id.
void register_professional_routes(router& r);

/// GET /api/professionals/search and the /api/patients/search/* aliases (public directory).
void register_search_routes(router& r);

/// GET /ops (the operator's page) and its script and style sheet.
void register_ops_page(router& r);

}  // namespace mundoctor::http
