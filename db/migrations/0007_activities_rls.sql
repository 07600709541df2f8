-- Activities and notifications: row-level security forced on every new
-- tenant table, what the application may not do, and the two functions the
-- background workers use to find organizations with due work.
ALTER TABLE "activity_series" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "activities" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sign_ups" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "check_in_code_uses" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "notification_deliveries" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- History stays: an activity is cancelled, a sign-up is cancelled, never deleted.
REVOKE DELETE, TRUNCATE ON "activity_series", "activities", "sign_ups", "notifications", "notification_deliveries" FROM qicai_app;
--> statement-breakpoint
-- A used QR code stays used.
REVOKE UPDATE, DELETE, TRUNCATE ON "check_in_code_uses" FROM qicai_app;
--> statement-breakpoint
-- The outbox worker and the reminder scheduler run outside any organization,
-- where row-level security shows them nothing. These functions tell them
-- which organizations have due work — ids only, nothing else — and the work
-- itself is then done in a transaction scoped to each organization. They run
-- as their owner (the role that migrates), who sees exactly the due rows
-- through the policies below and nothing more.
CREATE POLICY "due_deliveries" ON "notification_deliveries" AS PERMISSIVE FOR SELECT TO CURRENT_USER
  USING (sent_at IS NULL AND failed_at IS NULL);
--> statement-breakpoint
CREATE POLICY "due_reminders" ON "activities" AS PERMISSIVE FOR SELECT TO CURRENT_USER
  USING (status = 'PUBLISHED' AND reminder_sent_at IS NULL);
--> statement-breakpoint
CREATE FUNCTION organizations_with_due_deliveries(due_by timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT DISTINCT org_id FROM notification_deliveries
    WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= due_by
  $$;
--> statement-breakpoint
CREATE FUNCTION organizations_with_due_reminders(starting_by timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT DISTINCT org_id FROM activities
    WHERE status = 'PUBLISHED' AND reminder_sent_at IS NULL AND starts_at > now() AND starts_at <= starting_by
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION organizations_with_due_deliveries(timestamptz), organizations_with_due_reminders(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION organizations_with_due_deliveries(timestamptz), organizations_with_due_reminders(timestamptz) TO qicai_app;
