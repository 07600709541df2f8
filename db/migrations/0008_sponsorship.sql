CREATE TYPE "public"."child_circumstance" AS ENUM('LEFT_BEHIND', 'POVERTY', 'DISABILITY', 'ORPHANED', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."child_status" AS ENUM('WAITING', 'PROPOSED', 'SPONSORED', 'ENDED');--> statement-breakpoint
CREATE TYPE "public"."sponsor_kind" AS ENUM('INDIVIDUAL', 'PARTY_ORGANIZATION', 'COMPANY', 'OTHER_ORGANIZATION');--> statement-breakpoint
CREATE TYPE "public"."sponsorship_end_reason" AS ENUM('CHILD_GREW_UP', 'CHILD_MOVED', 'FAMILY_WITHDREW', 'SPONSOR_WITHDREW', 'RECORD_DELETED', 'OTHER');--> statement-breakpoint
CREATE TYPE "public"."sponsorship_status" AS ENUM('PROPOSED', 'ACTIVE', 'ENDED', 'LAPSED');--> statement-breakpoint
CREATE TYPE "public"."support_kind" AS ENUM('MONEY', 'GOODS');--> statement-breakpoint
CREATE TABLE "children" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"status" "child_status" DEFAULT 'WAITING' NOT NULL,
	"family_name" text,
	"given_name" text,
	"gender" "gender",
	"date_of_birth" date,
	"township" text,
	"village" text,
	"school" text,
	"grade" smallint,
	"circumstances" "child_circumstance"[],
	"circumstance_note" text,
	"needs" text,
	"guardian_name" text,
	"guardian_relation" text,
	"guardian_phone" text,
	"consent_given_on" date NOT NULL,
	"consent_text_version" text NOT NULL,
	"consent_recorded_by" uuid NOT NULL,
	"consent_recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"waiting_since" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "children_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "children_personal_present" CHECK ("children"."deleted_at" is not null or ("children"."family_name" is not null and "children"."given_name" is not null and "children"."gender" is not null
        and "children"."date_of_birth" is not null and "children"."township" is not null and "children"."village" is not null
        and coalesce(cardinality("children"."circumstances"), 0) > 0 and "children"."needs" is not null and "children"."guardian_name" is not null
        and "children"."guardian_relation" is not null and "children"."guardian_phone" is not null)),
	CONSTRAINT "children_tombstone_empty" CHECK ("children"."deleted_at" is null or ("children"."family_name" is null and "children"."given_name" is null and "children"."gender" is null
        and "children"."date_of_birth" is null and "children"."township" is null and "children"."village" is null and "children"."school" is null
        and "children"."grade" is null and "children"."circumstances" is null and "children"."circumstance_note" is null and "children"."needs" is null
        and "children"."guardian_name" is null and "children"."guardian_relation" is null and "children"."guardian_phone" is null
        and "children"."status" = 'ENDED')),
	CONSTRAINT "children_grade_range" CHECK ("children"."grade" between 0 and 12),
	CONSTRAINT "children_consent_version_length" CHECK (char_length("children"."consent_text_version") between 1 and 40)
);
--> statement-breakpoint
ALTER TABLE "children" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sponsors" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" "sponsor_kind" NOT NULL,
	"name" text NOT NULL,
	"contact_name" text,
	"phone" text,
	"email" text,
	"township" text,
	"member_id" uuid,
	"account_id" uuid,
	"invitation_code_hash" text,
	"invitation_expires_at" timestamp with time zone,
	"preferred_townships" text[] DEFAULT '{}'::text[] NOT NULL,
	"preferred_age_min" smallint,
	"preferred_age_max" smallint,
	"preferred_gender" "gender",
	"prefers_greatest_need" boolean DEFAULT false NOT NULL,
	"children_offered" smallint DEFAULT 1 NOT NULL,
	"monthly_pledge_fen" integer,
	"pledged_goods" text,
	"notes" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsors_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sponsors_org_account_unique" UNIQUE("org_id","account_id"),
	CONSTRAINT "sponsors_org_member_unique" UNIQUE("org_id","member_id"),
	CONSTRAINT "sponsors_org_invitation_unique" UNIQUE("org_id","invitation_code_hash"),
	CONSTRAINT "sponsors_name_length" CHECK (char_length("sponsors"."name") between 1 and 80),
	CONSTRAINT "sponsors_children_offered_range" CHECK ("sponsors"."children_offered" between 1 and 100),
	CONSTRAINT "sponsors_age_range" CHECK (("sponsors"."preferred_age_min" is null or "sponsors"."preferred_age_min" between 0 and 18)
        and ("sponsors"."preferred_age_max" is null or "sponsors"."preferred_age_max" between 0 and 18)
        and ("sponsors"."preferred_age_min" is null or "sponsors"."preferred_age_max" is null or "sponsors"."preferred_age_min" <= "sponsors"."preferred_age_max")),
	CONSTRAINT "sponsors_pledge_positive" CHECK ("sponsors"."monthly_pledge_fen" is null or "sponsors"."monthly_pledge_fen" > 0),
	CONSTRAINT "sponsors_member_is_individual" CHECK ("sponsors"."member_id" is null or "sponsors"."kind" = 'INDIVIDUAL')
);
--> statement-breakpoint
ALTER TABLE "sponsors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sponsorship_support" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"sponsorship_id" uuid NOT NULL,
	"kind" "support_kind" NOT NULL,
	"given_on" date NOT NULL,
	"amount_fen" integer,
	"description" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsorship_support_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sponsorship_support_amount" CHECK ("sponsorship_support"."amount_fen" is null or "sponsorship_support"."amount_fen" > 0),
	CONSTRAINT "sponsorship_support_money_has_amount" CHECK ("sponsorship_support"."kind" <> 'MONEY' or "sponsorship_support"."amount_fen" is not null)
);
--> statement-breakpoint
ALTER TABLE "sponsorship_support" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sponsorship_updates" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"sponsorship_id" uuid NOT NULL,
	"posted_on" date NOT NULL,
	"body" text NOT NULL,
	"posted_by" uuid NOT NULL,
	"posted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsorship_updates_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sponsorship_updates_body_length" CHECK (char_length("sponsorship_updates"."body") between 1 and 2000)
);
--> statement-breakpoint
ALTER TABLE "sponsorship_updates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sponsorship_visit_volunteers" (
	"org_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "sponsorship_visit_volunteers_org_id_visit_id_member_id_pk" PRIMARY KEY("org_id","visit_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "sponsorship_visit_volunteers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sponsorship_visits" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"sponsorship_id" uuid NOT NULL,
	"visited_on" date NOT NULL,
	"notes" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsorship_visits_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "sponsorship_visits" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "sponsorships" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"child_id" uuid NOT NULL,
	"sponsor_id" uuid NOT NULL,
	"status" "sponsorship_status" DEFAULT 'PROPOSED' NOT NULL,
	"proposed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"proposed_by" uuid NOT NULL,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" uuid,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	"end_reason" "sponsorship_end_reason",
	"end_note" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sponsorships_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "sponsorships_lifecycle" CHECK (("sponsorships"."status" = 'PROPOSED' and "sponsorships"."confirmed_at" is null and "sponsorships"."closed_at" is null)
        or ("sponsorships"."status" = 'ACTIVE' and "sponsorships"."confirmed_at" is not null and "sponsorships"."closed_at" is null)
        or ("sponsorships"."status" = 'ENDED' and "sponsorships"."confirmed_at" is not null and "sponsorships"."closed_at" is not null and "sponsorships"."end_reason" is not null)
        or ("sponsorships"."status" = 'LAPSED' and "sponsorships"."confirmed_at" is null and "sponsorships"."closed_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "sponsorships" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_org_id_consent_recorded_by_members_org_id_id_fk" FOREIGN KEY ("org_id","consent_recorded_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsors" ADD CONSTRAINT "sponsors_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsors" ADD CONSTRAINT "sponsors_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_support" ADD CONSTRAINT "sponsorship_support_org_id_sponsorship_id_sponsorships_org_id_id_fk" FOREIGN KEY ("org_id","sponsorship_id") REFERENCES "public"."sponsorships"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_support" ADD CONSTRAINT "sponsorship_support_org_id_recorded_by_members_org_id_id_fk" FOREIGN KEY ("org_id","recorded_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_updates" ADD CONSTRAINT "sponsorship_updates_org_id_sponsorship_id_sponsorships_org_id_id_fk" FOREIGN KEY ("org_id","sponsorship_id") REFERENCES "public"."sponsorships"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_updates" ADD CONSTRAINT "sponsorship_updates_org_id_posted_by_members_org_id_id_fk" FOREIGN KEY ("org_id","posted_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_visit_volunteers" ADD CONSTRAINT "sponsorship_visit_volunteers_org_id_visit_id_sponsorship_visits_org_id_id_fk" FOREIGN KEY ("org_id","visit_id") REFERENCES "public"."sponsorship_visits"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_visit_volunteers" ADD CONSTRAINT "sponsorship_visit_volunteers_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_visits" ADD CONSTRAINT "sponsorship_visits_org_id_sponsorship_id_sponsorships_org_id_id_fk" FOREIGN KEY ("org_id","sponsorship_id") REFERENCES "public"."sponsorships"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorship_visits" ADD CONSTRAINT "sponsorship_visits_org_id_recorded_by_members_org_id_id_fk" FOREIGN KEY ("org_id","recorded_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_org_id_child_id_children_org_id_id_fk" FOREIGN KEY ("org_id","child_id") REFERENCES "public"."children"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_org_id_sponsor_id_sponsors_org_id_id_fk" FOREIGN KEY ("org_id","sponsor_id") REFERENCES "public"."sponsors"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_org_id_proposed_by_members_org_id_id_fk" FOREIGN KEY ("org_id","proposed_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_org_id_confirmed_by_members_org_id_id_fk" FOREIGN KEY ("org_id","confirmed_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sponsorships" ADD CONSTRAINT "sponsorships_org_id_closed_by_members_org_id_id_fk" FOREIGN KEY ("org_id","closed_by") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "children_org_status_idx" ON "children" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "children_org_created_idx" ON "children" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "sponsors_org_name_idx" ON "sponsors" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "sponsorship_support_sponsorship_idx" ON "sponsorship_support" USING btree ("org_id","sponsorship_id","given_on");--> statement-breakpoint
CREATE INDEX "sponsorship_updates_sponsorship_idx" ON "sponsorship_updates" USING btree ("org_id","sponsorship_id","posted_on");--> statement-breakpoint
CREATE INDEX "sponsorship_visit_volunteers_member_idx" ON "sponsorship_visit_volunteers" USING btree ("org_id","member_id");--> statement-breakpoint
CREATE INDEX "sponsorship_visits_sponsorship_idx" ON "sponsorship_visits" USING btree ("org_id","sponsorship_id","visited_on");--> statement-breakpoint
CREATE UNIQUE INDEX "sponsorships_one_active_per_child" ON "sponsorships" USING btree ("org_id","child_id") WHERE status = 'ACTIVE';--> statement-breakpoint
CREATE UNIQUE INDEX "sponsorships_one_open_proposal_per_pair" ON "sponsorships" USING btree ("org_id","child_id","sponsor_id") WHERE status = 'PROPOSED';--> statement-breakpoint
CREATE INDEX "sponsorships_sponsor_idx" ON "sponsorships" USING btree ("org_id","sponsor_id","status");--> statement-breakpoint
CREATE INDEX "sponsorships_child_idx" ON "sponsorships" USING btree ("org_id","child_id","status");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "children" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sponsors" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "own_sponsor_records" ON "sponsors" AS PERMISSIVE FOR SELECT TO "qicai_app" USING (account_id = app_current_account());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sponsorship_support" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sponsorship_updates" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sponsorship_visit_volunteers" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sponsorship_visits" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sponsorships" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());