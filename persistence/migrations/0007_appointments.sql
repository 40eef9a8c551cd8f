-- Appointments, their history, slot holds and the waitlist.

CREATE TABLE appointments (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  professional_id       uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE RESTRICT,
  patient_id            text NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  service_id            uuid,
  starts_at             timestamptz NOT NULL,
  ends_at               timestamptz NOT NULL,
  buffer_before_minutes integer NOT NULL DEFAULT 0,
  buffer_after_minutes  integer NOT NULL DEFAULT 0,
  block_starts_at       timestamptz NOT NULL,
  block_ends_at         timestamptz NOT NULL,
  timezone              text NOT NULL DEFAULT 'Europe/Madrid',
  status                text NOT NULL DEFAULT 'pending',
  modality              text NOT NULL DEFAULT 'in_person',
  price_cents           bigint NOT NULL DEFAULT 0,
  currency              text NOT NULL DEFAULT 'EUR',
  notes_ciphertext      bytea,
  notes_key_id          text,
  meeting_url           text,
  cancellation_reason   text,
  cancelled_by          text REFERENCES users (id) ON DELETE SET NULL,
  cancelled_at          timestamptz,
  confirmed_at          timestamptz,
  started_at            timestamptz,
  completed_at          timestamptz,
  idempotency_key       text,
  hold_id               uuid,
  created_by            text REFERENCES users (id) ON DELETE SET NULL,
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT appointments_service_fk FOREIGN KEY (service_id, professional_id)
    REFERENCES services (id, professional_id) ON DELETE SET NULL (service_id),
  CONSTRAINT appointments_times_check CHECK (ends_at > starts_at),
  CONSTRAINT appointments_buffers_check
    CHECK (buffer_before_minutes BETWEEN 0 AND 240 AND buffer_after_minutes BETWEEN 0 AND 240),
  CONSTRAINT appointments_block_check
    CHECK (block_starts_at <= starts_at AND block_ends_at >= ends_at),
  CONSTRAINT appointments_status_check
    CHECK (status IN ('pending', 'confirmed', 'in_progress', 'completed', 'cancelled', 'no_show')),
  CONSTRAINT appointments_modality_check CHECK (modality IN ('in_person', 'virtual')),
  CONSTRAINT appointments_price_check CHECK (price_cents >= 0),
  CONSTRAINT appointments_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT appointments_timezone_nonempty CHECK (char_length(timezone) BETWEEN 1 AND 64),
  CONSTRAINT appointments_notes_key CHECK ((notes_ciphertext IS NULL) = (notes_key_id IS NULL)),
  CONSTRAINT appointments_cancellation_length CHECK (char_length(cancellation_reason) <= 1000),
  CONSTRAINT appointments_idempotency_length CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
  CONSTRAINT appointments_idempotency_key UNIQUE (patient_id, idempotency_key),
  CONSTRAINT appointments_parties_key UNIQUE (id, patient_id, professional_id),
  CONSTRAINT appointments_no_overlap EXCLUDE USING gist (
    professional_id WITH =,
    tstzrange(block_starts_at, block_ends_at, '[)') WITH &&
  ) WHERE (status IN ('pending', 'confirmed', 'in_progress'))
);

COMMENT ON TABLE appointments IS
  'Bookings. Occupying statuses (pending, confirmed, in_progress) of one professional never '
  'overlap: appointments_no_overlap (SQLSTATE 23P01) backs up the calendar actor.';
COMMENT ON COLUMN appointments.professional_id IS 'The professional''s profile id (not user id).';
COMMENT ON COLUMN appointments.buffer_before_minutes IS
  'Buffer in force when booked (service override or policy), kept so later policy edits do not '
  'move existing blocks.';
COMMENT ON COLUMN appointments.block_starts_at IS
  'starts_at - buffer_before_minutes; set by trigger, do not write. Start of the occupied range.';
