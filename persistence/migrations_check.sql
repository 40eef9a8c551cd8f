-- Behaviour checks of the schema. Run with psql against a fully migrated database:
--   psql -v ON_ERROR_STOP=1 -X -f persistence/migrations_check.sql "$DATABASE_URL"
-- Each DO block is one check and raises 'FAIL <check>: ...' when the schema misbehaves, so
-- psql exits non-zero. Everything runs in one transaction that ends with ROLLBACK, so the
-- database is left untouched. The file is plain SQL (no psql meta-commands).

BEGIN;

-- Fixtures: two professionals, one patient, one service each.
INSERT INTO users (id, role, status, email, first_name, last_name)
VALUES ('user_check_pro_a', 'professional', 'active', 'ana@example.test', 'Ana', 'García Núñez'),
       ('user_check_pro_b', 'professional', 'active', 'luis@example.test', 'Luis', 'Pérez'),
       ('user_check_patient', 'patient', 'active', 'pat@example.test', 'Pat', 'Ient');

INSERT INTO professional_profiles (id, user_id, specialty_id, city, latitude, longitude)
VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_pro_a',
        (SELECT id FROM specialties WHERE slug = 'traumatologia'), 'Málaga', 36.7213, -4.4214),
       ('00000000-0000-0000-0000-0000000000b1', 'user_check_pro_b',
        (SELECT id FROM specialties WHERE slug = 'pediatria'), 'Sevilla', 37.3891, -5.9845);

INSERT INTO services (id, professional_id, name, duration_minutes, price_cents)
VALUES ('00000000-0000-0000-0000-0000000000a2', '00000000-0000-0000-0000-0000000000a1',
        'Consulta', 30, 6000),
       ('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-0000000000b1',
        'Consulta', 30, 5000);

-- check: appointments_first_booking_is_accepted
INSERT INTO appointments (professional_id, patient_id, service_id, starts_at, ends_at, status)
VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
        '00000000-0000-0000-0000-0000000000a2',
        '2030-03-04 10:00+01', '2030-03-04 10:30+01', 'confirmed');

-- check: overlapping_occupying_appointment_is_rejected_with_23P01
DO $$
DECLARE
  st text;
BEGIN
  BEGIN
    INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
            '2030-03-04 10:15+01', '2030-03-04 10:45+01', 'pending');
    RAISE EXCEPTION 'FAIL overlap: overlapping pending appointment was accepted';
  EXCEPTION WHEN exclusion_violation THEN
    GET STACKED DIAGNOSTICS st = CONSTRAINT_NAME;
    IF st <> 'appointments_no_overlap' THEN
      RAISE EXCEPTION 'FAIL overlap: violated % instead of appointments_no_overlap', st;
    END IF;
  END;
END
$$;

-- check: every_occupying_status_blocks (in_progress too; the existing one is confirmed)
DO $$
BEGIN
  BEGIN
    INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
            '2030-03-04 09:50+01', '2030-03-04 10:05+01', 'in_progress');
    RAISE EXCEPTION 'FAIL occupying: overlapping in_progress appointment was accepted';
  EXCEPTION WHEN exclusion_violation THEN
    NULL;
  END;
END
$$;

-- check: cancelled_appointment_may_overlap
INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
        '2030-03-04 10:00+01', '2030-03-04 10:30+01', 'cancelled');

-- check: other_professional_may_overlap
INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
VALUES ('00000000-0000-0000-0000-0000000000b1', 'user_check_patient',
        '2030-03-04 10:00+01', '2030-03-04 10:30+01', 'confirmed');

-- check: touching_intervals_are_allowed ([10:00,10:30) then [10:30,11:00))
INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
        '2030-03-04 10:30+01', '2030-03-04 11:00+01', 'pending');

-- check: buffers_extend_the_occupied_range
DO $$
DECLARE
  b_start timestamptz;
  b_end timestamptz;
