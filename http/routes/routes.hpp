#pragma once

namespace mundoctor::http {

class router;

/// GET /health, GET /ready, GET /metrics.
void register_system_routes(router& r);

/// GET /ops/actors, GET /ops/actors/:kind/:key, POST /ops/probe/:key (operators' token).
void register_ops_routes(router& r);

/// GET /ops (the operator's page) and its script and style sheet.
void register_ops_page(router& r);

}  // namespace mundoctor::http
