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

/// GET /ops (the operator's page) and its script and style sheet.
void register_ops_page(router& r);

}  // namespace mundoctor::http
