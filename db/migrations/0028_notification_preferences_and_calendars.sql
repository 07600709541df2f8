CREATE TYPE "public"."notification_channel" AS ENUM('IN_APP', 'SMS', 'EMAIL');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'ACTIVITY_STARTING_SOON';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'HOURS_APPROVED';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'HOURS_DECLINED';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'HOURS_CORRECTION_DECIDED';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'JOIN_REQUEST_DECIDED';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'REQUEST_ASSIGNED';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'SPONSORSHIP_PROPOSED';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'SPONSORSHIP_CONFIRMED';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'SPONSORSHIP_ENDED';--> statement-breakpoint
CREATE TABLE "calendar_feeds" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"team_id" uuid,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "calendar_feeds_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "calendar_feeds_org_hash_unique" UNIQUE("org_id","token_hash"),
	CONSTRAINT "calendar_feeds_hash_format" CHECK ("calendar_feeds"."token_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "calendar_feeds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notification_opt_outs" (
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"channel" "notification_channel" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notification_opt_outs_org_id_member_id_kind_channel_pk" PRIMARY KEY("org_id","member_id","kind","channel")
);
--> statement-breakpoint
ALTER TABLE "notification_opt_outs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
DROP INDEX "notifications_member_idx";--> statement-breakpoint
DROP INDEX "notifications_unread_idx";--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "soon_reminder_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "calendar_sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "in_app" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_opt_outs" ADD CONSTRAINT "notification_opt_outs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_opt_outs" ADD CONSTRAINT "notification_opt_outs_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_feeds_member_idx" ON "calendar_feeds" USING btree ("org_id","member_id");--> statement-breakpoint
CREATE INDEX "activities_soon_reminder_due_idx" ON "activities" USING btree ("starts_at") WHERE "activities"."status" = 'PUBLISHED' and "activities"."soon_reminder_sent_at" is null;--> statement-breakpoint
CREATE INDEX "notifications_member_idx" ON "notifications" USING btree ("org_id","member_id","created_at" DESC NULLS LAST,"id") WHERE "notifications"."in_app";--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("org_id","member_id") WHERE "notifications"."read_at" is null and "notifications"."in_app";--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "calendar_feeds" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notification_opt_outs" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());