CREATE TABLE "organization_exports" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"requested_by_member_id" uuid NOT NULL,
	"includes_children" boolean NOT NULL,
	"status" text DEFAULT 'RUNNING' NOT NULL,
	"tables_done" integer DEFAULT 0 NOT NULL,
	"tables_total" integer NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	"archive" "bytea",
	"created_at" timestamp with time zone NOT NULL,
	"progress_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "organization_exports_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "organization_exports_archive" CHECK (("organization_exports"."status" = 'READY') = ("organization_exports"."archive" is not null))
);
--> statement-breakpoint
ALTER TABLE "organization_exports" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "organization_exports" ADD CONSTRAINT "organization_exports_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organization_exports" ADD CONSTRAINT "organization_exports_org_id_requested_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","requested_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_exports_recent_idx" ON "organization_exports" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "organization_exports" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());