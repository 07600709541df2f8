-- The roster search's index (member_search_grams, see db/src/schema/people.ts): kept from
-- members.search_text by statement-level triggers, so a roster import of 31,172 rows writes its
-- grams in one statement per batch rather than one per member.
ALTER TABLE "member_search_grams" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Every character, and pair of neighbouring characters, of a search text that has no ASCII in it
-- (names, work units and skills; phone numbers and Latin text are searched without the index).
CREATE FUNCTION member_search_grams_of(search_text text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT DISTINCT substr(search_text, i, len)
    FROM generate_series(1, char_length(search_text)) AS i, (VALUES (1), (2)) AS lengths(len)
    WHERE ascii(substr(search_text, i, 1)) > 127 AND (len = 1 OR ascii(substr(search_text, i + 1, 1)) > 127) $$;
--> statement-breakpoint
CREATE FUNCTION members_index_search_grams() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM member_search_grams AS g
      USING old_members AS o JOIN new_members AS n ON n.org_id = o.org_id AND n.id = o.id
      WHERE n.search_text IS DISTINCT FROM o.search_text AND g.org_id = o.org_id AND g.member_id = o.id;
    INSERT INTO member_search_grams (org_id, gram, member_id)
      SELECT n.org_id, gram, n.id
      FROM new_members AS n JOIN old_members AS o ON o.org_id = n.org_id AND o.id = n.id
      CROSS JOIN LATERAL member_search_grams_of(n.search_text) AS gram
      WHERE n.search_text IS DISTINCT FROM o.search_text;
  ELSE
    INSERT INTO member_search_grams (org_id, gram, member_id)
      SELECT n.org_id, gram, n.id FROM new_members AS n CROSS JOIN LATERAL member_search_grams_of(n.search_text) AS gram;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER members_search_grams_insert AFTER INSERT ON "members"
  REFERENCING NEW TABLE AS new_members FOR EACH STATEMENT EXECUTE FUNCTION members_index_search_grams();
--> statement-breakpoint
CREATE TRIGGER members_search_grams_update AFTER UPDATE ON "members"
  REFERENCING OLD TABLE AS old_members NEW TABLE AS new_members FOR EACH STATEMENT EXECUTE FUNCTION members_index_search_grams();
--> statement-breakpoint
CREATE FUNCTION members_unindex_search_grams() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM member_search_grams AS g USING old_members AS o WHERE g.org_id = o.org_id AND g.member_id = o.id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER members_search_grams_delete AFTER DELETE ON "members"
  REFERENCING OLD TABLE AS old_members FOR EACH STATEMENT EXECUTE FUNCTION members_unindex_search_grams();
--> statement-breakpoint
-- The members there are already. The owner is subject to forced row-level security: lifted for this one statement.
ALTER TABLE "members" NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO member_search_grams (org_id, gram, member_id)
  SELECT m.org_id, gram, m.id FROM "members" AS m CROSS JOIN LATERAL member_search_grams_of(m.search_text) AS gram;
--> statement-breakpoint
ALTER TABLE "members" FORCE ROW LEVEL SECURITY;