BEGIN
  INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status,
                            buffer_before_minutes, buffer_after_minutes)
  VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
          '2030-03-04 12:00+01', '2030-03-04 12:30+01', 'confirmed', 10, 15)
  RETURNING block_starts_at, block_ends_at INTO b_start, b_end;
  IF b_start <> '2030-03-04 11:50+01' OR b_end <> '2030-03-04 12:45+01' THEN
    RAISE EXCEPTION 'FAIL buffers: occupied range is [%, %)', b_start, b_end;
  END IF;
  BEGIN
    -- [11:30, 11:55) touches no appointment but overlaps the 10-minute buffer before 12:00.
    INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
            '2030-03-04 11:30+01', '2030-03-04 11:55+01', 'pending');
    RAISE EXCEPTION 'FAIL buffers: booking inside the buffer was accepted';
  EXCEPTION WHEN exclusion_violation THEN
    NULL;
  END;
END
$$;

-- check: reactivating_a_cancelled_overlap_is_rejected
DO $$
BEGIN
  BEGIN
    UPDATE appointments SET status = 'pending'
     WHERE professional_id = '00000000-0000-0000-0000-0000000000a1' AND status = 'cancelled';
    RAISE EXCEPTION 'FAIL reactivate: cancelled overlap became occupying';
  EXCEPTION WHEN exclusion_violation THEN
    NULL;
  END;
END
$$;

-- check: checks_reject_bad_values (status, modality, end before start, service duration)
DO $$
BEGIN
  BEGIN
    INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
            '2030-05-01 10:00+02', '2030-05-01 10:30+02', 'booked');
    RAISE EXCEPTION 'FAIL check: status booked was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, modality)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
            '2030-05-01 10:00+02', '2030-05-01 10:30+02', 'phone');
    RAISE EXCEPTION 'FAIL check: modality phone was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
            '2030-05-01 10:30+02', '2030-05-01 10:30+02');
    RAISE EXCEPTION 'FAIL check: empty appointment was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  BEGIN
    UPDATE users SET status = 'banned' WHERE id = 'user_check_patient';
    RAISE EXCEPTION 'FAIL check: user status banned was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO services (professional_id, name, duration_minutes)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'Too long', 481);
    RAISE EXCEPTION 'FAIL check: 481-minute service was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO services (professional_id, name, duration_minutes, modalities)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'Phone', 30, '{in_person,phone}');
    RAISE EXCEPTION 'FAIL check: modality phone in a service was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;

-- check: service_of_another_professional_is_rejected
DO $$
BEGIN
  BEGIN
    INSERT INTO appointments (professional_id, patient_id, service_id, starts_at, ends_at)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 'user_check_patient',
            '00000000-0000-0000-0000-0000000000b2',
            '2030-06-01 10:00+02', '2030-06-01 10:30+02');
    RAISE EXCEPTION 'FAIL service: another professional''s service was accepted';
  EXCEPTION WHEN foreign_key_violation THEN
    NULL;
  END;
END
$$;

-- check: idempotency_key_is_unique_per_patient
DO $$
BEGIN
  INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, idempotency_key)
  VALUES ('00000000-0000-0000-0000-0000000000b1', 'user_check_patient',
          '2030-07-01 10:00+02', '2030-07-01 10:30+02', 'key-1');
  BEGIN
    INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, idempotency_key)
    VALUES ('00000000-0000-0000-0000-0000000000b1', 'user_check_patient',
            '2030-07-02 10:00+02', '2030-07-02 10:30+02', 'key-1');
    RAISE EXCEPTION 'FAIL idempotency: duplicate key accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
END
$$;

-- check: overlapping_schedule_rules_are_rejected
DO $$
BEGIN
  INSERT INTO schedules (professional_id, day_of_week, start_time, end_time)
  VALUES ('00000000-0000-0000-0000-0000000000a1', 1, '09:00', '14:00'),
         ('00000000-0000-0000-0000-0000000000a1', 1, '16:00', '20:00'),
         ('00000000-0000-0000-0000-0000000000a1', 2, '09:00', '14:00');
  BEGIN
    INSERT INTO schedules (professional_id, day_of_week, start_time, end_time)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 1, '13:00', '17:00');
    RAISE EXCEPTION 'FAIL schedules: overlapping weekly range was accepted';
  EXCEPTION WHEN exclusion_violation THEN
    NULL;
  END;
  BEGIN
    INSERT INTO schedules (professional_id, day_of_week, start_time, end_time)
    VALUES ('00000000-0000-0000-0000-0000000000a1', 7, '09:00', '10:00');
    RAISE EXCEPTION 'FAIL schedules: day_of_week 7 was accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;

