-- The sign-up counters on activities (migration 0020), kept by a trigger in the
-- sign-up's own transaction, like team_member_counts (0017). It runs as whoever
-- changes the sign-up: row-level security already requires the organization set
-- to the row's, so its activity is visible. Sign-ups, cancellations and
-- check-ins lock the activity's row before the sign-up's, so the counters'
-- update adds no waiting there and no lock taken in another order.
CREATE FUNCTION activity_counts_add(org uuid, activity uuid, confirmed integer, waitlisted integer, checked_in integer)
  RETURNS void
  LANGUAGE sql
  AS $$
  UPDATE activities
  SET confirmed_count = confirmed_count + confirmed,
      waitlist_count = waitlist_count + waitlisted,
      checked_in_count = checked_in_count + checked_in
  WHERE org_id = org AND id = activity;
$$;
--> statement-breakpoint
CREATE FUNCTION sign_ups_count() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  old_confirmed integer := 0;
  old_waitlisted integer := 0;
  old_checked_in integer := 0;
  new_confirmed integer := 0;
  new_waitlisted integer := 0;
  new_checked_in integer := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_confirmed := (OLD.status = 'CONFIRMED')::integer;
    old_waitlisted := (OLD.status = 'WAITLISTED')::integer;
    old_checked_in := (OLD.status = 'CONFIRMED' AND OLD.checked_in_at IS NOT NULL AND OLD.checked_out_at IS NULL)::integer;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_confirmed := (NEW.status = 'CONFIRMED')::integer;
    new_waitlisted := (NEW.status = 'WAITLISTED')::integer;
    new_checked_in := (NEW.status = 'CONFIRMED' AND NEW.checked_in_at IS NOT NULL AND NEW.checked_out_at IS NULL)::integer;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.org_id = NEW.org_id AND OLD.activity_id = NEW.activity_id THEN
    -- Most updates (arrival, notes, a check-in's place) change no counter: no write.
    IF (old_confirmed, old_waitlisted, old_checked_in) <> (new_confirmed, new_waitlisted, new_checked_in) THEN
      PERFORM activity_counts_add(NEW.org_id, NEW.activity_id, new_confirmed - old_confirmed,
        new_waitlisted - old_waitlisted, new_checked_in - old_checked_in);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') AND old_confirmed + old_waitlisted + old_checked_in > 0 THEN
    PERFORM activity_counts_add(OLD.org_id, OLD.activity_id, -old_confirmed, -old_waitlisted, -old_checked_in);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND new_confirmed + new_waitlisted + new_checked_in > 0 THEN
    PERFORM activity_counts_add(NEW.org_id, NEW.activity_id, new_confirmed, new_waitlisted, new_checked_in);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER sign_ups_count AFTER INSERT OR UPDATE OR DELETE ON "sign_ups"
  FOR EACH ROW EXECUTE FUNCTION sign_ups_count();
--> statement-breakpoint
-- What exists already.
UPDATE activities a
SET confirmed_count = c.confirmed, waitlist_count = c.waitlisted, checked_in_count = c.checked_in
FROM (
  SELECT org_id, activity_id,
    count(*) FILTER (WHERE status = 'CONFIRMED')::integer AS confirmed,
    count(*) FILTER (WHERE status = 'WAITLISTED')::integer AS waitlisted,
    count(*) FILTER (WHERE status = 'CONFIRMED' AND checked_in_at IS NOT NULL AND checked_out_at IS NULL)::integer AS checked_in
  FROM sign_ups
  GROUP BY org_id, activity_id
) c
WHERE a.org_id = c.org_id AND a.id = c.activity_id;
