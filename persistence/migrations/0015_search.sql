-- Public directory search: the search document also covers the professional's active
-- services, a Spanish full-text index over it, and the indexes the search filters use.
-- search_text stays f_unaccent(lower(...)), so both the full-text match and the trigram
-- (typo-tolerant) match are accent- and case-insensitive.

-- Same signature as in 0004 (the profile, user and specialty triggers keep calling it); the
-- document now ends with the names and categories of the active, non-deleted services.
CREATE OR REPLACE FUNCTION professional_search_text(p_user_id text, p_specialty_id uuid,
                                                    p_city text, p_bio text) RETURNS text
  LANGUAGE sql STABLE
  AS $$
SELECT f_unaccent(lower(concat_ws(' ',
         (SELECT u.full_name FROM users u WHERE u.id = p_user_id),
         (SELECT s.name FROM specialties s WHERE s.id = p_specialty_id),
         p_city, p_bio,
         (SELECT string_agg(concat_ws(' ', sv.name, sv.category), ' ' ORDER BY sv.name)
            FROM services sv JOIN professional_profiles pp ON pp.id = sv.professional_id
           WHERE pp.user_id = p_user_id AND sv.deleted_at IS NULL AND sv.is_active))))
$$;

-- Statement-level triggers with transition tables: a bulk insert of services refreshes each
-- affected profile once.
CREATE FUNCTION services_refresh_professional_search_text() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE professional_profiles p
       SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio)
     WHERE p.id IN (SELECT professional_id FROM changed_new);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE professional_profiles p
       SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio)
     WHERE p.id IN (SELECT professional_id FROM changed_old);
  ELSE
    UPDATE professional_profiles p
       SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio)
     WHERE p.id IN (SELECT professional_id FROM changed_new
                    UNION SELECT professional_id FROM changed_old);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER services_search_text_insert AFTER INSERT ON services
  REFERENCING NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION services_refresh_professional_search_text();
CREATE TRIGGER services_search_text_update AFTER UPDATE ON services
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
  FOR EACH STATEMENT EXECUTE FUNCTION services_refresh_professional_search_text();
CREATE TRIGGER services_search_text_delete AFTER DELETE ON services
  REFERENCING OLD TABLE AS changed_old
  FOR EACH STATEMENT EXECUTE FUNCTION services_refresh_professional_search_text();

UPDATE professional_profiles p
   SET search_text = professional_search_text(p.user_id, p.specialty_id, p.city, p.bio);

-- Spanish full text over the (unaccented) document, stored so ranking never re-parses it.
ALTER TABLE professional_profiles ADD COLUMN search_vector tsvector
  GENERATED ALWAYS AS (to_tsvector('spanish'::regconfig, search_text)) STORED;
CREATE INDEX professional_profiles_search_fts_idx ON professional_profiles
  USING gin (search_vector);

-- Sorting by experience and the featured list (rating >= 4.0 with >= 5 reviews).
CREATE INDEX professional_profiles_experience_idx
  ON professional_profiles (experience_years DESC NULLS LAST) WHERE verified;
CREATE INDEX professional_profiles_featured_idx
  ON professional_profiles (rating_average DESC, total_reviews DESC)
  WHERE verified AND rating_average >= 4.0 AND total_reviews >= 5;

-- The modality filter: does the professional offer an active service in that modality.
CREATE INDEX services_search_idx ON services (professional_id)
  INCLUDE (modalities, duration_minutes)
  WHERE deleted_at IS NULL AND is_active;

COMMENT ON COLUMN professional_profiles.search_text IS
  'f_unaccent(lower(name, specialty, city, bio, active services)), maintained by triggers; '
  'search with search_vector @@ plainto_tsquery(''spanish'', ...), or <% (word similarity) '
  'for typos.';
COMMENT ON COLUMN professional_profiles.search_vector IS
  'to_tsvector(''spanish'', search_text), generated; indexed by professional_profiles_search_fts_idx.';
