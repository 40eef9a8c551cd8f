-- Patient reviews of completed appointments, and the rating aggregates on the profile.

CREATE TABLE reviews (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id    uuid NOT NULL,
  patient_id        text NOT NULL,
  professional_id   uuid NOT NULL,
  rating            smallint NOT NULL,
  comment           text,
  moderation_status text NOT NULL DEFAULT 'pending',
  flags             text[] NOT NULL DEFAULT '{}',
  moderation_reason text,
  moderated_by      text REFERENCES users (id) ON DELETE SET NULL,
  moderated_at      timestamptz,
  professional_reply text,
  replied_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  deleted_at        timestamptz,
  CONSTRAINT reviews_appointment_key UNIQUE (appointment_id),
  CONSTRAINT reviews_appointment_fk FOREIGN KEY (appointment_id, patient_id, professional_id)
    REFERENCES appointments (id, patient_id, professional_id) ON DELETE CASCADE,
  CONSTRAINT reviews_rating_check CHECK (rating BETWEEN 1 AND 5),
  CONSTRAINT reviews_comment_length CHECK (char_length(comment) BETWEEN 10 AND 1000),
  CONSTRAINT reviews_moderation_check
    CHECK (moderation_status IN ('pending', 'approved', 'flagged', 'rejected')),
  CONSTRAINT reviews_reply_length CHECK (char_length(professional_reply) BETWEEN 1 AND 1000)
);

COMMENT ON COLUMN reviews.moderation_status IS
  'pending until automatic moderation runs; flagged reviews stay hidden until an admin '
  'approves or rejects them. Only approved, non-deleted reviews are public and counted.';
COMMENT ON COLUMN reviews.flags IS 'Reasons found by moderation (matched word lists, links...).';

CREATE INDEX reviews_professional_idx ON reviews (professional_id, created_at DESC)
  WHERE moderation_status = 'approved' AND deleted_at IS NULL;
CREATE INDEX reviews_patient_idx ON reviews (patient_id, created_at DESC);
CREATE INDEX reviews_moderation_idx ON reviews (moderation_status, created_at)
  WHERE moderation_status IN ('pending', 'flagged');

CREATE TRIGGER reviews_updated_at BEFORE UPDATE ON reviews
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Recomputes (never increments) the aggregates, so repeated calls converge. The profile row is
-- locked first; the next statement then takes a fresh snapshot (READ COMMITTED), so two
-- concurrent reviews of one professional both end up counted.
CREATE FUNCTION refresh_professional_rating(p_professional_id uuid) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM 1 FROM professional_profiles WHERE id = p_professional_id FOR UPDATE;
  UPDATE professional_profiles p
     SET rating_average = coalesce(a.avg_rating, 0),
         total_reviews = a.n,
         rating_count_1 = a.n1, rating_count_2 = a.n2, rating_count_3 = a.n3,
         rating_count_4 = a.n4, rating_count_5 = a.n5
    FROM (SELECT round(avg(rating), 2) AS avg_rating, count(*)::integer AS n,
                 (count(*) FILTER (WHERE rating = 1))::integer AS n1,
                 (count(*) FILTER (WHERE rating = 2))::integer AS n2,
                 (count(*) FILTER (WHERE rating = 3))::integer AS n3,
                 (count(*) FILTER (WHERE rating = 4))::integer AS n4,
                 (count(*) FILTER (WHERE rating = 5))::integer AS n5
            FROM reviews
           WHERE professional_id = p_professional_id
             AND moderation_status = 'approved' AND deleted_at IS NULL) a
   WHERE p.id = p_professional_id;
END
$$;

CREATE FUNCTION reviews_refresh_rating() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM refresh_professional_rating(NEW.professional_id);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM refresh_professional_rating(OLD.professional_id);
  ELSE
    PERFORM refresh_professional_rating(OLD.professional_id);
    IF NEW.professional_id IS DISTINCT FROM OLD.professional_id THEN
      PERFORM refresh_professional_rating(NEW.professional_id);
    END IF;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER reviews_rating
  AFTER INSERT OR DELETE OR UPDATE OF rating, moderation_status, deleted_at, professional_id
  ON reviews
  FOR EACH ROW EXECUTE FUNCTION reviews_refresh_rating();
