-- Cross-cutting tables: webhook and request idempotency, audit trail, admin actions, settings.

CREATE TABLE webhook_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  provider    text NOT NULL,
  event_id    text NOT NULL,
  event_type  text NOT NULL,
  payload     jsonb NOT NULL,
  status      text NOT NULL DEFAULT 'received',
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  CONSTRAINT webhook_events_provider_event_key UNIQUE (provider, event_id),
  CONSTRAINT webhook_events_provider_check CHECK (provider IN ('stripe', 'clerk')),
  CONSTRAINT webhook_events_status_check CHECK (status IN ('received', 'processed', 'failed')),
  CONSTRAINT webhook_events_attempts_check CHECK (attempts >= 0)
);

COMMENT ON TABLE webhook_events IS
  'Inbound webhooks, idempotent on (provider, event_id): Stripe event id or Clerk svix-id.';

CREATE INDEX webhook_events_status_idx ON webhook_events (status, received_at)
  WHERE status <> 'processed';

CREATE TABLE idempotency_keys (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key             text NOT NULL,
  method          text NOT NULL,
  path            text NOT NULL,
  request_hash    text NOT NULL,
  status          text NOT NULL DEFAULT 'in_progress',
  response_status integer,
  response_body   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL DEFAULT now() + interval '24 hours',
  CONSTRAINT idempotency_keys_user_key UNIQUE (user_id, key),
  CONSTRAINT idempotency_keys_key_length CHECK (char_length(key) BETWEEN 1 AND 255),
  CONSTRAINT idempotency_keys_method_check CHECK (method IN ('POST', 'PUT', 'PATCH', 'DELETE')),
  CONSTRAINT idempotency_keys_status_check CHECK (status IN ('in_progress', 'completed')),
  CONSTRAINT idempotency_keys_response_check
    CHECK (status <> 'completed' OR (response_status BETWEEN 100 AND 599
                                     AND response_body IS NOT NULL)),
  CONSTRAINT idempotency_keys_expiry_check CHECK (expires_at > created_at)
);

COMMENT ON TABLE idempotency_keys IS
  'Idempotency-Key replay store: the same key from the same user within 24 h returns the '
  'stored response; a different request_hash under the same key is a conflict.';
COMMENT ON COLUMN idempotency_keys.request_hash IS 'Hex SHA-256 of method, path and body.';
COMMENT ON COLUMN idempotency_keys.status IS 'in_progress while the first request still runs.';
COMMENT ON COLUMN idempotency_keys.response_body IS 'Exact response body bytes (JSON text).';

CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);

CREATE TABLE audit_log (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  actor_user_id text,
  action        text NOT NULL,
  resource_type text,
  resource_id   text,
  outcome       text NOT NULL,
  ip            inet,
  user_agent    text,
  request_id    text,
  details       jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT audit_log_action_format CHECK (action ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$'),
  CONSTRAINT audit_log_outcome_check CHECK (outcome IN ('success', 'failure', 'denied')),
  CONSTRAINT audit_log_details_object CHECK (jsonb_typeof(details) = 'object')
);

COMMENT ON TABLE audit_log IS 'Append-only security trail; never holds medical free text.';
COMMENT ON COLUMN audit_log.actor_user_id IS
  'Clerk user id; deliberately not a foreign key so the trail outlives the user row.';
COMMENT ON COLUMN audit_log.action IS 'Dotted verb, e.g. appointment.cancel, admin.user.suspend.';

CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, created_at DESC);
CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id, created_at DESC);
CREATE INDEX audit_log_created_idx ON audit_log (created_at);

CREATE TABLE admin_actions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  admin_id       text REFERENCES users (id) ON DELETE SET NULL,
  action         text NOT NULL,
  target_type    text NOT NULL,
  target_id      text NOT NULL,
  target_user_id text REFERENCES users (id) ON DELETE SET NULL,
  reason         text,
  details        jsonb NOT NULL DEFAULT '{}',
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT admin_actions_action_check
    CHECK (action IN ('user.update', 'user.suspend', 'user.unsuspend', 'user.delete',
                      'user.role_change', 'validation.approve', 'validation.reject',
                      'validation.request_info', 'review.moderate', 'ticket.assign',
                      'subscription.create', 'subscription.update', 'payment.refund',
                      'appointment.update', 'appointment.cancel', 'schedule.update',
                      'service.update', 'specialty.update', 'settings.update')),
  CONSTRAINT admin_actions_target_type_check
    CHECK (target_type IN ('user', 'validation_request', 'review', 'ticket', 'subscription',
                           'payment', 'appointment', 'schedule', 'service', 'specialty',
                           'setting')),
  CONSTRAINT admin_actions_details_object CHECK (jsonb_typeof(details) = 'object')
);

COMMENT ON TABLE admin_actions IS 'What admins did, shown by GET /api/admin/actions.';
COMMENT ON COLUMN admin_actions.target_user_id IS 'The user affected, when there is one.';

CREATE INDEX admin_actions_admin_idx ON admin_actions (admin_id, created_at DESC);
CREATE INDEX admin_actions_created_idx ON admin_actions (created_at DESC);
CREATE INDEX admin_actions_target_idx ON admin_actions (target_type, target_id);

CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  description text,
  updated_by  text REFERENCES users (id) ON DELETE SET NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT settings_key_format CHECK (key ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$')
);

COMMENT ON TABLE settings IS 'Platform settings editable by admins (GET|PUT /api/admin/settings).';

CREATE TRIGGER settings_updated_at BEFORE UPDATE ON settings
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO settings (key, value, description) VALUES
  ('appointments.reminder_offsets_minutes', '[1440, 60]',
   'Default reminder times before an appointment'),
  ('tickets.escalation_hours', '{"low": 72, "medium": 24, "high": 4}',
   'Unanswered time after which a ticket escalates one priority step'),
  ('tickets.auto_close_hours', '48', 'Resolved tickets close after this long without activity'),
  ('invoices.issuer', '{"name": "", "tax_id": "", "address": ""}',
   'Issuer data printed on invoices'),
  ('reviews.auto_moderation', 'true', 'Run the word-list moderation on new reviews');
