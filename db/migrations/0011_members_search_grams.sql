-- The roster search at county scale (31,172 members): a LIKE '%…%' over members.search_text reads
-- every member of the organization. Chinese names are mostly two or three characters, and a search
-- is often two ("王芳"), too short for pg_trgm, which needs three. So the search text is indexed by
-- its single characters and pairs of characters (GIN over an array): a fragment of one character
-- looks itself up, a longer one its pairs, and the LIKE then confirms the match. Every substring's
-- pairs are pairs of the whole, so the index never loses a match.
CREATE FUNCTION members_search_grams(search_text text) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT coalesce(array_agg(DISTINCT gram), '{}') FROM (
    SELECT substr(search_text, i, 1) AS gram FROM generate_series(1, char_length(search_text)) AS i
    UNION ALL
    SELECT substr(search_text, i, 2) FROM generate_series(1, char_length(search_text) - 1) AS i
  ) AS grams WHERE gram <> ' ' AND gram NOT LIKE '% %' $$;
--> statement-breakpoint
CREATE INDEX "members_search_grams_idx" ON "members" USING gin (members_search_grams("search_text"));