-- check: one_open_validation_request_per_professional
DO $$
BEGIN
  INSERT INTO validation_requests (professional_id, college_number, dni)
  VALUES ('00000000-0000-0000-0000-0000000000a1', '282812345', '12345678Z');
  BEGIN
    INSERT INTO validation_requests (professional_id, college_number, dni)
    VALUES ('00000000-0000-0000-0000-0000000000a1', '282812345', '12345678Z');
    RAISE EXCEPTION 'FAIL validation: second open request accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
  UPDATE validation_requests SET status = 'rejected', reviewed_at = now(),
                                 notes = 'Documento ilegible'
   WHERE professional_id = '00000000-0000-0000-0000-0000000000a1';
  INSERT INTO validation_requests (professional_id, college_number, dni)
  VALUES ('00000000-0000-0000-0000-0000000000a1', '282812345', '12345678Z');
END
$$;

-- check: reviews_keep_the_profile_rating_current
DO $$
DECLARE
  appt uuid;
  p professional_profiles%ROWTYPE;
BEGIN
  INSERT INTO appointments (professional_id, patient_id, starts_at, ends_at, status)
  VALUES ('00000000-0000-0000-0000-0000000000b1', 'user_check_patient',
          '2029-01-10 10:00+01', '2029-01-10 10:30+01', 'completed')
  RETURNING id INTO appt;
  INSERT INTO reviews (appointment_id, patient_id, professional_id, rating, comment,
                       moderation_status)
  VALUES (appt, 'user_check_patient', '00000000-0000-0000-0000-0000000000b1', 4,
          'Muy buena atención, gracias', 'approved');
  SELECT * INTO p FROM professional_profiles WHERE id = '00000000-0000-0000-0000-0000000000b1';
  IF p.total_reviews <> 1 OR p.rating_average <> 4 OR p.rating_count_4 <> 1 THEN
    RAISE EXCEPTION 'FAIL rating: total %, average %, fours %',
      p.total_reviews, p.rating_average, p.rating_count_4;
  END IF;
  BEGIN
    INSERT INTO reviews (appointment_id, patient_id, professional_id, rating, comment)
    VALUES (appt, 'user_check_patient', '00000000-0000-0000-0000-0000000000b1', 5,
            'Una segunda reseña');
    RAISE EXCEPTION 'FAIL reviews: second review of one appointment accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
  BEGIN
    UPDATE reviews SET rating = 6 WHERE appointment_id = appt;
    RAISE EXCEPTION 'FAIL reviews: rating 6 accepted';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
  UPDATE reviews SET moderation_status = 'flagged' WHERE appointment_id = appt;
  SELECT * INTO p FROM professional_profiles WHERE id = '00000000-0000-0000-0000-0000000000b1';
  IF p.total_reviews <> 0 OR p.rating_average <> 0 THEN
    RAISE EXCEPTION 'FAIL rating: flagged review still counted';
  END IF;
END
$$;

-- check: invoice_numbers_are_unique_per_year
DO $$
BEGIN
  INSERT INTO invoices (year, number, user_id, issuer_name, issuer_tax_id, customer_name,
                        base_cents, vat_rate_bp, vat_cents, total_cents)
  VALUES (2030, 1, 'user_check_pro_a', 'Mundoctor S.L.', 'B00000000', 'Ana', 2062, 2100, 433,
          2495);
  BEGIN
    INSERT INTO invoices (year, number, user_id, issuer_name, issuer_tax_id, customer_name,
                          base_cents, vat_rate_bp, vat_cents, total_cents)
    VALUES (2030, 1, 'user_check_pro_a', 'Mundoctor S.L.', 'B00000000', 'Ana', 2062, 2100, 433,
            2495);
    RAISE EXCEPTION 'FAIL invoices: duplicate number in one year accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
  BEGIN
    UPDATE invoices SET total_cents = 1, base_cents = 1, vat_cents = 0 WHERE year = 2030;
    RAISE EXCEPTION 'FAIL invoices: issued invoice was modified';
  EXCEPTION WHEN check_violation THEN
    NULL;
  END;
END
$$;

-- check: notification_delivered_once_per_channel
DO $$
DECLARE
  n uuid;
