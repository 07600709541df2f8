CREATE TYPE "public"."request_category" AS ENUM('HOME_HELP', 'HEALTH', 'ENVIRONMENT', 'LEGAL', 'CHILDREN', 'ELDERLY', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."request_status" AS ENUM('RECEIVED', 'ASSIGNED', 'IN_PROGRESS', 'RESOLVED', 'DECLINED');--> statement-breakpoint
CREATE TABLE "requests" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"tracking_code" text NOT NULL,
	"category" "request_category" NOT NULL,
	"place" text NOT NULL,
	"description" text NOT NULL,
	"contact_phone" text NOT NULL,
	"consent_to_contact" boolean NOT NULL,
	"status" "request_status" DEFAULT 'RECEIVED' NOT NULL,
	"team_id" uuid,
	"due_on" date,
	"decline_reason" text,
	"feedback" text,
	"activity_id" uuid,
	"submitted_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "requests_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "requests_org_tracking_code_unique" UNIQUE("org_id","tracking_code"),
	CONSTRAINT "requests_consent_given" CHECK ("requests"."consent_to_contact"),
	CONSTRAINT "requests_phone_format" CHECK ("requests"."contact_phone" ~ '^1[3-9][0-9]{9}$'),
	CONSTRAINT "requests_code_format" CHECK ("requests"."tracking_code" ~ '^[0-9A-Z]{10}$'),
	CONSTRAINT "requests_text_length" CHECK (char_length("requests"."place") between 1 and 200 and char_length("requests"."description") between 1 and 2000
        and char_length(coalesce("requests"."decline_reason", '')) <= 500 and char_length(coalesce("requests"."feedback", '')) <= 2000),
	CONSTRAINT "requests_assigned_has_team" CHECK ("requests"."status" in ('RECEIVED', 'DECLINED') or "requests"."team_id" is not null),
	CONSTRAINT "requests_declined_has_reason" CHECK ("requests"."status" <> 'DECLINED' or "requests"."decline_reason" is not null),
	CONSTRAINT "requests_resolved_has_feedback" CHECK ("requests"."status" <> 'RESOLVED' or "requests"."feedback" is not null)
);
--> statement-breakpoint
ALTER TABLE "requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "request_history" (
	"org_id" uuid NOT NULL,
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "request_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"request_id" uuid NOT NULL,
	"from_status" "request_status",
	"to_status" "request_status" NOT NULL,
	"actor_member_id" uuid,
	"note" text,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_history_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "request_history_note_length" CHECK (char_length(coalesce("request_history"."note", '')) <= 2000)
);
--> statement-breakpoint
ALTER TABLE "request_history" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "request_submission_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "request_submission_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_org_id_activity_id_activities_org_id_id_fk" FOREIGN KEY ("org_id","activity_id") REFERENCES "public"."activities"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_history" ADD CONSTRAINT "request_history_org_id_request_id_requests_org_id_id_fk" FOREIGN KEY ("org_id","request_id") REFERENCES "public"."requests"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "requests_org_status_idx" ON "requests" USING btree ("org_id","status","submitted_at");--> statement-breakpoint
CREATE INDEX "requests_org_team_idx" ON "requests" USING btree ("org_id","team_id","status");--> statement-breakpoint
CREATE INDEX "request_history_request_idx" ON "request_history" USING btree ("org_id","request_id","at");--> statement-breakpoint
CREATE INDEX "request_submission_attempts_key_at_idx" ON "request_submission_attempts" USING btree ("key","at");--> statement-breakpoint
CREATE POLICY "requests_submit" ON "requests" AS PERMISSIVE FOR INSERT TO "qicai_app" WITH CHECK (org_id = app_current_org() and status = 'RECEIVED');--> statement-breakpoint
CREATE POLICY "requests_members" ON "requests" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org() and exists (select 1 from members m where m.org_id = app_current_org()
  and m.account_id = app_current_account() and m.active)) WITH CHECK (org_id = app_current_org() and exists (select 1 from members m where m.org_id = app_current_org()
  and m.account_id = app_current_account() and m.active));--> statement-breakpoint
CREATE POLICY "request_history_submit" ON "request_history" AS PERMISSIVE FOR INSERT TO "qicai_app" WITH CHECK (org_id = app_current_org() and from_status is null and to_status = 'RECEIVED' and actor_member_id is null);--> statement-breakpoint
CREATE POLICY "request_history_members" ON "request_history" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org() and exists (select 1 from members m where m.org_id = app_current_org()
  and m.account_id = app_current_account() and m.active)) WITH CHECK (org_id = app_current_org() and exists (select 1 from members m where m.org_id = app_current_org()
  and m.account_id = app_current_account() and m.active));