-- Service stations and spot checks (随机打卡): what drizzle cannot say about their tables.

-- Row-level security applies to the tables' owner too (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "stations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "station_members" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "station_visits" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "spot_checks" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A spot check is history (the person's answered, late and unanswered requests): never deleted by
-- the application; its position is erased in place when the retention period ends.
REVOKE DELETE, TRUNCATE ON "spot_checks" FROM qicai_app;
--> statement-breakpoint
-- The clock's work across organizations (api/src/modules/stations/clock-work.ts): which
-- organizations have pending spot checks past their time, or positions past retention. As the
-- owner, through the policy below, which shows it exactly those rows; it returns ids only.
CREATE POLICY "spot_checks_clock_work" ON "spot_checks" AS PERMISSIVE FOR SELECT TO CURRENT_USER
  USING ((status = 'PENDING') OR (latitude IS NOT NULL));
--> statement-breakpoint
CREATE FUNCTION organizations_with_spot_check_work(due_by timestamptz, answered_before timestamptz) RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT org_id FROM spot_checks WHERE status = 'PENDING' AND due_at <= due_by
    UNION
    SELECT org_id FROM spot_checks WHERE latitude IS NOT NULL AND answered_at < answered_before
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION organizations_with_spot_check_work(timestamptz, timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION organizations_with_spot_check_work(timestamptz, timestamptz) TO qicai_app;
