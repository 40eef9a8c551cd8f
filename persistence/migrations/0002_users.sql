-- Users (identified by their Clerk user id) and their preferences.

CREATE TABLE users (
  id                 text PRIMARY KEY,
  role               text,
  status             text NOT NULL DEFAULT 'incomplete',
  email              text,
  email_verified     boolean NOT NULL DEFAULT false,
  first_name         text,
  last_name          text,
  full_name          text GENERATED ALWAYS AS
                       (btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) STORED,
  phone              text,
  avatar_url         text,
  insurance_data     jsonb,
  ical_token         text NOT NULL DEFAULT encode(gen_random_bytes(24), 'hex'),
  stripe_customer_id text,
  suspended_at       timestamptz,
  suspension_reason  text,
  last_seen_at       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  deleted_at         timestamptz,
  CONSTRAINT users_id_format CHECK (id ~ '^[A-Za-z0-9_-]{1,128}$'),
  CONSTRAINT users_role_check
    CHECK (role IN ('patient', 'professional', 'admin', 'super_admin')),
  CONSTRAINT users_status_check
    CHECK (status IN ('incomplete', 'pending_validation', 'active', 'suspended', 'deleted')),
  CONSTRAINT users_role_chosen
    CHECK (role IS NOT NULL OR status IN ('incomplete', 'suspended', 'deleted')),
  CONSTRAINT users_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
  CONSTRAINT users_phone_e164 CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  CONSTRAINT users_insurance_object CHECK (jsonb_typeof(insurance_data) = 'object'),
  CONSTRAINT users_ical_token_length CHECK (char_length(ical_token) >= 32),
  CONSTRAINT users_deleted_consistent CHECK ((status = 'deleted') = (deleted_at IS NOT NULL)),
  CONSTRAINT users_ical_token_key UNIQUE (ical_token),
  CONSTRAINT users_stripe_customer_key UNIQUE (stripe_customer_id)
);

COMMENT ON TABLE users IS 'One row per Clerk user; soft-deleted (status deleted + deleted_at).';
COMMENT ON COLUMN users.id IS 'Clerk user id (the JWT sub), e.g. user_2abc...';
COMMENT ON COLUMN users.role IS 'NULL until the user picks a role (status incomplete).';
COMMENT ON COLUMN users.full_name IS 'Generated display name: first_name + last_name.';
COMMENT ON COLUMN users.phone IS 'E.164, e.g. +34600111222.';
COMMENT ON COLUMN users.insurance_data IS 'Free-form insurance object as sent by the frontend.';
COMMENT ON COLUMN users.ical_token IS
  'Secret token of the user''s iCalendar feed; rotate by update.';

CREATE INDEX users_email_idx ON users (lower(email));
CREATE INDEX users_role_status_idx ON users (role, status);
CREATE INDEX users_created_at_idx ON users (created_at);
CREATE INDEX users_full_name_trgm_idx ON users
  USING gin (f_unaccent(lower(full_name)) gin_trgm_ops);

CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE user_preferences (
  user_id               text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  language              text NOT NULL DEFAULT 'es',
  timezone              text NOT NULL DEFAULT 'Europe/Madrid',
  notification_channels text[] NOT NULL DEFAULT '{in_app,email}',
  reminder_offsets_minutes integer[] NOT NULL DEFAULT '{1440,60}',
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_preferences_language_format CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  CONSTRAINT user_preferences_timezone_nonempty CHECK (char_length(timezone) BETWEEN 1 AND 64),
  CONSTRAINT user_preferences_channels_check
    CHECK (notification_channels <@ ARRAY['in_app', 'email', 'sms', 'push']::text[]),
  CONSTRAINT user_preferences_reminders_check
    CHECK (cardinality(reminder_offsets_minutes) <= 5
           AND 0 < ALL (reminder_offsets_minutes)
           AND 10080 >= ALL (reminder_offsets_minutes))
);

COMMENT ON COLUMN user_preferences.timezone IS 'IANA zone name; validated by the application.';
COMMENT ON COLUMN user_preferences.notification_channels IS
  'Channels enabled by default; notification_preferences refines per event type.';
COMMENT ON COLUMN user_preferences.reminder_offsets_minutes IS
  'Appointment reminders, minutes before the start (default 24 h and 1 h).';

CREATE TRIGGER user_preferences_updated_at BEFORE UPDATE ON user_preferences
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