COMMENT ON COLUMN appointments.block_ends_at IS
  'ends_at + buffer_after_minutes; set by trigger, do not write. End (exclusive) of the range.';
COMMENT ON COLUMN appointments.timezone IS 'Professional''s IANA zone at booking time.';
COMMENT ON COLUMN appointments.price_cents IS 'Price agreed at booking (service snapshot).';
COMMENT ON COLUMN appointments.notes_ciphertext IS
  'AES-256-GCM ciphertext of the patient''s notes; key named by notes_key_id.';
COMMENT ON COLUMN appointments.idempotency_key IS
  'Idempotency-Key of the creating request; unique per patient.';
COMMENT ON COLUMN appointments.hold_id IS 'The hold converted into this appointment, if any.';
COMMENT ON COLUMN appointments.created_by IS
  'Who booked: the patient, or the professional booking for a named patient.';

-- The occupied range always follows starts_at/ends_at and the stored buffers. Minute
-- arithmetic on timestamptz is exact (no calendar units), so DST cannot shift it.
CREATE FUNCTION fill_occupied_range() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.block_starts_at := NEW.starts_at - make_interval(mins => NEW.buffer_before_minutes);
  NEW.block_ends_at := NEW.ends_at + make_interval(mins => NEW.buffer_after_minutes);
  RETURN NEW;
END
$$;

CREATE TRIGGER appointments_block BEFORE INSERT OR UPDATE ON appointments
  FOR EACH ROW EXECUTE FUNCTION fill_occupied_range();

CREATE TRIGGER appointments_updated_at BEFORE UPDATE ON appointments
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE INDEX appointments_professional_starts_idx ON appointments (professional_id, starts_at);
CREATE INDEX appointments_patient_starts_idx ON appointments (patient_id, starts_at);
CREATE INDEX appointments_status_starts_idx ON appointments (status, starts_at);
CREATE INDEX appointments_service_idx ON appointments (service_id);
CREATE INDEX appointments_upcoming_idx ON appointments (starts_at)
  WHERE status IN ('pending', 'confirmed');

CREATE TABLE appointment_history (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id uuid NOT NULL REFERENCES appointments (id) ON DELETE CASCADE,
  action         text NOT NULL,
  changed_by     text REFERENCES users (id) ON DELETE SET NULL,
  changed_at     timestamptz NOT NULL DEFAULT now(),
  from_status    text,
  to_status      text,
  old_starts_at  timestamptz,
  old_ends_at    timestamptz,
  new_starts_at  timestamptz,
  new_ends_at    timestamptz,
  reason         text,
  CONSTRAINT appointment_history_action_check
    CHECK (action IN ('created', 'status_changed', 'rescheduled', 'cancelled', 'updated')),
  CONSTRAINT appointment_history_from_check
    CHECK (from_status IN ('pending', 'confirmed', 'in_progress', 'completed', 'cancelled',
                           'no_show')),
  CONSTRAINT appointment_history_to_check
    CHECK (to_status IN ('pending', 'confirmed', 'in_progress', 'completed', 'cancelled',
                         'no_show')),
  CONSTRAINT appointment_history_reason_length CHECK (char_length(reason) <= 1000)
);

COMMENT ON COLUMN appointment_history.changed_by IS 'NULL when the system made the change.';
COMMENT ON COLUMN appointment_history.from_status IS 'NULL for the creating entry.';

CREATE INDEX appointment_history_appointment_idx
  ON appointment_history (appointment_id, changed_at);

