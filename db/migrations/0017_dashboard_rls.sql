-- Display tokens of the big screen: row-level security applies to the owner too,
-- and a token is revoked, never deleted (who made and revoked it stays known).
ALTER TABLE "display_tokens" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
REVOKE DELETE, TRUNCATE ON "display_tokens" FROM qicai_app;
--> statement-breakpoint
ALTER TABLE "team_member_counts" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The rollup of each team's active members, kept by the triggers below (which run as the application).
REVOKE DELETE, TRUNCATE ON "team_member_counts" FROM qicai_app;
--> statement-breakpoint
-- The triggers run as whoever changes the memberships or members, in that transaction: row-level
-- security already requires the organization set to the row's, so the rollup's rows are visible too.
CREATE FUNCTION team_member_counts_add(org uuid, team uuid, delta integer) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO team_member_counts (org_id, team_id, active_members) VALUES (org, team, greatest(delta, 0))
  ON CONFLICT (org_id, team_id) DO UPDATE SET active_members = team_member_counts.active_members + delta;
$$;
--> statement-breakpoint
CREATE FUNCTION team_memberships_count() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- A member already deleted (a cascade) was taken off by members_count_before_delete.
  IF TG_OP IN ('DELETE', 'UPDATE') AND EXISTS (SELECT 1 FROM members WHERE org_id = OLD.org_id AND id = OLD.member_id AND active) THEN
    PERFORM team_member_counts_add(OLD.org_id, OLD.team_id, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (SELECT 1 FROM members WHERE org_id = NEW.org_id AND id = NEW.member_id AND active) THEN
    PERFORM team_member_counts_add(NEW.org_id, NEW.team_id, 1);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER team_memberships_count AFTER INSERT OR UPDATE OR DELETE ON "team_memberships"
  FOR EACH ROW EXECUTE FUNCTION team_memberships_count();
--> statement-breakpoint
CREATE FUNCTION members_count_active() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  PERFORM team_member_counts_add(tm.org_id, tm.team_id, CASE WHEN NEW.active THEN 1 ELSE -1 END)
    FROM team_memberships tm WHERE tm.org_id = NEW.org_id AND tm.member_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER members_count_active AFTER UPDATE OF active ON "members"
  FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active) EXECUTE FUNCTION members_count_active();
--> statement-breakpoint
CREATE FUNCTION members_count_before_delete() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF OLD.active THEN
    PERFORM team_member_counts_add(tm.org_id, tm.team_id, -1)
      FROM team_memberships tm WHERE tm.org_id = OLD.org_id AND tm.member_id = OLD.id;
  END IF;
  RETURN OLD;
END
$$;
--> statement-breakpoint
CREATE TRIGGER members_count_before_delete BEFORE DELETE ON "members"
  FOR EACH ROW EXECUTE FUNCTION members_count_before_delete();
--> statement-breakpoint
-- What exists already.
INSERT INTO team_member_counts (org_id, team_id, active_members)
  SELECT t.org_id, t.id, count(m.id)
  FROM teams t
  LEFT JOIN team_memberships tm ON tm.org_id = t.org_id AND tm.team_id = t.id
  LEFT JOIN members m ON m.org_id = tm.org_id AND m.id = tm.member_id AND m.active
  GROUP BY t.org_id, t.id;
