-- Display tokens of the big screen: row-level security applies to the owner too,
-- and a token is revoked, never deleted (who made and revoked it stays known).
ALTER TABLE "display_tokens" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON "display_tokens" FROM qicai_app;
