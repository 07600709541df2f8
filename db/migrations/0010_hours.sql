CREATE TYPE "public"."service_correction_status" AS ENUM('PENDING', 'ACCEPTED', 'REFUSED');--> statement-breakpoint
CREATE TYPE "public"."service_record_source" AS ENUM('CHECK_IN', 'SELF_REPORTED', 'LEAD_ENTERED');--> statement-breakpoint
CREATE TYPE "public"."service_record_status" AS ENUM('PENDING', 'APPROVED', 'DECLINED');--> statement-breakpoint
CREATE TABLE "service_hours_member_month" (
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"month" smallint NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "service_hours_member_month_org_id_member_id_year_month_pk" PRIMARY KEY("org_id","member_id","year","month"),
	CONSTRAINT "service_hours_member_month_month" CHECK ("service_hours_member_month"."month" between 1 and 12)
);
--> statement-breakpoint
ALTER TABLE "service_hours_member_month" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_hours_member_total" (
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "service_hours_member_total_org_id_member_id_pk" PRIMARY KEY("org_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "service_hours_member_total" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_hours_member_year" (
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "service_hours_member_year_org_id_member_id_year_pk" PRIMARY KEY("org_id","member_id","year")
);
--> statement-breakpoint
ALTER TABLE "service_hours_member_year" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_hours_org_month" (
	"org_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"month" smallint NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "service_hours_org_month_org_id_year_month_pk" PRIMARY KEY("org_id","year","month"),
	CONSTRAINT "service_hours_org_month_month" CHECK ("service_hours_org_month"."month" between 1 and 12)
);
--> statement-breakpoint
ALTER TABLE "service_hours_org_month" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_hours_team_month" (
	"org_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"month" smallint NOT NULL,
	"minutes" bigint DEFAULT 0 NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "service_hours_team_month_org_id_team_id_year_month_pk" PRIMARY KEY("org_id","team_id","year","month"),
	CONSTRAINT "service_hours_team_month_month" CHECK ("service_hours_team_month"."month" between 1 and 12)
);
--> statement-breakpoint
ALTER TABLE "service_hours_team_month" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_record_corrections" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"record_id" uuid NOT NULL,
	"requested_by_member_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"proposed" jsonb NOT NULL,
	"previous" jsonb,
	"status" "service_correction_status" DEFAULT 'PENDING' NOT NULL,
	"refusal_reason" text,
	"decided_by_member_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_record_corrections_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "service_record_corrections_reason_length" CHECK (char_length("service_record_corrections"."reason") between 1 and 500),
	CONSTRAINT "service_record_corrections_refusal_length" CHECK (char_length("service_record_corrections"."refusal_reason") <= 500),
	CONSTRAINT "service_record_corrections_decided" CHECK (("service_record_corrections"."status" = 'PENDING') = ("service_record_corrections"."decided_at" is null) and ("service_record_corrections"."status" = 'ACCEPTED') = ("service_record_corrections"."previous" is not null))
);
--> statement-breakpoint
ALTER TABLE "service_record_corrections" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_records" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"activity_id" uuid,
	"team_id" uuid,
	"activity_name" text NOT NULL,
	"service_date" date NOT NULL,
	"place" text NOT NULL,
	"content" text NOT NULL,
	"minutes" integer NOT NULL,
	"organizing_unit" text NOT NULL,
	"activity_lead" text NOT NULL,
	"source" "service_record_source" NOT NULL,
	"status" "service_record_status" DEFAULT 'PENDING' NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"late" boolean DEFAULT false NOT NULL,
	"check_out_missing" boolean DEFAULT false NOT NULL,
	"entered_by_member_id" uuid,
	"decline_reason" text,
	"decided_by_member_id" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_records_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "service_records_minutes" CHECK ("service_records"."minutes" between 1 and 1440),
	CONSTRAINT "service_records_ends_after_start" CHECK ("service_records"."ends_at" > "service_records"."starts_at"),
	CONSTRAINT "service_records_minutes_within_span" CHECK ("service_records"."minutes" <= ceil(extract(epoch from ("service_records"."ends_at" - "service_records"."starts_at")) / 60)),
	CONSTRAINT "service_records_activity_name_length" CHECK (char_length("service_records"."activity_name") between 1 and 120),
	CONSTRAINT "service_records_place_length" CHECK (char_length("service_records"."place") between 1 and 200),
	CONSTRAINT "service_records_content_length" CHECK (char_length("service_records"."content") between 1 and 2000),
	CONSTRAINT "service_records_organizing_unit_length" CHECK (char_length("service_records"."organizing_unit") between 1 and 120),
	CONSTRAINT "service_records_activity_lead_length" CHECK (char_length("service_records"."activity_lead") between 1 and 60),
	CONSTRAINT "service_records_decline_reason_length" CHECK (char_length("service_records"."decline_reason") <= 500),
	CONSTRAINT "service_records_decided" CHECK (("service_records"."status" = 'PENDING') = ("service_records"."decided_at" is null) and ("service_records"."status" = 'DECLINED') = ("service_records"."decline_reason" is not null))
);
--> statement-breakpoint
ALTER TABLE "service_records" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "service_hours_member_month" ADD CONSTRAINT "service_hours_member_month_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_member_month" ADD CONSTRAINT "service_hours_member_month_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_member_total" ADD CONSTRAINT "service_hours_member_total_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_member_total" ADD CONSTRAINT "service_hours_member_total_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_member_year" ADD CONSTRAINT "service_hours_member_year_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_member_year" ADD CONSTRAINT "service_hours_member_year_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_org_month" ADD CONSTRAINT "service_hours_org_month_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_team_month" ADD CONSTRAINT "service_hours_team_month_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_hours_team_month" ADD CONSTRAINT "service_hours_team_month_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record_corrections" ADD CONSTRAINT "service_record_corrections_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record_corrections" ADD CONSTRAINT "service_record_corrections_org_id_record_id_service_records_org_id_id_fk" FOREIGN KEY ("org_id","record_id") REFERENCES "public"."service_records"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record_corrections" ADD CONSTRAINT "service_record_corrections_org_id_requested_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","requested_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_record_corrections" ADD CONSTRAINT "service_record_corrections_org_id_decided_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","decided_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_org_id_activity_id_activities_org_id_id_fk" FOREIGN KEY ("org_id","activity_id") REFERENCES "public"."activities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_org_id_entered_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","entered_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_records" ADD CONSTRAINT "service_records_org_id_decided_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","decided_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_hours_member_month_board_idx" ON "service_hours_member_month" USING btree ("org_id","year","month","minutes" DESC NULLS FIRST,"member_id");--> statement-breakpoint
CREATE INDEX "service_hours_member_total_board_idx" ON "service_hours_member_total" USING btree ("org_id","minutes" DESC NULLS FIRST,"member_id");--> statement-breakpoint
CREATE INDEX "service_hours_member_year_board_idx" ON "service_hours_member_year" USING btree ("org_id","year","minutes" DESC NULLS FIRST,"member_id");--> statement-breakpoint
CREATE INDEX "service_hours_team_month_period_idx" ON "service_hours_team_month" USING btree ("org_id","year","month");--> statement-breakpoint
CREATE UNIQUE INDEX "service_record_corrections_one_pending" ON "service_record_corrections" USING btree ("org_id","record_id") WHERE "service_record_corrections"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "service_record_corrections_record_idx" ON "service_record_corrections" USING btree ("org_id","record_id","created_at");--> statement-breakpoint
CREATE INDEX "service_record_corrections_pending_idx" ON "service_record_corrections" USING btree ("org_id","created_at") WHERE "service_record_corrections"."status" = 'PENDING';--> statement-breakpoint
CREATE UNIQUE INDEX "service_records_one_per_activity" ON "service_records" USING btree ("org_id","activity_id","member_id") WHERE "service_records"."activity_id" is not null and "service_records"."status" <> 'DECLINED';--> statement-breakpoint
CREATE INDEX "service_records_member_time_idx" ON "service_records" USING btree ("org_id","member_id","starts_at");--> statement-breakpoint
CREATE INDEX "service_records_pending_idx" ON "service_records" USING btree ("org_id","team_id","created_at") WHERE "service_records"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "service_records_member_date_idx" ON "service_records" USING btree ("org_id","member_id","service_date");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_hours_member_month" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_hours_member_total" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_hours_member_year" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_hours_org_month" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_hours_team_month" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_record_corrections" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "service_records" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());