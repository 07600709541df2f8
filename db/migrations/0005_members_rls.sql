-- Members and roster: what drizzle-kit cannot express.

-- FORCE: the policies apply to the tables' owner as well (see 0002).
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "join_requests" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "roster_imports" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "roster_import_rows" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Invitations and join requests are the record of who let whom in: kept, never deleted.
REVOKE DELETE, TRUNCATE ON "invitations", "join_requests" FROM qicai_app;
--> statement-breakpoint
-- Members who already signed in keep their account's mobile number and email on their profile.
-- The owner is subject to forced row-level security: lift it for this one statement.
ALTER TABLE "members" NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
UPDATE "members" AS m SET "phone" = a."phone", "email" = a."email"
  FROM "accounts" AS a
  WHERE a."id" = m."account_id" AND m."phone" IS NULL AND m."email" IS NULL;
--> statement-breakpoint
ALTER TABLE "members" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The roster's search text: name, mobile number, work unit and skills, lower-cased, kept by the
-- database on every write. A case-sensitive LIKE over it is several times cheaper than ILIKE
-- over four columns (ILIKE lower-cases every CJK string it reads). Not in the drizzle schema:
-- only the roster search reads it. array_to_string is only STABLE in general; on text[] it is
-- immutable, which this wrapper declares so that a generated column may use it.
CREATE FUNCTION members_search_text(display_name text, phone text, work_unit text, skills text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT lower(display_name || ' ' || coalesce(phone, '') || ' ' || coalesce(work_unit, '') || ' ' || array_to_string(skills, ' ')) $$;
--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "search_text" text
  GENERATED ALWAYS AS (members_search_text("display_name", "phone", "work_unit", "skills")) STORED;
