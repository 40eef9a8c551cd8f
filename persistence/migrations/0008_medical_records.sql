-- Clinical notes written by the professional for a completed appointment. Every free-text
-- field is AES-256-GCM ciphertext produced by the application, with the id of its data key.

CREATE TABLE medical_records (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id           uuid NOT NULL,
  patient_id               text NOT NULL,
  professional_id          uuid NOT NULL,
  diagnosis_ciphertext     bytea,
  diagnosis_key_id         text,
  treatment_ciphertext     bytea,
  treatment_key_id         text,
  prescriptions_ciphertext bytea,
  prescriptions_key_id     text,
  created_by               text REFERENCES users (id) ON DELETE SET NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT medical_records_appointment_key UNIQUE (appointment_id),
  CONSTRAINT medical_records_appointment_fk
    FOREIGN KEY (appointment_id, patient_id, professional_id)
    REFERENCES appointments (id, patient_id, professional_id) ON DELETE RESTRICT,
  CONSTRAINT medical_records_diagnosis_key
    CHECK ((diagnosis_ciphertext IS NULL) = (diagnosis_key_id IS NULL)),
  CONSTRAINT medical_records_treatment_key
    CHECK ((treatment_ciphertext IS NULL) = (treatment_key_id IS NULL)),
  CONSTRAINT medical_records_prescriptions_key
    CHECK ((prescriptions_ciphertext IS NULL) = (prescriptions_key_id IS NULL))
);

COMMENT ON TABLE medical_records IS
  'One per appointment; patient_id and professional_id must match the appointment (composite FK).';
COMMENT ON COLUMN medical_records.diagnosis_ciphertext IS
  'AES-256-GCM ciphertext (nonce and tag included); key named by diagnosis_key_id.';
COMMENT ON COLUMN medical_records.prescriptions_ciphertext IS
  'AES-256-GCM ciphertext of the prescriptions (JSON text before encryption).';

CREATE INDEX medical_records_patient_idx ON medical_records (patient_id, created_at DESC);
CREATE INDEX medical_records_professional_idx ON medical_records (professional_id);

CREATE TRIGGER medical_records_updated_at BEFORE UPDATE ON medical_records
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();
