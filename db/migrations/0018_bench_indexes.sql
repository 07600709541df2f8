CREATE TABLE "member_search_grams" (
	"org_id" uuid NOT NULL,
	"gram" text NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "member_search_grams_org_id_gram_member_id_pk" PRIMARY KEY("org_id","gram","member_id")
);
--> statement-breakpoint
ALTER TABLE "member_search_grams" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "member_search_grams_member_idx" ON "member_search_grams" USING btree ("org_id","member_id");--> statement-breakpoint
CREATE INDEX "team_memberships_leads_idx" ON "team_memberships" USING btree ("org_id","team_id","member_id") WHERE "team_memberships"."is_lead";--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_duration_max" CHECK ("activities"."ends_at" - "activities"."starts_at" <= make_interval(mins => 11520));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "member_search_grams" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());