CREATE TABLE "certificate_seals" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"png" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"signer_title" text,
	"uploaded_by_member_id" uuid NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "certificate_seals_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "certificate_seals_size" CHECK (octet_length("certificate_seals"."png") <= 524288)
);
--> statement-breakpoint
ALTER TABLE "certificate_seals" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "certificate_seals" ADD CONSTRAINT "certificate_seals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_seals" ADD CONSTRAINT "certificate_seals_org_id_uploaded_by_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","uploaded_by_member_id") REFERENCES "public"."members"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certificate_seals_current_key" ON "certificate_seals" USING btree ("org_id") WHERE "certificate_seals"."removed_at" is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "certificate_seals" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());