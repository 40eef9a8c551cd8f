-- Uploaded files and the professional validation workflow.

CREATE TABLE uploads (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id        text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose         text NOT NULL,
  stored_filename text NOT NULL,
  original_name   text NOT NULL,
  mimetype        text NOT NULL,
  size_bytes      bigint NOT NULL,
  sha256          text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  deleted_at      timestamptz,
  CONSTRAINT uploads_stored_filename_key UNIQUE (stored_filename),
  CONSTRAINT uploads_purpose_check
    CHECK (purpose IN ('avatar', 'dni', 'degree', 'certification')),
  CONSTRAINT uploads_filename_safe CHECK (stored_filename ~ '^[A-Za-z0-9._-]{1,200}$'),
  CONSTRAINT uploads_original_name_length CHECK (char_length(original_name) BETWEEN 1 AND 255),
  CONSTRAINT uploads_mimetype_check
    CHECK (mimetype IN ('image/jpeg', 'image/png', 'application/pdf')),
  CONSTRAINT uploads_size_check CHECK (size_bytes BETWEEN 1 AND 5242880),
  CONSTRAINT uploads_sha256_format CHECK (sha256 ~ '^[0-9a-f]{64}$')
);

COMMENT ON TABLE uploads IS
  'Files under the upload directory; GET /api/uploads/:file serves them to owner_id or an admin.';
COMMENT ON COLUMN uploads.stored_filename IS 'Server-generated name on disk (never the client''s).';
COMMENT ON COLUMN uploads.mimetype IS 'Detected by content sniffing, not from the file name.';
COMMENT ON COLUMN uploads.sha256 IS 'Lower-case hex SHA-256 of the stored bytes.';

CREATE INDEX uploads_owner_idx ON uploads (owner_id, created_at DESC);

CREATE TABLE validation_requests (
  id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  professional_id            uuid NOT NULL REFERENCES professional_profiles (id) ON DELETE CASCADE,
  status                     text NOT NULL DEFAULT 'pending',
  college_number             text NOT NULL,
  dni                        text NOT NULL,
  specialty_id               uuid REFERENCES specialties (id) ON DELETE SET NULL,
  specialty_text             text,
  bio                        text,
  experience_years           integer,
  education                  jsonb NOT NULL DEFAULT '[]',
  certifications             jsonb NOT NULL DEFAULT '[]',
  consultation_fee_cents     bigint,
  dni_document_url           text,
  degree_document_url        text,
  certification_document_url text,
  notes                      text,
  reviewed_by                text REFERENCES users (id) ON DELETE SET NULL,
  reviewed_at                timestamptz,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT validation_requests_status_check
    CHECK (status IN ('pending', 'under_review', 'approved', 'rejected', 'requires_info')),
  CONSTRAINT validation_requests_college_length
    CHECK (char_length(college_number) BETWEEN 1 AND 50),
  CONSTRAINT validation_requests_dni_length CHECK (char_length(dni) BETWEEN 1 AND 20),
  CONSTRAINT validation_requests_experience_check CHECK (experience_years BETWEEN 0 AND 80),
  CONSTRAINT validation_requests_education_array CHECK (jsonb_typeof(education) = 'array'),
  CONSTRAINT validation_requests_certifications_array
    CHECK (jsonb_typeof(certifications) = 'array'),
  CONSTRAINT validation_requests_fee_check CHECK (consultation_fee_cents >= 0),
  CONSTRAINT validation_requests_notes_length CHECK (char_length(notes) <= 2000),
  CONSTRAINT validation_requests_reviewed_check
    CHECK (status NOT IN ('approved', 'rejected') OR reviewed_at IS NOT NULL)
);

COMMENT ON COLUMN validation_requests.notes IS
  'Reviewer''s notes (validation_notes in the API; 10..2000 chars when rejecting).';
COMMENT ON COLUMN validation_requests.specialty_text IS
  'Specialty as submitted when it matches no specialties row.';
COMMENT ON COLUMN validation_requests.dni_document_url IS
  'URL returned by the uploads endpoint; the files themselves are validation_documents.';

CREATE UNIQUE INDEX validation_requests_one_open ON validation_requests (professional_id)
  WHERE status IN ('pending', 'under_review', 'requires_info');
CREATE INDEX validation_requests_status_idx ON validation_requests (status, created_at);
CREATE INDEX validation_requests_professional_idx
  ON validation_requests (professional_id, created_at DESC);

CREATE TRIGGER validation_requests_updated_at BEFORE UPDATE ON validation_requests
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE validation_documents (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id      uuid NOT NULL REFERENCES validation_requests (id) ON DELETE CASCADE,
  upload_id       uuid REFERENCES uploads (id) ON DELETE SET NULL,
  kind            text NOT NULL,
  stored_filename text NOT NULL,
  original_name   text NOT NULL,
  mimetype        text NOT NULL,
  size_bytes      bigint NOT NULL,
  sha256          text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT validation_documents_kind_check CHECK (kind IN ('dni', 'degree', 'certification')),
  CONSTRAINT validation_documents_mimetype_check
    CHECK (mimetype IN ('image/jpeg', 'image/png', 'application/pdf')),
  CONSTRAINT validation_documents_size_check CHECK (size_bytes BETWEEN 1 AND 5242880),
  CONSTRAINT validation_documents_sha256_format CHECK (sha256 ~ '^[0-9a-f]{64}$')
);

COMMENT ON COLUMN validation_documents.stored_filename IS
  'Copy of the upload''s file name, kept even if the upload row is removed.';

CREATE INDEX validation_documents_request_idx ON validation_documents (request_id);

CREATE TABLE validation_history (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id  uuid NOT NULL REFERENCES validation_requests (id) ON DELETE CASCADE,
  changed_by  text REFERENCES users (id) ON DELETE SET NULL,
  from_status text,
  to_status   text NOT NULL,
  notes       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT validation_history_from_check
    CHECK (from_status IN ('pending', 'under_review', 'approved', 'rejected', 'requires_info')),
  CONSTRAINT validation_history_to_check
    CHECK (to_status IN ('pending', 'under_review', 'approved', 'rejected', 'requires_info'))
);

CREATE INDEX validation_history_request_idx ON validation_history (request_id, created_at);
