CREATE TABLE "roster_import_undo" (
	"org_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	"previous" jsonb,
	CONSTRAINT "roster_import_undo_org_id_import_id_member_id_pk" PRIMARY KEY("org_id","import_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "roster_import_undo" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "roster_import_undo" ADD CONSTRAINT "roster_import_undo_org_id_import_id_roster_imports_org_id_id_fk" FOREIGN KEY ("org_id","import_id") REFERENCES "public"."roster_imports"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "roster_import_undo" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
-- What a roster import applied in committed batches changed, to undo it (db/src/schema/members.ts).
ALTER TABLE "roster_import_undo" FORCE ROW LEVEL SECURITY;
