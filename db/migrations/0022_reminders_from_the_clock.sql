-- "Now" comes from the application's clock (api/src/shared/clock.ts), never
-- from the database's: the reminder scheduler passes the instant it runs at,
-- as it already does for the window's end.
DROP FUNCTION organizations_with_due_reminders(timestamptz);
--> statement-breakpoint
CREATE FUNCTION organizations_with_due_reminders(starting_after timestamptz, starting_by timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT DISTINCT org_id FROM activities
    WHERE status = 'PUBLISHED' AND reminder_sent_at IS NULL AND starts_at > starting_after AND starts_at <= starting_by
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION organizations_with_due_reminders(timestamptz, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION organizations_with_due_reminders(timestamptz, timestamptz) TO qicai_app;