CREATE TABLE appointment_holds (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  professional_id        uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE CASCADE,
  patient_id             text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  service_id             uuid,
  starts_at              timestamptz NOT NULL,
  ends_at                timestamptz NOT NULL,
  buffer_before_minutes  integer NOT NULL DEFAULT 0,
  buffer_after_minutes   integer NOT NULL DEFAULT 0,
  block_starts_at        timestamptz NOT NULL,
  block_ends_at          timestamptz NOT NULL,
  expires_at             timestamptz NOT NULL,
  status                 text NOT NULL DEFAULT 'active',
  appointment_id         uuid REFERENCES appointments (id) ON DELETE SET NULL,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT appointment_holds_service_fk FOREIGN KEY (service_id, professional_id)
    REFERENCES services (id, professional_id) ON DELETE CASCADE,
  CONSTRAINT appointment_holds_times_check CHECK (ends_at > starts_at),
  CONSTRAINT appointment_holds_buffers_check
    CHECK (buffer_before_minutes BETWEEN 0 AND 240 AND buffer_after_minutes BETWEEN 0 AND 240),
  CONSTRAINT appointment_holds_block_check
    CHECK (block_starts_at <= starts_at AND block_ends_at >= ends_at),
  CONSTRAINT appointment_holds_expiry_check CHECK (expires_at > created_at),
  CONSTRAINT appointment_holds_status_check
    CHECK (status IN ('active', 'converted', 'released', 'expired')),
  CONSTRAINT appointment_holds_converted_check
    CHECK (status <> 'converted' OR appointment_id IS NOT NULL)
);

COMMENT ON TABLE appointment_holds IS
  'Short reservations of a slot for one patient; the calendar actor enforces them in memory '
  'and reloads active, unexpired ones after a restart.';
COMMENT ON COLUMN appointment_holds.block_starts_at IS
  'Occupied range including buffers; set by trigger from the buffers, as for appointments.';
COMMENT ON COLUMN appointment_holds.expires_at IS
  'An active hold past this instant no longer occupies the slot.';

CREATE INDEX appointment_holds_professional_idx ON appointment_holds (professional_id, starts_at)
  WHERE status = 'active';
CREATE INDEX appointment_holds_expiry_idx ON appointment_holds (expires_at)
  WHERE status = 'active';
CREATE INDEX appointment_holds_patient_idx ON appointment_holds (patient_id);

CREATE TRIGGER appointment_holds_block BEFORE INSERT OR UPDATE ON appointment_holds
  FOR EACH ROW EXECUTE FUNCTION fill_occupied_range();

CREATE TRIGGER appointment_holds_updated_at BEFORE UPDATE ON appointment_holds
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE appointments ADD CONSTRAINT appointments_hold_fk
  FOREIGN KEY (hold_id) REFERENCES appointment_holds (id) ON DELETE SET NULL;

CREATE TABLE waitlist_entries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  professional_id uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE CASCADE,
  patient_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  service_id      uuid,
  window_from     timestamptz NOT NULL,
  window_to       timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'waiting',
  hold_id         uuid REFERENCES appointment_holds (id) ON DELETE SET NULL,
  offered_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT waitlist_entries_service_fk FOREIGN KEY (service_id, professional_id)
    REFERENCES services (id, professional_id) ON DELETE SET NULL (service_id),
  CONSTRAINT waitlist_entries_window_check CHECK (window_to > window_from),
  CONSTRAINT waitlist_entries_status_check
    CHECK (status IN ('waiting', 'offered', 'booked', 'expired', 'cancelled'))
);

COMMENT ON TABLE waitlist_entries IS
  'Patients waiting for a slot in [window_from, window_to); the oldest waiting entry is '
  'offered a hold when an occupying appointment in the window is cancelled.';
COMMENT ON COLUMN waitlist_entries.hold_id IS 'The hold offered to the patient (status offered).';

CREATE INDEX waitlist_entries_professional_idx
  ON waitlist_entries (professional_id, window_from, created_at)
  WHERE status = 'waiting';
CREATE INDEX waitlist_entries_patient_idx ON waitlist_entries (patient_id);
CREATE UNIQUE INDEX waitlist_entries_one_open
  ON waitlist_entries (professional_id, patient_id, window_from, window_to)
  WHERE status IN ('waiting', 'offered');

CREATE TRIGGER waitlist_entries_updated_at BEFORE UPDATE ON waitlist_entries
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
