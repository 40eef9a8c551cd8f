-- Working hours: weekly rules, dated exceptions and the booking policy of each professional.

CREATE TABLE schedules (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  professional_id uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE CASCADE,
  day_of_week     smallint NOT NULL,
  start_time      time NOT NULL,
  end_time        time NOT NULL,
  timezone        text NOT NULL DEFAULT 'Europe/Madrid',
  effective_from  date,
  effective_until date,
  breaks          jsonb NOT NULL DEFAULT '[]',
  is_active       boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT schedules_day_check CHECK (day_of_week BETWEEN 0 AND 6),
  CONSTRAINT schedules_times_check CHECK (end_time > start_time),
  CONSTRAINT schedules_timezone_nonempty CHECK (char_length(timezone) BETWEEN 1 AND 64),
  CONSTRAINT schedules_effective_check
    CHECK (effective_until IS NULL OR effective_from IS NULL OR effective_until >= effective_from),
  CONSTRAINT schedules_breaks_array CHECK (jsonb_typeof(breaks) = 'array'),
  CONSTRAINT schedules_no_overlap EXCLUDE USING gist (
    professional_id WITH =,
    day_of_week WITH =,
    timerange(start_time, end_time, '[)') WITH &&,
    daterange(effective_from, effective_until, '[]') WITH &&
  ) WHERE (is_active) DEFERRABLE INITIALLY IMMEDIATE
);

COMMENT ON TABLE schedules IS
  'Weekly working-hour rules in wall-clock time; several ranges per day, never overlapping.';
COMMENT ON COLUMN schedules.day_of_week IS '0 = Sunday ... 6 = Saturday (as EXTRACT(dow)).';
COMMENT ON COLUMN schedules.start_time IS 'Local wall-clock time in schedules.timezone.';
COMMENT ON COLUMN schedules.effective_from IS 'First local date the rule applies (NULL = always).';
COMMENT ON COLUMN schedules.effective_until IS 'Last local date, inclusive (NULL = open-ended).';
COMMENT ON COLUMN schedules.breaks IS
  'JSON array of {"start":"HH:MM","end":"HH:MM"} inside the range.';

CREATE INDEX schedules_professional_idx ON schedules (professional_id, day_of_week);

CREATE TRIGGER schedules_updated_at BEFORE UPDATE ON schedules
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE schedule_exceptions (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  professional_id uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE CASCADE,
  type            text NOT NULL,
  starts_on       date NOT NULL,
  ends_on         date NOT NULL,
  start_time      time,
  end_time        time,
  reason          text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT schedule_exceptions_type_check
    CHECK (type IN ('day_off', 'vacation', 'special_hours', 'block')),
  CONSTRAINT schedule_exceptions_dates_check CHECK (ends_on >= starts_on),
  CONSTRAINT schedule_exceptions_times_pair CHECK ((start_time IS NULL) = (end_time IS NULL)),
  CONSTRAINT schedule_exceptions_times_order CHECK (end_time > start_time),
  CONSTRAINT schedule_exceptions_times_by_type
    CHECK (CASE WHEN type IN ('special_hours', 'block') THEN start_time IS NOT NULL
                ELSE start_time IS NULL END),
  CONSTRAINT schedule_exceptions_reason_length CHECK (char_length(reason) <= 500)
);

COMMENT ON TABLE schedule_exceptions IS
  'Dated overrides in the professional''s zone: day_off/vacation remove whole days, '
  'special_hours replace the weekly rules on those dates, block removes a time range.';
COMMENT ON COLUMN schedule_exceptions.ends_on IS 'Last local date, inclusive.';

CREATE INDEX schedule_exceptions_professional_idx
  ON schedule_exceptions (professional_id, starts_on, ends_on);

CREATE TRIGGER schedule_exceptions_updated_at BEFORE UPDATE ON schedule_exceptions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE booking_policies (
  professional_id           uuid PRIMARY KEY
                              REFERENCES professional_profiles (id) ON DELETE CASCADE,
  slot_step_minutes         integer NOT NULL DEFAULT 15,
  min_notice_minutes        integer NOT NULL DEFAULT 60,
  horizon_days              integer NOT NULL DEFAULT 90,
  buffer_before_minutes     integer NOT NULL DEFAULT 0,
  buffer_after_minutes      integer NOT NULL DEFAULT 0,
  cancellation_window_hours integer NOT NULL DEFAULT 24,
  auto_confirm              boolean NOT NULL DEFAULT false,
  hold_ttl_seconds          integer NOT NULL DEFAULT 300,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT booking_policies_step_check CHECK (slot_step_minutes BETWEEN 5 AND 240),
  CONSTRAINT booking_policies_notice_check CHECK (min_notice_minutes BETWEEN 0 AND 43200),
  CONSTRAINT booking_policies_horizon_check CHECK (horizon_days BETWEEN 1 AND 730),
  CONSTRAINT booking_policies_buffers_check
    CHECK (buffer_before_minutes BETWEEN 0 AND 240 AND buffer_after_minutes BETWEEN 0 AND 240),
  CONSTRAINT booking_policies_cancellation_check
    CHECK (cancellation_window_hours BETWEEN 0 AND 720),
  CONSTRAINT booking_policies_hold_ttl_check CHECK (hold_ttl_seconds BETWEEN 30 AND 3600)
);

COMMENT ON TABLE booking_policies IS
  'One row per professional; a missing row means the column defaults apply.';
COMMENT ON COLUMN booking_policies.cancellation_window_hours IS
  'A patient may not cancel later than this many hours before the start.';
COMMENT ON COLUMN booking_policies.hold_ttl_seconds IS 'Lifetime of a slot hold.';

CREATE TRIGGER booking_policies_updated_at BEFORE UPDATE ON booking_policies
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
