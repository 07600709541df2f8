CREATE TYPE "public"."spot_check_status" AS ENUM('PENDING', 'ANSWERED', 'UNANSWERED');--> statement-breakpoint
CREATE TYPE "public"."station_service_category" AS ENUM('POLICY', 'ERRANDS', 'HEALTH', 'LEGAL', 'ELDERLY', 'CHILDREN', 'EMPLOYMENT', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."station_visit_outcome" AS ENUM('RESOLVED', 'REFERRED');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'SPOT_CHECK_REQUESTED';--> statement-breakpoint
CREATE TABLE "spot_checks" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"member_id" uuid NOT NULL,
	"station_id" uuid,
	"sent_by" uuid NOT NULL,
	"sent_at" timestamp (3) with time zone NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"status" "spot_check_status" DEFAULT 'PENDING' NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"latitude" double precision,
	"longitude" double precision,
	"accuracy_metres" double precision,
	"distance_metres" double precision,
	"at_station" boolean,
	"position_erased_at" timestamp with time zone,
	CONSTRAINT "spot_checks_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "spot_checks_due_after_sent" CHECK ("spot_checks"."due_at" > "spot_checks"."sent_at"),
	CONSTRAINT "spot_checks_answered" CHECK (("spot_checks"."status" = 'ANSWERED') = ("spot_checks"."answered_at" is not null)),
	CONSTRAINT "spot_checks_position" CHECK (("spot_checks"."latitude" is null) = ("spot_checks"."longitude" is null) and ("spot_checks"."latitude" is null or ("spot_checks"."latitude" between -90 and 90 and "spot_checks"."longitude" between -180 and 180)))
);
--> statement-breakpoint
ALTER TABLE "spot_checks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "station_members" (
	"org_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "station_members_org_id_station_id_member_id_pk" PRIMARY KEY("org_id","station_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "station_members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "station_visits" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"station_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"visitor_name" text NOT NULL,
	"purpose" text NOT NULL,
	"category" "station_service_category" NOT NULL,
	"minutes" integer NOT NULL,
	"outcome" "station_visit_outcome" NOT NULL,
	"visited_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "station_visits_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "station_visits_text_length" CHECK (char_length("station_visits"."visitor_name") between 1 and 60 and char_length("station_visits"."purpose") between 1 and 500),
	CONSTRAINT "station_visits_minutes" CHECK ("station_visits"."minutes" between 1 and 1440)
);
--> statement-breakpoint
ALTER TABLE "station_visits" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "stations" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"township" text NOT NULL,
	"village" text DEFAULT '' NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL,
	"radius_metres" integer DEFAULT 300 NOT NULL,
	"opens_at" text DEFAULT '08:30' NOT NULL,
	"closes_at" text DEFAULT '17:30' NOT NULL,
	"lead_member_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stations_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "stations_org_name_unique" UNIQUE("org_id","name"),
	CONSTRAINT "stations_text_length" CHECK (char_length("stations"."name") between 1 and 80 and char_length("stations"."township") between 1 and 40
        and char_length("stations"."village") <= 40 and char_length("stations"."address") <= 200),
	CONSTRAINT "stations_position" CHECK ("stations"."latitude" between -90 and 90 and "stations"."longitude" between -180 and 180),
	CONSTRAINT "stations_radius" CHECK ("stations"."radius_metres" between 10 and 5000),
	CONSTRAINT "stations_hours_format" CHECK ("stations"."opens_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "stations"."closes_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' and "stations"."opens_at" < "stations"."closes_at")
);
--> statement-breakpoint
ALTER TABLE "stations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "station_id" uuid;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "station_id" uuid;--> statement-breakpoint
ALTER TABLE "spot_checks" ADD CONSTRAINT "spot_checks_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_checks" ADD CONSTRAINT "spot_checks_org_id_sent_by_members_org_id_id_fk" FOREIGN KEY ("org_id","sent_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_checks" ADD CONSTRAINT "spot_checks_org_id_station_id_stations_org_id_id_fk" FOREIGN KEY ("org_id","station_id") REFERENCES "public"."stations"("org_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_members" ADD CONSTRAINT "station_members_org_id_station_id_stations_org_id_id_fk" FOREIGN KEY ("org_id","station_id") REFERENCES "public"."stations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_members" ADD CONSTRAINT "station_members_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_visits" ADD CONSTRAINT "station_visits_org_id_station_id_stations_org_id_id_fk" FOREIGN KEY ("org_id","station_id") REFERENCES "public"."stations"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_visits" ADD CONSTRAINT "station_visits_org_id_recorded_by_members_org_id_id_fk" FOREIGN KEY ("org_id","recorded_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stations" ADD CONSTRAINT "stations_org_id_lead_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","lead_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "spot_checks_member_idx" ON "spot_checks" USING btree ("org_id","member_id","sent_at");--> statement-breakpoint
CREATE INDEX "spot_checks_sender_idx" ON "spot_checks" USING btree ("org_id","sent_by","sent_at");--> statement-breakpoint
CREATE INDEX "spot_checks_pending_due_idx" ON "spot_checks" USING btree ("due_at") WHERE "spot_checks"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "spot_checks_position_kept_idx" ON "spot_checks" USING btree ("answered_at") WHERE "spot_checks"."latitude" is not null;--> statement-breakpoint
CREATE INDEX "station_members_member_idx" ON "station_members" USING btree ("org_id","member_id");--> statement-breakpoint
CREATE INDEX "station_visits_station_idx" ON "station_visits" USING btree ("org_id","station_id","visited_at");--> statement-breakpoint
CREATE INDEX "station_visits_org_idx" ON "station_visits" USING btree ("org_id","visited_at");--> statement-breakpoint
CREATE INDEX "stations_org_township_idx" ON "stations" USING btree ("org_id","township","name");--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_org_id_station_id_stations_org_id_id_fk" FOREIGN KEY ("org_id","station_id") REFERENCES "public"."stations"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests" ADD CONSTRAINT "requests_org_id_station_id_stations_org_id_id_fk" FOREIGN KEY ("org_id","station_id") REFERENCES "public"."stations"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activities_station_idx" ON "activities" USING btree ("org_id","station_id","starts_at");--> statement-breakpoint
CREATE INDEX "requests_org_station_idx" ON "requests" USING btree ("org_id","station_id","submitted_at");--> statement-breakpoint
CREATE POLICY "spot_checks_viewer" ON "spot_checks" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org() and (app_current_account() is null or exists (
  select 1 from members m where m.org_id = app_current_org() and m.account_id = app_current_account() and m.active
    and (m.role = 'ADMIN' or m.id = spot_checks.member_id or m.id = spot_checks.sent_by)))) WITH CHECK (org_id = app_current_org() and (app_current_account() is null or exists (
  select 1 from members m where m.org_id = app_current_org() and m.account_id = app_current_account() and m.active
    and (m.role = 'ADMIN' or m.id = spot_checks.member_id or m.id = spot_checks.sent_by))));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "station_members" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "station_visits" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "stations" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());