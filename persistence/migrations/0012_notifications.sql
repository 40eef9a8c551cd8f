-- Notification inbox (also the outbox), per-channel delivery log and user preferences.

CREATE TABLE notification_event_types (
  code        text PRIMARY KEY,
  description text NOT NULL,
  CONSTRAINT notification_event_types_code_format CHECK (code ~ '^[a-z]+(\.[a-z_]+)+$')
);

COMMENT ON TABLE notification_event_types IS
  'The enumeration of notification events; a new event type is a new row (in a migration).';

INSERT INTO notification_event_types (code, description) VALUES
  ('appointment.booked', 'An appointment was booked'),
  ('appointment.confirmed', 'An appointment was confirmed'),
  ('appointment.rescheduled', 'An appointment moved to another time'),
  ('appointment.cancelled', 'An appointment was cancelled'),
  ('appointment.reminder', 'Reminder before an appointment'),
  ('appointment.completed', 'An appointment was completed'),
  ('waitlist.offer', 'A slot from the waitlist is offered'),
  ('validation.approved', 'Professional validation approved'),
  ('validation.rejected', 'Professional validation rejected'),
  ('validation.info_requested', 'More information is needed for validation'),
  ('ticket.assigned', 'A support ticket was assigned'),
  ('ticket.replied', 'A support ticket got a reply'),
  ('ticket.status_changed', 'A support ticket changed status'),
  ('review.received', 'A professional received a review'),
  ('payment.succeeded', 'A payment succeeded'),
  ('payment.failed', 'A payment failed'),
  ('payment.refunded', 'A payment was refunded'),
  ('subscription.renewing', 'A subscription renews soon'),
  ('subscription.expiring', 'A subscription expires soon'),
  ('system.announcement', 'Message from the platform');

CREATE TABLE notifications (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  event_type text NOT NULL REFERENCES notification_event_types (code) ON DELETE RESTRICT,
  title      text NOT NULL,
  body       text NOT NULL DEFAULT '',
  data       jsonb NOT NULL DEFAULT '{}',
  dedupe_key text,
  read_at    timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notifications_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
  CONSTRAINT notifications_data_object CHECK (jsonb_typeof(data) = 'object'),
  CONSTRAINT notifications_dedupe_key UNIQUE (user_id, dedupe_key)
);

COMMENT ON TABLE notifications IS
  'The in-app inbox; rendered in the recipient''s language when created.';
COMMENT ON COLUMN notifications.data IS
  'Event payload for the client (appointment id, links...); no medical free text.';
COMMENT ON COLUMN notifications.dedupe_key IS
  'Makes an event notify once, e.g. appointment:<id>:reminder:1440; insert ON CONFLICT DO NOTHING.';

CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC)
  WHERE read_at IS NULL;

CREATE TABLE notification_deliveries (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  notification_id     uuid NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel             text NOT NULL,
  status              text NOT NULL DEFAULT 'pending',
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  last_error          text,
  provider_message_id text,
  sent_at             timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notification_deliveries_once UNIQUE (notification_id, channel),
  CONSTRAINT notification_deliveries_channel_check
    CHECK (channel IN ('in_app', 'email', 'sms', 'push')),
  CONSTRAINT notification_deliveries_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  CONSTRAINT notification_deliveries_attempts_check CHECK (attempts >= 0),
  CONSTRAINT notification_deliveries_sent_check CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);

COMMENT ON TABLE notification_deliveries IS
  'Delivery log: one row per notification and channel, so nothing is sent twice.';
COMMENT ON COLUMN notification_deliveries.status IS
  'pending (waiting for next_attempt_at), sending (claimed by a worker), sent, failed (gave up), '
  'skipped (channel disabled or no address).';

CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at)
  WHERE status = 'pending';

CREATE TRIGGER notification_deliveries_updated_at BEFORE UPDATE ON notification_deliveries
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE notification_preferences (
  user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  event_type text NOT NULL REFERENCES notification_event_types (code) ON DELETE CASCADE,
  channel    text NOT NULL,
  enabled    boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT notification_preferences_pkey PRIMARY KEY (user_id, event_type, channel),
  CONSTRAINT notification_preferences_channel_check
    CHECK (channel IN ('in_app', 'email', 'sms', 'push'))
);

COMMENT ON TABLE notification_preferences IS
  'Explicit choices only; a missing row falls back to user_preferences.notification_channels.';

CREATE TRIGGER notification_preferences_updated_at BEFORE UPDATE ON notification_preferences
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
