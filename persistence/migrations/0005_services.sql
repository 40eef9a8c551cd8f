-- The professional's catalogue of bookable services.

CREATE TABLE services (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  professional_id        uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE CASCADE,
  name                   text NOT NULL,
  description            text,
  category               text,
  duration_minutes       integer NOT NULL,
  price_cents            bigint NOT NULL DEFAULT 0,
  currency               text NOT NULL DEFAULT 'EUR',
  modalities             text[] NOT NULL DEFAULT '{in_person}',
  buffer_before_minutes  integer,
  buffer_after_minutes   integer,
  discount_percent       integer,
  discount_amount_cents  bigint,
  discount_valid_from    timestamptz,
  discount_valid_until   timestamptz,
  is_active              boolean NOT NULL DEFAULT true,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  deleted_at             timestamptz,
  CONSTRAINT services_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  CONSTRAINT services_category_length CHECK (char_length(category) BETWEEN 1 AND 100),
  CONSTRAINT services_duration_check CHECK (duration_minutes BETWEEN 5 AND 480),
  CONSTRAINT services_price_check CHECK (price_cents >= 0),
  CONSTRAINT services_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT services_modalities_check
    CHECK (cardinality(modalities) >= 1
           AND modalities <@ ARRAY['in_person', 'virtual']::text[]),
  CONSTRAINT services_buffers_check
    CHECK (buffer_before_minutes BETWEEN 0 AND 240 AND buffer_after_minutes BETWEEN 0 AND 240),
  CONSTRAINT services_discount_percent_check CHECK (discount_percent BETWEEN 1 AND 100),
  CONSTRAINT services_discount_amount_check CHECK (discount_amount_cents > 0),
  CONSTRAINT services_discount_one_kind
    CHECK (discount_percent IS NULL OR discount_amount_cents IS NULL),
  CONSTRAINT services_discount_window
    CHECK (discount_valid_until IS NULL OR discount_valid_from IS NULL
           OR discount_valid_until > discount_valid_from),
  CONSTRAINT services_id_professional_key UNIQUE (id, professional_id)
);

COMMENT ON COLUMN services.modalities IS 'Non-empty subset of {in_person, virtual}.';
COMMENT ON COLUMN services.buffer_before_minutes IS
  'Overrides booking_policies.buffer_before_minutes for this service when not NULL.';
COMMENT ON COLUMN services.discount_percent IS
  'Either a percentage or a fixed amount (discount_amount_cents), valid in the given window.';
COMMENT ON COLUMN services.deleted_at IS
  'Soft delete: appointments keep referring to the row; list queries skip it.';

CREATE INDEX services_professional_idx ON services (professional_id) WHERE deleted_at IS NULL;
CREATE INDEX services_category_idx ON services (category) WHERE deleted_at IS NULL;
CREATE INDEX services_price_idx ON services (price_cents) WHERE deleted_at IS NULL;
CREATE INDEX services_modalities_idx ON services USING gin (modalities);

CREATE TRIGGER services_updated_at BEFORE UPDATE ON services
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
