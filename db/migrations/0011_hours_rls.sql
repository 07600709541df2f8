-- Service hours: what drizzle cannot say about the tables of 0010.

-- Row-level security applies to the tables' owner too (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "service_records" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "service_record_corrections" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "service_hours_member_year" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "service_hours_member_month" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "service_hours_member_total" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "service_hours_team_month" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "service_hours_org_month" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Service records are the legal record (志愿服务记录): declined, corrected, never deleted; a
-- correction is their history. Rollups are only ever adjusted by a delta, never emptied.
REVOKE DELETE, TRUNCATE ON "service_records", "service_record_corrections" FROM qicai_app;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON "service_hours_member_year", "service_hours_member_month", "service_hours_member_total",
  "service_hours_team_month", "service_hours_org_month" FROM qicai_app;
