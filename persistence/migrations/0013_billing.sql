-- Plans, subscriptions, payments, refunds and invoices. Amounts are integer cents.

CREATE TABLE plans (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code                 text NOT NULL,
  name                 text NOT NULL,
  description          text,
  price_month_cents    bigint NOT NULL,
  price_year_cents     bigint NOT NULL,
  currency             text NOT NULL DEFAULT 'EUR',
  vat_rate_bp          integer NOT NULL DEFAULT 2100,
  vat_included         boolean NOT NULL DEFAULT true,
  features             jsonb NOT NULL DEFAULT '{}',
  stripe_price_month_id text,
  stripe_price_year_id  text,
  is_active            boolean NOT NULL DEFAULT true,
  sort_order           integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT plans_code_key UNIQUE (code),
  CONSTRAINT plans_code_format CHECK (code ~ '^[a-z][a-z0-9_]*$'),
  CONSTRAINT plans_prices_check CHECK (price_month_cents >= 0 AND price_year_cents >= 0),
  CONSTRAINT plans_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT plans_vat_check CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  CONSTRAINT plans_features_object CHECK (jsonb_typeof(features) = 'object')
);

COMMENT ON COLUMN plans.id IS
  'Seeded rows use md5(''mundoctor.plan:'' || code)::uuid, the same in every database.';
COMMENT ON COLUMN plans.vat_rate_bp IS 'VAT rate in basis points (2100 = 21 %).';
COMMENT ON COLUMN plans.vat_included IS 'Prices shown include VAT (base = price / (1 + rate)).';

CREATE TRIGGER plans_updated_at BEFORE UPDATE ON plans
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO plans (id, code, name, price_month_cents, price_year_cents, sort_order)
SELECT md5('mundoctor.plan:' || p.code)::uuid, p.code, p.name, p.month, p.year, p.ord
FROM (VALUES
  ('free', 'Gratuito', 0, 0, 10),
  ('basic', 'Básico', 2495, 24950, 20),
  ('professional', 'Profesional', 3995, 39950, 30)
) AS p (code, name, month, year, ord);

CREATE TABLE subscriptions (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                text NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  plan_id                uuid NOT NULL REFERENCES plans (id) ON DELETE RESTRICT,
  billing_interval       text NOT NULL DEFAULT 'month',
  status                 text NOT NULL DEFAULT 'incomplete',
  current_period_start   timestamptz,
  current_period_end     timestamptz,
  cancel_at_period_end   boolean NOT NULL DEFAULT false,
  cancelled_at           timestamptz,
  stripe_subscription_id text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT subscriptions_stripe_key UNIQUE (stripe_subscription_id),
  CONSTRAINT subscriptions_interval_check CHECK (billing_interval IN ('month', 'year')),
  CONSTRAINT subscriptions_status_check
    CHECK (status IN ('incomplete', 'trialing', 'active', 'past_due', 'cancelled', 'expired')),
  CONSTRAINT subscriptions_period_check
    CHECK (current_period_end IS NULL OR current_period_start IS NULL
           OR current_period_end > current_period_start)
);

COMMENT ON COLUMN subscriptions.status IS
  'trialing, active and past_due make a professional bookable; one live row per user.';

CREATE UNIQUE INDEX subscriptions_one_live ON subscriptions (user_id)
  WHERE status IN ('incomplete', 'trialing', 'active', 'past_due');
CREATE INDEX subscriptions_user_idx ON subscriptions (user_id, created_at DESC);
CREATE INDEX subscriptions_period_end_idx ON subscriptions (current_period_end)
  WHERE status IN ('trialing', 'active', 'past_due');
CREATE INDEX subscriptions_created_idx ON subscriptions (created_at);

CREATE TRIGGER subscriptions_updated_at BEFORE UPDATE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE payments (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                  text NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  kind                     text NOT NULL,
  appointment_id           uuid REFERENCES appointments (id) ON DELETE SET NULL,
  subscription_id          uuid REFERENCES subscriptions (id) ON DELETE SET NULL,
  amount_cents             bigint NOT NULL,
  refunded_cents           bigint NOT NULL DEFAULT 0,
  currency                 text NOT NULL DEFAULT 'EUR',
  status                   text NOT NULL DEFAULT 'pending',
  description              text,
  stripe_payment_intent_id text,
  stripe_charge_id         text,
  stripe_invoice_id        text,
  failure_code             text,
  failure_message          text,
  succeeded_at             timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payments_intent_key UNIQUE (stripe_payment_intent_id),
  CONSTRAINT payments_charge_key UNIQUE (stripe_charge_id),
  CONSTRAINT payments_stripe_invoice_key UNIQUE (stripe_invoice_id),
  CONSTRAINT payments_kind_check CHECK (kind IN ('appointment', 'subscription')),
  CONSTRAINT payments_amount_check CHECK (amount_cents >= 0),
  CONSTRAINT payments_refunded_check CHECK (refunded_cents BETWEEN 0 AND amount_cents),
  CONSTRAINT payments_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT payments_status_check
    CHECK (status IN ('pending', 'processing', 'requires_action', 'succeeded', 'failed',
                      'cancelled', 'refunded', 'partially_refunded'))
);

