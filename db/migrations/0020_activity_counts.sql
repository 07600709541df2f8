DROP INDEX "activities_team_starts_idx";--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "confirmed_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "waitlist_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "checked_in_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "activities_team_starts_idx" ON "activities" USING btree ("org_id","team_id","starts_at","status");