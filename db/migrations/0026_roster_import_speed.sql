CREATE TABLE "member_search_backlog" (
	"org_id" uuid NOT NULL,
	"member_id" uuid NOT NULL,
	CONSTRAINT "member_search_backlog_org_id_member_id_pk" PRIMARY KEY("org_id","member_id")
);
--> statement-breakpoint
ALTER TABLE "member_search_backlog" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "member_search_backlog" AS PERMISSIVE FOR ALL TO "qicai_app" USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());--> statement-breakpoint
-- A roster import at county scale, set-based (see db/src/schema/people.ts, member_search_backlog).
ALTER TABLE "member_search_backlog" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The grams as before, written in index order (about a third faster for a batch of thousands),
-- unless the transaction defers them (app.defer_search_grams, SET LOCAL by a roster import):
-- then the members whose search text changed are listed in the backlog, to be indexed after it commits.
CREATE OR REPLACE FUNCTION members_index_search_grams() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF current_setting('app.defer_search_grams', true) = 'on' THEN
    IF TG_OP = 'UPDATE' THEN
      INSERT INTO member_search_backlog (org_id, member_id)
        SELECT n.org_id, n.id FROM new_members AS n JOIN old_members AS o ON o.org_id = n.org_id AND o.id = n.id
        WHERE n.search_text IS DISTINCT FROM o.search_text
        ON CONFLICT DO NOTHING;
    ELSE
      INSERT INTO member_search_backlog (org_id, member_id) SELECT n.org_id, n.id FROM new_members AS n ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM member_search_grams AS g
      USING old_members AS o JOIN new_members AS n ON n.org_id = o.org_id AND n.id = o.id
      WHERE n.search_text IS DISTINCT FROM o.search_text AND g.org_id = o.org_id AND g.member_id = o.id;
    INSERT INTO member_search_grams (org_id, gram, member_id)
      SELECT n.org_id, gram, n.id
      FROM new_members AS n JOIN old_members AS o ON o.org_id = n.org_id AND o.id = n.id
      CROSS JOIN LATERAL member_search_grams_of(n.search_text) AS gram
      WHERE n.search_text IS DISTINCT FROM o.search_text
      ORDER BY 1, 2, 3;
  ELSE
    INSERT INTO member_search_grams (org_id, gram, member_id)
      SELECT n.org_id, gram, n.id FROM new_members AS n CROSS JOIN LATERAL member_search_grams_of(n.search_text) AS gram
      ORDER BY 1, 2, 3;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Deleted members leave the backlog with their grams.
CREATE OR REPLACE FUNCTION members_unindex_search_grams() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM member_search_grams AS g USING old_members AS o WHERE g.org_id = o.org_id AND g.member_id = o.id;
  DELETE FROM member_search_backlog AS b USING old_members AS o WHERE b.org_id = o.org_id AND b.member_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Team memberships added in bulk (an import adds ~40,000) update the team counts once per
-- statement and team instead of once per row; changes and removals stay per row (0017).
CREATE FUNCTION team_memberships_count_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- Each member looked up by its key (a join is planned from the transition table's unknown size
  -- and the members' statistics, stale right after a bulk insert: a nested loop over every member).
  INSERT INTO team_member_counts (org_id, team_id, active_members)
    SELECT n.org_id, n.team_id, count(*)::integer
    FROM new_memberships AS n
    WHERE (SELECT m.active FROM members AS m WHERE m.org_id = n.org_id AND m.id = n.member_id)
    GROUP BY n.org_id, n.team_id
    ORDER BY 1, 2
  ON CONFLICT (org_id, team_id) DO UPDATE SET active_members = team_member_counts.active_members + excluded.active_members;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER team_memberships_count ON "team_memberships";
--> statement-breakpoint
CREATE TRIGGER team_memberships_count AFTER UPDATE OR DELETE ON "team_memberships"
  FOR EACH ROW EXECUTE FUNCTION team_memberships_count();
--> statement-breakpoint
CREATE TRIGGER team_memberships_count_insert AFTER INSERT ON "team_memberships"
  REFERENCING NEW TABLE AS new_memberships FOR EACH STATEMENT EXECUTE FUNCTION team_memberships_count_inserted();
