-- The patient's blood type (an ABO/Rh code, not free text, so it is kept in clear like the
-- other structured profile fields; allergies, conditions and medications stay encrypted).

ALTER TABLE patient_profiles ADD COLUMN blood_type text;

ALTER TABLE patient_profiles ADD CONSTRAINT patient_profiles_blood_type_check
  CHECK (blood_type IN ('A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'));

COMMENT ON COLUMN patient_profiles.blood_type IS 'ABO and Rh group: A+, A-, B+, B-, AB+, AB-, O+, O-.';