COMMENT ON COLUMN payments.status IS
  'Mirrors the Stripe PaymentIntent; refunded/partially_refunded follow refunded_cents.';

CREATE INDEX payments_user_idx ON payments (user_id, created_at DESC);
CREATE INDEX payments_status_idx ON payments (status, created_at);
CREATE INDEX payments_appointment_idx ON payments (appointment_id);
CREATE INDEX payments_subscription_idx ON payments (subscription_id);

CREATE TRIGGER payments_updated_at BEFORE UPDATE ON payments
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE refunds (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  payment_id       uuid NOT NULL REFERENCES payments (id) ON DELETE RESTRICT,
  amount_cents     bigint NOT NULL,
  reason           text,
  status           text NOT NULL DEFAULT 'pending',
  stripe_refund_id text,
  created_by       text REFERENCES users (id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT refunds_stripe_key UNIQUE (stripe_refund_id),
  CONSTRAINT refunds_amount_check CHECK (amount_cents > 0),
  CONSTRAINT refunds_status_check CHECK (status IN ('pending', 'succeeded', 'failed', 'cancelled'))
);

CREATE INDEX refunds_payment_idx ON refunds (payment_id);

CREATE TRIGGER refunds_updated_at BEFORE UPDATE ON refunds
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Gapless numbering: in the transaction that inserts the invoice,
--   INSERT INTO invoice_counters (year, last_number) VALUES ($1, 1)
--   ON CONFLICT (year) DO UPDATE SET last_number = invoice_counters.last_number + 1
--   RETURNING last_number;
-- The row lock serialises issuers of one year and a rollback gives the number back.
CREATE TABLE invoice_counters (
  year        integer PRIMARY KEY,
  last_number integer NOT NULL DEFAULT 0,
  CONSTRAINT invoice_counters_year_check CHECK (year BETWEEN 2000 AND 9999),
  CONSTRAINT invoice_counters_number_check CHECK (last_number >= 0)
);

CREATE TABLE invoices (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  year                 integer NOT NULL,
  number               integer NOT NULL,
  code                 text GENERATED ALWAYS AS
                         (year::text || '-' || lpad(number::text, 6, '0')) STORED,
  kind                 text NOT NULL DEFAULT 'standard',
  rectifies_invoice_id uuid REFERENCES invoices (id) ON DELETE RESTRICT,
  user_id              text NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
  payment_id           uuid REFERENCES payments (id) ON DELETE RESTRICT,
  issued_at            timestamptz NOT NULL DEFAULT now(),
  issuer_name          text NOT NULL,
  issuer_tax_id        text NOT NULL,
  issuer_address       text,
  customer_name        text NOT NULL,
  customer_tax_id      text,
  customer_address     text,
  lines                jsonb NOT NULL DEFAULT '[]',
  base_cents           bigint NOT NULL,
  vat_rate_bp          integer NOT NULL,
  vat_cents            bigint NOT NULL,
  total_cents          bigint NOT NULL,
  currency             text NOT NULL DEFAULT 'EUR',
  pdf_filename         text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT invoices_year_number_key UNIQUE (year, number),
  CONSTRAINT invoices_year_check CHECK (year BETWEEN 2000 AND 9999),
  CONSTRAINT invoices_number_check CHECK (number >= 1),
  CONSTRAINT invoices_kind_check CHECK (kind IN ('standard', 'rectifying')),
  CONSTRAINT invoices_rectifies_check
    CHECK ((kind = 'rectifying') = (rectifies_invoice_id IS NOT NULL)),
  CONSTRAINT invoices_total_check CHECK (total_cents = base_cents + vat_cents),
  CONSTRAINT invoices_sign_check
    CHECK (kind = 'rectifying' OR (base_cents >= 0 AND vat_cents >= 0)),
  CONSTRAINT invoices_vat_check CHECK (vat_rate_bp BETWEEN 0 AND 10000),
  CONSTRAINT invoices_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT invoices_lines_array CHECK (jsonb_typeof(lines) = 'array')
);

COMMENT ON TABLE invoices IS
  'Issued invoices; immutable once issued (corrections are rectifying invoices with negative '
  'amounts). Numbers come from invoice_counters in the same transaction, so there are no gaps.';
COMMENT ON COLUMN invoices.code IS 'Printed number, e.g. 2026-000042.';
COMMENT ON COLUMN invoices.lines IS
  'JSON array of {description, quantity, unit_cents, base_cents}.';

CREATE INDEX invoices_user_idx ON invoices (user_id, issued_at DESC);
CREATE INDEX invoices_payment_idx ON invoices (payment_id);

-- Issued invoices never change; only the rendered PDF's file name may be filled in later.
CREATE FUNCTION invoices_forbid_update() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF to_jsonb(NEW) - 'pdf_filename' IS DISTINCT FROM to_jsonb(OLD) - 'pdf_filename' THEN
    RAISE EXCEPTION 'issued invoice % cannot be modified', OLD.code
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER invoices_immutable BEFORE UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_forbid_update();