BEGIN
  INSERT INTO notifications (user_id, event_type, title)
  VALUES ('user_check_patient', 'appointment.booked', 'Cita reservada')
  RETURNING id INTO n;
  INSERT INTO notification_deliveries (notification_id, channel) VALUES (n, 'email');
  BEGIN
    INSERT INTO notification_deliveries (notification_id, channel) VALUES (n, 'email');
    RAISE EXCEPTION 'FAIL deliveries: second email delivery accepted';
  EXCEPTION WHEN unique_violation THEN
    NULL;
  END;
END
$$;

-- check: seeds_are_present
DO $$
DECLARE
  n integer;
BEGIN
  SELECT count(*) INTO n FROM specialties
   WHERE (slug, name) IN (('pediatria', 'Pediatría'), ('traumatologia', 'Traumatología'),
                          ('nutricion-y-dietetica', 'Nutrición y Dietética'),
                          ('otorrinolaringologia', 'Otorrinolaringología'),
                          ('enfermeria', 'Enfermería'), ('medicina-general', 'Medicina General'));
  IF n <> 6 THEN
    RAISE EXCEPTION 'FAIL seeds: % of 6 sample specialties found', n;
  END IF;
  SELECT count(*) INTO n FROM specialties;
  IF n < 25 THEN
    RAISE EXCEPTION 'FAIL seeds: only % specialties', n;
  END IF;
  IF (SELECT id FROM specialties WHERE slug = 'pediatria')
     <> md5('mundoctor.specialty:pediatria')::uuid THEN
    RAISE EXCEPTION 'FAIL seeds: specialty ids are not the deterministic ones';
  END IF;
  SELECT count(*) INTO n FROM plans
   WHERE (code, price_month_cents, price_year_cents, currency, vat_included) IN
         (('free', 0, 0, 'EUR', true), ('basic', 2495, 24950, 'EUR', true),
          ('professional', 3995, 39950, 'EUR', true));
  IF n <> 3 THEN
    RAISE EXCEPTION 'FAIL seeds: % of 3 plans match', n;
  END IF;
END
$$;

-- check: accent_insensitive_search
DO $$
DECLARE
  n integer;
BEGIN
  IF NOT (f_unaccent(lower('Traumatología')) % f_unaccent(lower('traumatologa'))) THEN
    RAISE EXCEPTION 'FAIL search: trigram similarity of Traumatología/traumatologa is false';
  END IF;
  IF f_unaccent(lower('NUTRICIÓN y Dietética')) <> 'nutricion y dietetica' THEN
    RAISE EXCEPTION 'FAIL search: f_unaccent(lower()) gave %', f_unaccent(lower('NUTRICIÓN'));
  END IF;
  SELECT count(*) INTO n FROM professional_profiles
   WHERE search_text LIKE '%' || f_unaccent(lower('traumatologia')) || '%';
  IF n <> 1 THEN
    RAISE EXCEPTION 'FAIL search: traumatologia found % professionals', n;
  END IF;
  SELECT count(*) INTO n FROM professional_profiles
   WHERE f_unaccent(lower('garcia nunez')) <% search_text;
  IF n <> 1 THEN
    RAISE EXCEPTION 'FAIL search: name search found % professionals', n;
  END IF;
  UPDATE users SET last_name = 'Ortega' WHERE id = 'user_check_pro_a';
  SELECT count(*) INTO n FROM professional_profiles
   WHERE search_text LIKE '%ortega%' AND user_id = 'user_check_pro_a';
  IF n <> 1 THEN
    RAISE EXCEPTION 'FAIL search: renamed professional not found by the new name';
  END IF;
END
$$;

-- check: radius_search (Málaga to Sevilla is about 160 km)
DO $$
DECLARE
  n integer;
BEGIN
  SELECT count(*) INTO n FROM professional_profiles
   WHERE latitude IS NOT NULL
     AND earth_box(ll_to_earth(36.72, -4.42), 50000) @> ll_to_earth(latitude, longitude)
     AND earth_distance(ll_to_earth(36.72, -4.42), ll_to_earth(latitude, longitude)) <= 50000;
  IF n <> 1 THEN
    RAISE EXCEPTION 'FAIL radius: % professionals within 50 km of Málaga', n;
  END IF;
END
$$;

-- check: bookable_follows_the_rule (0018 triggers: profile, user status, subscriptions, plans)
DO $$
DECLARE
  b boolean;
  free_plan uuid := (SELECT id FROM plans WHERE code = 'free');
  basic_plan uuid := (SELECT id FROM plans WHERE code = 'basic');
