-- FORCE: the policies apply to the tables' owner as well, so that nothing but
-- a superuser or a BYPASSRLS role sees across organizations. Every table with
-- an org_id column must be here (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "organizations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "members" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "teams" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "team_memberships" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Every organization keeps its seven teams.
REVOKE DELETE ON "teams" FROM qicai_app;
--> statement-breakpoint
-- The audit log is append-only.
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_log" FROM qicai_app;
--> statement-breakpoint
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
