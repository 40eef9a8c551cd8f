-- The directory's facts kept on the profile row so that search reads one narrow index:
--   bookable            the bookability rule (ARCHITECTURE.md "What makes a professional
--                       bookable"), maintained by triggers on every table the rule reads;
--   city_key            f_unaccent(lower(city)), the key of the city filter;
--   service_modalities  the modalities of the active services (empty: no active service);
--   earth_location      ll_to_earth(latitude, longitude), the key of the radius filter.
-- search_words is the vocabulary of the search documents, for typo correction.
-- Two partial indexes over bookable professionals carry every filter and sort column, so a
-- search without free text is an index-only scan and its exact total costs no heap reads.

-- The rule itself, in one place. VOLATILE on purpose: each statement takes a fresh snapshot,
-- so a trigger that waited for the profile row's lock sees what the other writer committed.
CREATE FUNCTION professional_is_bookable(p_user_id text, p_verified boolean) RETURNS boolean
  LANGUAGE plpgsql VOLATILE
  AS $$
BEGIN
  IF NOT p_verified THEN
    RETURN false;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p_user_id AND u.status = 'active') THEN
    RETURN false;
  END IF;
  -- A plan whose code changes concurrently waits for this evaluation, or this one for it.
  PERFORM 1 FROM subscriptions s JOIN plans pl ON pl.id = s.plan_id
   WHERE s.user_id = p_user_id FOR SHARE OF pl;
  -- No subscription row: the free plan. Otherwise a subscription in good standing, or a free
  -- plan subscription that is not cancelled or expired.
  RETURN NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.user_id = p_user_id)
      OR EXISTS (SELECT 1 FROM subscriptions s JOIN plans pl ON pl.id = s.plan_id
                  WHERE s.user_id = p_user_id
                    AND (s.status IN ('trialing', 'active', 'past_due')
                         OR (pl.code = 'free' AND s.status NOT IN ('cancelled', 'expired'))));
END
$$;

-- VOLATILE (like professional_search_text below): a trigger that waited for the profile row's
-- lock must read the services another writer committed meanwhile, not its statement snapshot.
CREATE FUNCTION professional_service_modalities(p_profile_id uuid) RETURNS text[]
  LANGUAGE sql VOLATILE
  AS $$
SELECT coalesce(array_agg(DISTINCT m ORDER BY m), '{}')
  FROM services sv CROSS JOIN LATERAL unnest(sv.modalities) AS m
 WHERE sv.professional_id = p_profile_id AND sv.deleted_at IS NULL AND sv.is_active
$$;

ALTER FUNCTION professional_search_text(text, uuid, text, text) VOLATILE;

-- earthdistance's ll_to_earth calls cube() and earth() without a schema, which fails where the
-- search path is empty (pg_restore computing the generated column); this wrapper pins it.
CREATE FUNCTION profile_earth_location(p_latitude float8, p_longitude float8) RETURNS cube
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  SET search_path = public
  AS $$ SELECT ll_to_earth(p_latitude, p_longitude)::cube $$;

ALTER TABLE professional_profiles
  ADD COLUMN bookable boolean NOT NULL DEFAULT false,
  ADD COLUMN city_key text GENERATED ALWAYS AS (f_unaccent(lower(city))) STORED,
  ADD COLUMN service_modalities text[] NOT NULL DEFAULT '{}',
  ADD COLUMN earth_location cube
    GENERATED ALWAYS AS (profile_earth_location(latitude, longitude)) STORED;

COMMENT ON COLUMN professional_profiles.bookable IS
  'professional_is_bookable(user_id, verified), maintained by triggers on professional_profiles, '
  'users (status), subscriptions and plans (code); never written by the application.';
COMMENT ON COLUMN professional_profiles.service_modalities IS
  'Sorted distinct modalities of the active, non-deleted services; empty without one.';

-- The profile's own changes.
CREATE FUNCTION professional_profiles_fill_bookable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.bookable := professional_is_bookable(NEW.user_id, NEW.verified);
  RETURN NEW;
END
$$;

CREATE TRIGGER professional_profiles_bookable
  BEFORE INSERT OR UPDATE OF user_id, verified, bookable ON professional_profiles
  FOR EACH ROW EXECUTE FUNCTION professional_profiles_fill_bookable();

-- Another table changed: recompute for one user's profile. The row's lock comes first, so
-- concurrent writers recompute one after the other, each (a new statement, a new snapshot)
-- seeing what the one before committed; the row is only written when the flag changes.
CREATE FUNCTION refresh_professional_bookable(p_user_id text) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM 1 FROM professional_profiles p WHERE p.user_id = p_user_id FOR UPDATE;
  UPDATE professional_profiles p SET bookable = professional_is_bookable(p.user_id, p.verified)
   WHERE p.user_id = p_user_id
     AND p.bookable IS DISTINCT FROM professional_is_bookable(p.user_id, p.verified);
