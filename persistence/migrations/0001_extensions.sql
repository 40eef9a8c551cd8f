-- Extensions and helper functions shared by every later migration.
-- All extensions used here are "trusted" in PostgreSQL 15, so a database owner without
-- superuser rights can create them.

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;      -- gen_random_uuid, digests
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;      -- accent-insensitive search
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;       -- fuzzy text search
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;    -- scalar = inside EXCLUDE
CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA public;          -- required by earthdistance
CREATE EXTENSION IF NOT EXISTS earthdistance WITH SCHEMA public; -- radius search

-- unaccent() is only STABLE (its dictionary could change), so it cannot appear in an index.
-- This wrapper pins the dictionary and is declared IMMUTABLE, which is the usual way to index
-- accent-insensitive text. Callers must use f_unaccent in queries so the indexes match.
CREATE FUNCTION f_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

COMMENT ON FUNCTION f_unaccent(text) IS
  'Immutable unaccent wrapper for expression indexes: f_unaccent(lower(x)) is the search key.';

-- Keeps updated_at current on every UPDATE; attached to each table that has the column.
CREATE FUNCTION set_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;

-- Wall-clock ranges for weekly schedule rules (time has no built-in range type).
CREATE TYPE timerange AS RANGE (subtype = time);

COMMENT ON TYPE timerange IS 'Range of wall-clock times of day, used by schedules_no_overlap.';
