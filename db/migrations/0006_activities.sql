CREATE TYPE "public"."activity_category" AS ENUM('LECTURE', 'ENVIRONMENT', 'FREE_CLINIC', 'BLOOD_DRIVE', 'DISASTER_RELIEF', 'HOME_VISIT', 'CARE_FOR_CHILDREN', 'PUBLIC_COURSE', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."activity_status" AS ENUM('DRAFT', 'PUBLISHED', 'CANCELLED', 'COMPLETED');--> statement-breakpoint
CREATE TYPE "public"."attendance" AS ENUM('ATTENDED', 'NO_SHOW');--> statement-breakpoint
CREATE TYPE "public"."check_in_method" AS ENUM('GPS', 'QR', 'MANUAL');--> statement-breakpoint
CREATE TYPE "public"."sign_up_status" AS ENUM('CONFIRMED', 'WAITLISTED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "public"."delivery_channel" AS ENUM('SMS', 'EMAIL');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('ACTIVITY_CANCELLED', 'ACTIVITY_MOVED', 'WAITLIST_PROMOTED', 'ACTIVITY_REMINDER');--> statement-breakpoint
CREATE SEQUENCE "public"."sign_up_arrival" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "activities" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"series_id" uuid,
	"occurrence_key" text,
	"detached" boolean DEFAULT false NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" "activity_category" NOT NULL,
	"place_name" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"capacity" integer NOT NULL,
	"required_skills" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"status" "activity_status" DEFAULT 'DRAFT' NOT NULL,
	"beneficiaries" integer,
	"cancelled_at" timestamp with time zone,
	"reminder_sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "activities_series_occurrence_unique" UNIQUE("org_id","series_id","occurrence_key"),
	CONSTRAINT "activities_title_length" CHECK (char_length("activities"."title") between 1 and 120),
	CONSTRAINT "activities_description_length" CHECK (char_length("activities"."description") <= 5000),
	CONSTRAINT "activities_place_length" CHECK (char_length("activities"."place_name") between 1 and 200),
	CONSTRAINT "activities_ends_after_start" CHECK ("activities"."ends_at" > "activities"."starts_at"),
	CONSTRAINT "activities_capacity" CHECK ("activities"."capacity" between 1 and 10000),
	CONSTRAINT "activities_position" CHECK ("activities"."latitude" between -90 and 90 and "activities"."longitude" between -180 and 180),
	CONSTRAINT "activities_beneficiaries" CHECK ("activities"."beneficiaries" is null or "activities"."beneficiaries" >= 0),
	CONSTRAINT "activities_series_key" CHECK (("activities"."series_id" is null) = ("activities"."occurrence_key" is null))
);
--> statement-breakpoint
ALTER TABLE "activities" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "activity_series" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"team_id" uuid NOT NULL,
	"rrule" text NOT NULL,
	"starts_local" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"template" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_series_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "activity_series_duration" CHECK ("activity_series"."duration_minutes" between 1 and 10080)
);
--> statement-breakpoint
ALTER TABLE "activity_series" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "check_in_code_uses" (
	"org_id" uuid NOT NULL,
	"nonce" text NOT NULL,
	"member_id" uuid NOT NULL,
	"activity_id" uuid NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "check_in_code_uses_org_id_nonce_member_id_pk" PRIMARY KEY("org_id","nonce","member_id")
);
--> statement-breakpoint
ALTER TABLE "check_in_code_uses" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sign_ups" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"activity_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"status" "sign_up_status" NOT NULL,
	"arrival" bigint DEFAULT nextval('sign_up_arrival') NOT NULL,
	"signed_up_at" timestamp with time zone DEFAULT now() NOT NULL,
	"promoted_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"checked_in_at" timestamp with time zone,
	"check_in_method" "check_in_method",
	"check_in_latitude" double precision,
	"check_in_longitude" double precision,
	"check_in_accuracy_metres" double precision,
	"check_in_distance_metres" double precision,
	"checked_out_at" timestamp with time zone,
	"check_out_method" "check_in_method",
	"check_out_latitude" double precision,
	"check_out_longitude" double precision,
	"check_out_accuracy_metres" double precision,
	"check_out_distance_metres" double precision,
	"attendance" "attendance",
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sign_ups_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sign_ups_activity_member_unique" UNIQUE("org_id","activity_id","member_id"),
	CONSTRAINT "sign_ups_check_out_after_check_in" CHECK ("sign_ups"."checked_out_at" is null or "sign_ups"."checked_in_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "sign_ups" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"org_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "notification_deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"notification_id" uuid NOT NULL,
	"channel" "delivery_channel" NOT NULL,
	"recipient" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_deliveries_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "notification_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"activity_id" uuid,
	"detail" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notifications_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_org_id_series_id_activity_series_org_id_id_fk" FOREIGN KEY ("org_id","series_id") REFERENCES "public"."activity_series"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_series" ADD CONSTRAINT "activity_series_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_series" ADD CONSTRAINT "activity_series_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_code_uses" ADD CONSTRAINT "check_in_code_uses_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_code_uses" ADD CONSTRAINT "check_in_code_uses_org_id_activity_id_activities_org_id_id_fk" FOREIGN KEY ("org_id","activity_id") REFERENCES "public"."activities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_code_uses" ADD CONSTRAINT "check_in_code_uses_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_ups" ADD CONSTRAINT "sign_ups_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_ups" ADD CONSTRAINT "sign_ups_org_id_activity_id_activities_org_id_id_fk" FOREIGN KEY ("org_id","activity_id") REFERENCES "public"."activities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sign_ups" ADD CONSTRAINT "sign_ups_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_org_id_notification_id_notifications_org_id_id_fk" FOREIGN KEY ("org_id","notification_id") REFERENCES "public"."notifications"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_org_id_activity_id_activities_org_id_id_fk" FOREIGN KEY ("org_id","activity_id") REFERENCES "public"."activities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_starts_idx" ON "activities" USING btree ("org_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_team_starts_idx" ON "activities" USING btree ("org_id","team_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_reminder_due_idx" ON "activities" USING btree ("starts_at") WHERE "activities"."status" = 'PUBLISHED' and "activities"."reminder_sent_at" is null;--> statement-breakpoint
CREATE INDEX "sign_ups_activity_status_idx" ON "sign_ups" USING btree ("org_id","activity_id","status","arrival");--> statement-breakpoint
CREATE INDEX "sign_ups_member_idx" ON "sign_ups" USING btree ("org_id","member_id","status");--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("next_attempt_at") WHERE "notification_deliveries"."sent_at" is null and "notification_deliveries"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_member_idx" ON "notifications" USING btree ("org_id","member_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("org_id","member_id") WHERE "notifications"."read_at" is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activities" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_series" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "check_in_code_uses" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sign_ups" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notification_deliveries" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notifications" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());