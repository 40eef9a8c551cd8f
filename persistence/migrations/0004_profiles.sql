-- Role profiles: patients and professionals, plus the patient's contacts and favourites.
-- Encrypted fields are AES-256-GCM ciphertext produced by the application (nonce and tag
-- included in the bytea); *_key_id names the data key so keys can rotate.

CREATE TABLE patient_profiles (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  date_of_birth          date,
  gender                 text,
  dni                    text,
  address                text,
  city                   text,
  postal_code            text,
  country                text NOT NULL DEFAULT 'ES',
  allergies_ciphertext   bytea,
  allergies_key_id       text,
  conditions_ciphertext  bytea,
  conditions_key_id      text,
  medications_ciphertext bytea,
  medications_key_id     text,
  history_ciphertext     bytea,
  history_key_id         text,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT patient_profiles_user_key UNIQUE (user_id),
  CONSTRAINT patient_profiles_gender_check
    CHECK (gender IN ('female', 'male', 'other', 'undisclosed')),
  CONSTRAINT patient_profiles_birth_check CHECK (date_of_birth >= DATE '1900-01-01'),
  CONSTRAINT patient_profiles_country_check CHECK (country ~ '^[A-Z]{2}$'),
  CONSTRAINT patient_profiles_allergies_key
    CHECK ((allergies_ciphertext IS NULL) = (allergies_key_id IS NULL)),
  CONSTRAINT patient_profiles_conditions_key
    CHECK ((conditions_ciphertext IS NULL) = (conditions_key_id IS NULL)),
  CONSTRAINT patient_profiles_medications_key
    CHECK ((medications_ciphertext IS NULL) = (medications_key_id IS NULL)),
  CONSTRAINT patient_profiles_history_key
    CHECK ((history_ciphertext IS NULL) = (history_key_id IS NULL))
);

COMMENT ON COLUMN patient_profiles.allergies_ciphertext IS
  'AES-256-GCM ciphertext of the allergies text; key named by allergies_key_id.';
COMMENT ON COLUMN patient_profiles.history_ciphertext IS
  'AES-256-GCM ciphertext of the free-text medical history.';

CREATE TRIGGER patient_profiles_updated_at BEFORE UPDATE ON patient_profiles
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE professional_profiles (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id                text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  specialty_id           uuid REFERENCES specialties (id) ON DELETE SET NULL,
  college_number         text,
  dni                    text,
  bio                    text,
  experience_years       integer,
  education              jsonb NOT NULL DEFAULT '[]',
  certifications         jsonb NOT NULL DEFAULT '[]',
  languages              text[] NOT NULL DEFAULT '{es}',
  consultation_fee_cents bigint,
  currency               text NOT NULL DEFAULT 'EUR',
  city                   text,
  address                text,
  postal_code            text,
  latitude               double precision,
  longitude              double precision,
  office_hours           jsonb,
  verified               boolean NOT NULL DEFAULT false,
  verification_status    text NOT NULL DEFAULT 'not_submitted',
  verified_at            timestamptz,
  rating_average         numeric(3, 2) NOT NULL DEFAULT 0,
  total_reviews          integer NOT NULL DEFAULT 0,
  rating_count_1         integer NOT NULL DEFAULT 0,
  rating_count_2         integer NOT NULL DEFAULT 0,
  rating_count_3         integer NOT NULL DEFAULT 0,
  rating_count_4         integer NOT NULL DEFAULT 0,
  rating_count_5         integer NOT NULL DEFAULT 0,
  timezone               text NOT NULL DEFAULT 'Europe/Madrid',
  search_text            text NOT NULL DEFAULT '',
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT professional_profiles_user_key UNIQUE (user_id),
  CONSTRAINT professional_profiles_experience_check CHECK (experience_years BETWEEN 0 AND 80),
  CONSTRAINT professional_profiles_education_array CHECK (jsonb_typeof(education) = 'array'),
  CONSTRAINT professional_profiles_certifications_array
    CHECK (jsonb_typeof(certifications) = 'array'),
  CONSTRAINT professional_profiles_office_hours_object
    CHECK (jsonb_typeof(office_hours) IN ('object', 'array')),
  CONSTRAINT professional_profiles_fee_check CHECK (consultation_fee_cents >= 0),
  CONSTRAINT professional_profiles_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT professional_profiles_latitude_check CHECK (latitude BETWEEN -90 AND 90),
  CONSTRAINT professional_profiles_longitude_check CHECK (longitude BETWEEN -180 AND 180),
  CONSTRAINT professional_profiles_coordinates_pair
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
  CONSTRAINT professional_profiles_verification_check
    CHECK (verification_status IN ('not_submitted', 'pending', 'under_review', 'approved',
                                   'rejected', 'requires_info')),
  CONSTRAINT professional_profiles_rating_check CHECK (rating_average BETWEEN 0 AND 5),
  CONSTRAINT professional_profiles_counts_check
    CHECK (total_reviews >= 0 AND rating_count_1 >= 0 AND rating_count_2 >= 0
           AND rating_count_3 >= 0 AND rating_count_4 >= 0 AND rating_count_5 >= 0),
  CONSTRAINT professional_profiles_timezone_nonempty CHECK (char_length(timezone) BETWEEN 1 AND 64)
);

