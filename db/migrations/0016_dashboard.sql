CREATE TABLE "display_tokens" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	CONSTRAINT "display_tokens_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "display_tokens_org_hash_unique" UNIQUE("org_id","token_hash"),
	CONSTRAINT "display_tokens_name_length" CHECK (char_length("display_tokens"."name") between 1 and 60),
	CONSTRAINT "display_tokens_hash_format" CHECK ("display_tokens"."token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "display_tokens_revoked" CHECK (("display_tokens"."revoked_at" is null) = ("display_tokens"."revoked_by" is null))
);
--> statement-breakpoint
ALTER TABLE "display_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "team_member_counts" (
	"org_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"active_members" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "team_member_counts_org_id_team_id_pk" PRIMARY KEY("org_id","team_id"),
	CONSTRAINT "team_member_counts_not_negative" CHECK ("team_member_counts"."active_members" >= 0)
);
--> statement-breakpoint
ALTER TABLE "team_member_counts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "display_tokens" ADD CONSTRAINT "display_tokens_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "display_tokens" ADD CONSTRAINT "display_tokens_org_id_created_by_members_org_id_id_fk" FOREIGN KEY ("org_id","created_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "display_tokens" ADD CONSTRAINT "display_tokens_org_id_revoked_by_members_org_id_id_fk" FOREIGN KEY ("org_id","revoked_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_member_counts" ADD CONSTRAINT "team_member_counts_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "display_tokens_org_created_idx" ON "display_tokens" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "activities_ends_idx" ON "activities" USING btree ("org_id","ends_at");--> statement-breakpoint
CREATE INDEX "sign_ups_checked_in_idx" ON "sign_ups" USING btree ("org_id","checked_in_at") WHERE "sign_ups"."checked_in_at" is not null;--> statement-breakpoint
CREATE INDEX "service_records_approved_idx" ON "service_records" USING btree ("org_id","decided_at") WHERE "service_records"."status" = 'APPROVED';--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "display_tokens" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "team_member_counts" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());