BEGIN
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF b THEN RAISE EXCEPTION 'FAIL bookable: an unverified professional is bookable'; END IF;
  UPDATE professional_profiles SET verified = true WHERE user_id = 'user_check_pro_a';
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF NOT b THEN RAISE EXCEPTION 'FAIL bookable: verified and active, not bookable'; END IF;
  UPDATE users SET status = 'suspended' WHERE id = 'user_check_pro_a';
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF b THEN RAISE EXCEPTION 'FAIL bookable: a suspended professional is bookable'; END IF;
  UPDATE users SET status = 'active' WHERE id = 'user_check_pro_a';
  INSERT INTO subscriptions (user_id, plan_id, status)
  VALUES ('user_check_pro_a', basic_plan, 'incomplete');
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF b THEN RAISE EXCEPTION 'FAIL bookable: an incomplete paid subscription is bookable'; END IF;
  UPDATE subscriptions SET status = 'active' WHERE user_id = 'user_check_pro_a';
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF NOT b THEN RAISE EXCEPTION 'FAIL bookable: an active subscription is not bookable'; END IF;
  UPDATE subscriptions SET status = 'incomplete', plan_id = free_plan
   WHERE user_id = 'user_check_pro_a';
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF NOT b THEN RAISE EXCEPTION 'FAIL bookable: a live free plan is not bookable'; END IF;
  UPDATE plans SET code = 'free_renamed' WHERE id = free_plan;
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF b THEN RAISE EXCEPTION 'FAIL bookable: plan code change not followed'; END IF;
  UPDATE plans SET code = 'free' WHERE id = free_plan;
  DELETE FROM subscriptions WHERE user_id = 'user_check_pro_a';
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF NOT b THEN RAISE EXCEPTION 'FAIL bookable: no subscription (free plan) is not bookable'; END IF;
  UPDATE professional_profiles SET bookable = false WHERE user_id = 'user_check_pro_a';
  SELECT bookable INTO b FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF NOT b THEN RAISE EXCEPTION 'FAIL bookable: a direct write overrode the rule'; END IF;
END
$$;

-- check: earth_location_without_search_path (pg_restore computes generated columns with an
-- empty search_path)
DO $$
DECLARE
  saved text := current_setting('search_path');
  location cube;
BEGIN
  PERFORM set_config('search_path', '', true);
  location := public.profile_earth_location(40.4168, -3.7038);
  PERFORM set_config('search_path', saved, true);
  IF location IS NULL THEN
    RAISE EXCEPTION 'FAIL earth_location: no location without a search path';
  END IF;
END
$$;

-- check: directory_columns (service modalities, city key, location, vocabulary)
DO $$
DECLARE
  m text[];
BEGIN
  UPDATE services SET modalities = '{virtual,in_person}'
   WHERE id = '00000000-0000-0000-0000-0000000000a2';
  SELECT service_modalities INTO m FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF m <> '{in_person,virtual}' THEN
    RAISE EXCEPTION 'FAIL directory: service_modalities %', m;
  END IF;
  UPDATE services SET is_active = false WHERE id = '00000000-0000-0000-0000-0000000000a2';
  SELECT service_modalities INTO m FROM professional_profiles WHERE user_id = 'user_check_pro_a';
  IF m <> '{}' THEN
    RAISE EXCEPTION 'FAIL directory: an inactive service keeps modalities %', m;
  END IF;
  UPDATE services SET is_active = true WHERE id = '00000000-0000-0000-0000-0000000000a2';
  IF (SELECT city_key FROM professional_profiles WHERE user_id = 'user_check_pro_a') <> 'malaga' THEN
    RAISE EXCEPTION 'FAIL directory: city_key is not unaccented lower case';
  END IF;
  IF (SELECT earth_location IS NULL FROM professional_profiles
       WHERE user_id = 'user_check_pro_a') THEN
    RAISE EXCEPTION 'FAIL directory: no earth_location with coordinates';
  END IF;
  UPDATE professional_profiles SET bio = 'Especialista en ecografias' WHERE user_id = 'user_check_pro_a';
  IF NOT EXISTS (SELECT 1 FROM search_words WHERE word = 'ecografias') THEN
    RAISE EXCEPTION 'FAIL directory: a new bio word is not in search_words';
  END IF;
END
$$;

SELECT 'migrations_check: all checks passed' AS result;

ROLLBACK;