COMMENT ON COLUMN professional_profiles.education IS 'JSON array of {title, institution, year}.';
COMMENT ON COLUMN professional_profiles.office_hours IS
  'Display-only office hours as shown on the public profile; bookable hours live in schedules.';
COMMENT ON COLUMN professional_profiles.verified IS
  'True once a validation request is approved; required to be bookable.';
COMMENT ON COLUMN professional_profiles.verification_status IS
  'Mirror of the latest validation request status (not_submitted before the first one).';
COMMENT ON COLUMN professional_profiles.rating_average IS
  'Average of approved, non-deleted reviews; maintained by the reviews trigger.';
COMMENT ON COLUMN professional_profiles.rating_count_1 IS
  'Rating distribution: approved reviews with 1 star (rating_count_2..5 likewise).';
COMMENT ON COLUMN professional_profiles.timezone IS
  'IANA zone of the professional''s calendar; dates in the API are local to it.';
COMMENT ON COLUMN professional_profiles.search_text IS
  'f_unaccent(lower(name, specialty, city, bio)), maintained by triggers; search with LIKE or <%.';

CREATE INDEX professional_profiles_specialty_idx ON professional_profiles (specialty_id);
CREATE INDEX professional_profiles_city_idx ON professional_profiles (f_unaccent(lower(city)));
CREATE INDEX professional_profiles_rating_idx
  ON professional_profiles (rating_average DESC, total_reviews DESC) WHERE verified;
CREATE INDEX professional_profiles_fee_idx ON professional_profiles (consultation_fee_cents);
CREATE INDEX professional_profiles_search_trgm_idx ON professional_profiles
  USING gin (search_text gin_trgm_ops);
CREATE INDEX professional_profiles_earth_idx ON professional_profiles
  USING gist (ll_to_earth(latitude, longitude)) WHERE latitude IS NOT NULL;

CREATE TRIGGER professional_profiles_updated_at BEFORE UPDATE ON professional_profiles
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- search_text is derived from the profile, its user's name and its specialty's name.
CREATE FUNCTION professional_search_text(p_user_id text, p_specialty_id uuid, p_city text,
                                         p_bio text) RETURNS text
  LANGUAGE sql STABLE
  AS $$
SELECT f_unaccent(lower(concat_ws(' ',
         (SELECT u.full_name FROM users u WHERE u.id = p_user_id),
         (SELECT s.name FROM specialties s WHERE s.id = p_specialty_id),
         p_city, p_bio)))
$$;

CREATE FUNCTION professional_profiles_fill_search_text() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.search_text := professional_search_text(NEW.user_id, NEW.specialty_id, NEW.city, NEW.bio);
  RETURN NEW;
END
$$;

CREATE TRIGGER professional_profiles_search_text
  BEFORE INSERT OR UPDATE OF user_id, specialty_id, city, bio ON professional_profiles
  FOR EACH ROW EXECUTE FUNCTION professional_profiles_fill_search_text();

CREATE FUNCTION users_refresh_professional_search_text() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE professional_profiles p
     SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio)
   WHERE p.user_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER users_professional_search_text
  AFTER UPDATE OF first_name, last_name ON users
  FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name)
  EXECUTE FUNCTION users_refresh_professional_search_text();

CREATE FUNCTION specialties_refresh_professional_search_text() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE professional_profiles p
     SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio)
   WHERE p.specialty_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER specialties_professional_search_text
  AFTER UPDATE OF name ON specialties
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION specialties_refresh_professional_search_text();

CREATE TABLE emergency_contacts (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  patient_id   text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL,
  relationship text,
  phone        text NOT NULL,
  email        text,
  is_primary   boolean NOT NULL DEFAULT false,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT emergency_contacts_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  CONSTRAINT emergency_contacts_phone_e164 CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  CONSTRAINT emergency_contacts_email_format CHECK (email ~ '^[^@\s]+@[^@\s]+$')
);

CREATE INDEX emergency_contacts_patient_idx ON emergency_contacts (patient_id);
CREATE UNIQUE INDEX emergency_contacts_one_primary ON emergency_contacts (patient_id)
  WHERE is_primary;

CREATE TRIGGER emergency_contacts_updated_at BEFORE UPDATE ON emergency_contacts
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE favorites (
  patient_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  professional_id uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT favorites_pkey PRIMARY KEY (patient_id, professional_id)
);

CREATE INDEX favorites_professional_idx ON favorites (professional_id);
