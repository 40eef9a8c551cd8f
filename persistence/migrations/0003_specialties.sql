-- Medical specialties of the public directory, seeded with the common Spanish ones.

CREATE TABLE specialties (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL,
  name        text NOT NULL,
  description text,
  is_active   boolean NOT NULL DEFAULT true,
  sort_order  integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT specialties_slug_key UNIQUE (slug),
  CONSTRAINT specialties_name_key UNIQUE (name),
  CONSTRAINT specialties_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  CONSTRAINT specialties_name_length CHECK (char_length(name) BETWEEN 2 AND 100)
);

COMMENT ON COLUMN specialties.id IS
  'Seeded rows use md5(''mundoctor.specialty:'' || slug)::uuid, so their ids are the same in '
  'every database.';
COMMENT ON COLUMN specialties.slug IS 'Stable ASCII key (pediatria, nutricion-y-dietetica).';

CREATE INDEX specialties_name_trgm_idx ON specialties
  USING gin (f_unaccent(lower(name)) gin_trgm_ops);

CREATE TRIGGER specialties_updated_at BEFORE UPDATE ON specialties
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

INSERT INTO specialties (id, slug, name, sort_order)
SELECT md5('mundoctor.specialty:' || s.slug)::uuid, s.slug, s.name, s.ord
FROM (VALUES
  ('medicina-general', 'Medicina General', 10),
  ('medicina-familiar', 'Medicina Familiar', 20),
  ('pediatria', 'Pediatría', 30),
  ('cardiologia', 'Cardiología', 40),
  ('dermatologia', 'Dermatología', 50),
  ('ginecologia', 'Ginecología', 60),
  ('traumatologia', 'Traumatología', 70),
  ('psicologia', 'Psicología', 80),
  ('psiquiatria', 'Psiquiatría', 90),
  ('fisioterapia', 'Fisioterapia', 100),
  ('oftalmologia', 'Oftalmología', 110),
  ('otorrinolaringologia', 'Otorrinolaringología', 120),
  ('neurologia', 'Neurología', 130),
  ('endocrinologia', 'Endocrinología', 140),
  ('nutricion-y-dietetica', 'Nutrición y Dietética', 150),
  ('odontologia', 'Odontología', 160),
  ('urologia', 'Urología', 170),
  ('digestivo', 'Digestivo', 180),
  ('neumologia', 'Neumología', 190),
  ('reumatologia', 'Reumatología', 200),
  ('oncologia', 'Oncología', 210),
  ('alergologia', 'Alergología', 220),
  ('podologia', 'Podología', 230),
  ('logopedia', 'Logopedia', 240),
  ('enfermeria', 'Enfermería', 250),
  ('medicina-interna', 'Medicina Interna', 260),
  ('nefrologia', 'Nefrología', 270),
  ('hematologia', 'Hematología', 280),
  ('geriatria', 'Geriatría', 290),
  ('cirugia-general', 'Cirugía General', 300),
  ('medicina-deportiva', 'Medicina Deportiva', 310),
  ('medicina-estetica', 'Medicina Estética', 320)
) AS s (slug, name, ord);
