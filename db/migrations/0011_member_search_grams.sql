CREATE TABLE "member_search_grams" (
	"org_id" uuid NOT NULL,
	"gram" text NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "member_search_grams_org_id_gram_member_id_pk" PRIMARY KEY("org_id","gram","member_id")
);
--> statement-breakpoint
ALTER TABLE "member_search_grams" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "member_search_grams" ADD CONSTRAINT "member_search_grams_org_id_member_id_members_org_id_id_fk" FOREIGN KEY ("org_id","member_id") REFERENCES "public"."members"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_search_grams_member_idx" ON "member_search_grams" USING btree ("org_id","member_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "member_search_grams" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());