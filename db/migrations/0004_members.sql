CREATE TYPE "public"."gender" AS ENUM('FEMALE', 'MALE');--> statement-breakpoint
CREATE TYPE "public"."join_request_status" AS ENUM('PENDING', 'APPROVED', 'DECLINED');--> statement-breakpoint
CREATE TYPE "public"."roster_import_outcome" AS ENUM('CREATE', 'UPDATE', 'UNCHANGED', 'REJECT');--> statement-breakpoint
CREATE TYPE "public"."roster_import_status" AS ENUM('READY', 'APPLYING', 'APPLIED', 'FAILED');--> statement-breakpoint
CREATE TABLE "invitations" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"phone" text,
	"email" text,
	"display_name" text,
	"member_id" uuid,
	"invited_by_member_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_account_id" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invitations_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "invitations_org_token_unique" UNIQUE("org_id","token_hash"),
	CONSTRAINT "invitations_phone_or_email" CHECK ("invitations"."phone" is not null or "invitations"."email" is not null)
);
--> statement-breakpoint
ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "join_requests" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"status" "join_request_status" DEFAULT 'PENDING' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_member_id" uuid,
	"member_id" uuid,
	CONSTRAINT "join_requests_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "join_requests_message_length" CHECK (char_length("join_requests"."message") <= 500)
);
--> statement-breakpoint
ALTER TABLE "join_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "roster_import_rows" (
	"org_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"row_number" integer NOT NULL,
	"outcome" "roster_import_outcome" NOT NULL,
	"problems" text[] NOT NULL,
	"cells" jsonb NOT NULL,
	"changes" text[] NOT NULL,
	"member_id" uuid,
	"duplicate_of" integer,
	CONSTRAINT "roster_import_rows_org_id_import_id_row_number_pk" PRIMARY KEY("org_id","import_id","row_number")
);
--> statement-breakpoint
ALTER TABLE "roster_import_rows" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "roster_imports" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_by_member_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"columns" text[] NOT NULL,
	"status" "roster_import_status" DEFAULT 'READY' NOT NULL,
	"total_rows" integer NOT NULL,
	"create_count" integer NOT NULL,
	"update_count" integer NOT NULL,
	"unchanged_count" integer NOT NULL,
	"reject_count" integer NOT NULL,
	"progress_done" integer DEFAULT 0 NOT NULL,
	"progress_at" timestamp with time zone,
	"applied_at" timestamp with time zone,
	"failure_code" text,
	CONSTRAINT "roster_imports_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "roster_imports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "gender" "gender";--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_accepted_account_id_accounts_id_fk" FOREIGN KEY ("accepted_account_id") REFERENCES "public"."accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_org_id_invited_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","invited_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_org_id_decided_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","decided_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_import_rows" ADD CONSTRAINT "roster_import_rows_org_id_import_id_roster_imports_org_id_id_fk" FOREIGN KEY ("org_id","import_id") REFERENCES "public"."roster_imports"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD CONSTRAINT "roster_imports_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roster_imports" ADD CONSTRAINT "roster_imports_org_id_created_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","created_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitations_token_idx" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invitations_org_created_idx" ON "invitations" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "join_requests_one_pending" ON "join_requests" USING btree ("org_id","account_id") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "join_requests_org_status_idx" ON "join_requests" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "roster_import_rows_outcome_idx" ON "roster_import_rows" USING btree ("org_id","import_id","outcome","row_number");--> statement-breakpoint
CREATE INDEX "roster_imports_org_created_idx" ON "roster_imports" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "members_org_name_idx" ON "members" USING btree ("org_id","display_name","id");--> statement-breakpoint
CREATE INDEX "members_org_joined_idx" ON "members" USING btree ("org_id","joined_on","id");--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_org_phone_unique" UNIQUE("org_id","phone");--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_phone_format" CHECK ("members"."phone" ~ '^1[3-9][0-9]{9}$');--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_email_lower" CHECK ("members"."email" = lower("members"."email"));--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_work_unit_length" CHECK (char_length("members"."work_unit") <= 100);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "invitations" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "invitation_by_token" ON "invitations" AS PERMISSIVE FOR SELECT TO "qicai_app" USING (token_hash = nullif(current_setting('app.invitation_token_hash', true), ''));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "join_requests" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "roster_import_rows" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "roster_imports" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());