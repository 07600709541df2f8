-- Row-level security forced on the new tenant tables, as on every other.
ALTER TABLE "notification_opt_outs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "calendar_feeds" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The iCalendar SEQUENCE of an activity (RFC 5545 §3.8.7.4): one more with
-- every change a calendar shows, whichever path made it (an edit, a series
-- edit, a cancellation), so calendar apps replace the copy they hold.
CREATE FUNCTION activities_calendar_sequence() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF (NEW.title, NEW.description, NEW.place_name, NEW.starts_at, NEW.ends_at, NEW.status)
       IS DISTINCT FROM (OLD.title, OLD.description, OLD.place_name, OLD.starts_at, OLD.ends_at, OLD.status) THEN
      NEW.calendar_sequence := OLD.calendar_sequence + 1;
    END IF;
    RETURN NEW;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER activities_calendar_sequence BEFORE UPDATE ON activities
  FOR EACH ROW EXECUTE FUNCTION activities_calendar_sequence();
--> statement-breakpoint
-- The reminder two hours before start, found across organizations like the day-before one (0022).
CREATE FUNCTION organizations_with_due_soon_reminders(starting_after timestamptz, starting_by timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT DISTINCT org_id FROM activities
    WHERE status = 'PUBLISHED' AND soon_reminder_sent_at IS NULL AND starts_at > starting_after AND starts_at <= starting_by
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION organizations_with_due_soon_reminders(timestamptz, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION organizations_with_due_soon_reminders(timestamptz, timestamptz) TO qicai_app;
