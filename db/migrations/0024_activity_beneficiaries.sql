CREATE TABLE "activity_beneficiaries_team_month" (
	"org_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"month" smallint NOT NULL,
	"activities" integer DEFAULT 0 NOT NULL,
	"beneficiaries" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "activity_beneficiaries_team_month_org_id_team_id_year_month_pk" PRIMARY KEY("org_id","team_id","year","month"),
	CONSTRAINT "activity_beneficiaries_team_month_month" CHECK ("activity_beneficiaries_team_month"."month" between 1 and 12)
);
--> statement-breakpoint
ALTER TABLE "activity_beneficiaries_team_month" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "activity_beneficiaries_team_month" ADD CONSTRAINT "activity_beneficiaries_team_month_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_beneficiaries_team_month" ADD CONSTRAINT "activity_beneficiaries_team_month_org_id_team_id_teams_org_id_id_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_beneficiaries_team_month_period_idx" ON "activity_beneficiaries_team_month" USING btree ("org_id","year","month");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "activity_beneficiaries_team_month" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
-- What drizzle cannot say: row-level security for the owner too, and the rollup only ever adjusted by a delta.
ALTER TABLE "activity_beneficiaries_team_month" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON "activity_beneficiaries_team_month" FROM qicai_app;
--> statement-breakpoint
-- People served per team and month of the start, in the organization's time zone (fixed when the
-- organization is made). The trigger runs as whoever changes the activity: row-level security already
-- requires the organization set to the row's, so the organization and the rollup are visible.
CREATE FUNCTION activity_beneficiaries_add(org uuid, team uuid, starts timestamptz, activities_delta integer, beneficiaries_delta bigint)
  RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO activity_beneficiaries_team_month (org_id, team_id, year, month, activities, beneficiaries)
  SELECT org, team, extract(year FROM local.at)::smallint, extract(month FROM local.at)::smallint,
    activities_delta, beneficiaries_delta
  FROM (SELECT starts AT TIME ZONE o.time_zone AS at FROM organizations o WHERE o.id = org) local
  ON CONFLICT (org_id, team_id, year, month) DO UPDATE
  SET activities = activity_beneficiaries_team_month.activities + excluded.activities,
      beneficiaries = activity_beneficiaries_team_month.beneficiaries + excluded.beneficiaries;
$$;
--> statement-breakpoint
CREATE FUNCTION activities_beneficiaries_count() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  old_counted boolean := false;
  new_counted boolean := false;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_counted := OLD.beneficiaries IS NOT NULL AND OLD.status <> 'CANCELLED';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_counted := NEW.beneficiaries IS NOT NULL AND NEW.status <> 'CANCELLED';
  END IF;
  IF TG_OP = 'UPDATE' AND old_counted AND new_counted AND OLD.team_id = NEW.team_id
    AND OLD.starts_at = NEW.starts_at AND OLD.beneficiaries = NEW.beneficiaries THEN
    -- Most updates (sign-up counters, a description) change nothing counted here: no write.
    RETURN NULL;
  END IF;
  IF old_counted THEN
    PERFORM activity_beneficiaries_add(OLD.org_id, OLD.team_id, OLD.starts_at, -1, -OLD.beneficiaries);
  END IF;
  IF new_counted THEN
    PERFORM activity_beneficiaries_add(NEW.org_id, NEW.team_id, NEW.starts_at, 1, NEW.beneficiaries);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER activities_beneficiaries_count AFTER INSERT OR UPDATE OR DELETE ON "activities"
  FOR EACH ROW EXECUTE FUNCTION activities_beneficiaries_count();
--> statement-breakpoint
-- What exists already.
INSERT INTO activity_beneficiaries_team_month (org_id, team_id, year, month, activities, beneficiaries)
SELECT a.org_id, a.team_id,
  extract(year FROM a.starts_at AT TIME ZONE o.time_zone)::smallint,
  extract(month FROM a.starts_at AT TIME ZONE o.time_zone)::smallint,
  count(*)::integer, sum(a.beneficiaries)
FROM activities a
JOIN organizations o ON o.id = a.org_id
WHERE a.beneficiaries IS NOT NULL AND a.status <> 'CANCELLED'
GROUP BY 1, 2, 3, 4;