END
$$;

CREATE FUNCTION users_refresh_professional_bookable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM refresh_professional_bookable(NEW.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER users_professional_bookable
  AFTER UPDATE OF status ON users
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION users_refresh_professional_bookable();

CREATE FUNCTION subscriptions_refresh_professional_bookable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM refresh_professional_bookable(OLD.user_id);
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.user_id IS DISTINCT FROM OLD.user_id) THEN
    PERFORM refresh_professional_bookable(NEW.user_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER subscriptions_professional_bookable
  AFTER INSERT OR DELETE OR UPDATE OF user_id, plan_id, status ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION subscriptions_refresh_professional_bookable();

CREATE FUNCTION plans_refresh_professional_bookable() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM refresh_professional_bookable(s.user_id) FROM subscriptions s WHERE s.plan_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER plans_professional_bookable
  AFTER UPDATE OF code ON plans
  FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)
  EXECUTE FUNCTION plans_refresh_professional_bookable();

-- The services' statement triggers of 0015 now refresh the modalities with the search text.
CREATE OR REPLACE FUNCTION services_refresh_professional_search_text() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE professional_profiles p
       SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio),
           service_modalities = professional_service_modalities(p.id)
     WHERE p.id IN (SELECT professional_id FROM changed_new);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE professional_profiles p
       SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio),
           service_modalities = professional_service_modalities(p.id)
     WHERE p.id IN (SELECT professional_id FROM changed_old);
  ELSE
    UPDATE professional_profiles p
       SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio),
           service_modalities = professional_service_modalities(p.id)
     WHERE p.id IN (SELECT professional_id FROM changed_new
                    UNION SELECT professional_id FROM changed_old);
  END IF;
  RETURN NULL;
END
$$;

-- The backfill is not an edit of the profiles: updated_at stays.
ALTER TABLE professional_profiles DISABLE TRIGGER professional_profiles_updated_at;
UPDATE professional_profiles p
   SET bookable = professional_is_bookable(p.user_id, p.verified),
       service_modalities = professional_service_modalities(p.id);
ALTER TABLE professional_profiles ENABLE TRIGGER professional_profiles_updated_at;

-- Search indexes over bookable professionals. The btree carries every filter and sort column
-- (rating first: the default sort); the GiST one answers radius searches.
CREATE INDEX professional_profiles_directory_idx
  ON professional_profiles (rating_average DESC, total_reviews DESC, id)
  INCLUDE (consultation_fee_cents, experience_years, specialty_id, city_key, service_modalities,
           latitude, longitude)
  WHERE bookable;
CREATE INDEX professional_profiles_directory_earth_idx
  ON professional_profiles USING gist (earth_location)
  INCLUDE (id, rating_average, total_reviews, consultation_fee_cents, experience_years,
           specialty_id, city_key, service_modalities)
  WHERE bookable;

-- Replaced by the two above.
DROP INDEX professional_profiles_rating_idx;
DROP INDEX professional_profiles_experience_idx;
DROP INDEX professional_profiles_featured_idx;
DROP INDEX professional_profiles_earth_idx;
DROP INDEX professional_profiles_search_trgm_idx;

-- The vocabulary: every word (3+ characters) that has appeared in a search document. A query
-- word that full text does not know is replaced by its nearest vocabulary words (trigram
-- distance over short words: an index lookup, where trigram matching over whole documents
-- rechecks thousands of long texts). Words are only added; one that no document holds any
-- more just finds nothing.
CREATE TABLE search_words (
  word text PRIMARY KEY
);
CREATE INDEX search_words_trgm_idx ON search_words USING gist (word gist_trgm_ops);

COMMENT ON TABLE search_words IS
  'Words of professional_profiles.search_text, for "did you mean" correction of search text.';

CREATE FUNCTION professional_profiles_collect_search_words() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- Sorted, so concurrent writers take the words' index entries in the same order.
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM changed_new c,
         regexp_split_to_table(c.search_text, '[^a-z0-9]+') AS w
   WHERE length(w) >= 3
   ORDER BY w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER professional_profiles_search_words_insert AFTER INSERT ON professional_profiles
  REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION professional_profiles_collect_search_words();
CREATE TRIGGER professional_profiles_search_words_update AFTER UPDATE ON professional_profiles
  REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION professional_profiles_collect_search_words();

INSERT INTO search_words (word)
SELECT DISTINCT w FROM professional_profiles p,
       regexp_split_to_table(p.search_text, '[^a-z0-9]+') AS w
 WHERE length(w) >= 3
ON CONFLICT DO NOTHING;
