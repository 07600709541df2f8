-- Requests from the public (群众需求): what drizzle cannot say about the tables of requests.

-- Row-level security applies to the tables' owner too (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "requests" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "request_history" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A request is declined or resolved, never deleted; its history is append-only.
REVOKE DELETE, TRUNCATE ON "requests" FROM qicai_app;
--> statement-breakpoint
REVOKE UPDATE, DELETE, TRUNCATE ON "request_history" FROM qicai_app;
--> statement-breakpoint
-- Who changed the state: if the member is removed, the entry stays, unattributed.
ALTER TABLE "request_history" ADD CONSTRAINT "request_history_actor_fk" FOREIGN KEY ("org_id", "actor_member_id")
  REFERENCES "members" ("org_id", "id") ON DELETE SET NULL ("actor_member_id");
--> statement-breakpoint
-- The public status page and the counts run without a member's sign-in, where the policies of
-- the tables show nothing. These functions run as their owner (the role that migrates), who
-- sees the rows of the organization set for the transaction through the policies below, and
-- return only what is public: for one tracking code its state, dates, decline reason and
-- feedback, and the state changes without who made them or their notes; or four numbers.
CREATE POLICY "requests_definer_read" ON "requests" AS PERMISSIVE FOR SELECT TO CURRENT_USER
  USING (org_id = app_current_org());
--> statement-breakpoint
CREATE POLICY "request_history_definer_read" ON "request_history" AS PERMISSIVE FOR SELECT TO CURRENT_USER
  USING (org_id = app_current_org());
--> statement-breakpoint
CREATE FUNCTION request_public_status(p_code text)
  RETURNS TABLE (id uuid, category request_category, status request_status, submitted_at timestamptz,
    updated_at timestamptz, due_on date, closed_at timestamptz, decline_reason text, feedback text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT r.id, r.category, r.status, r.submitted_at, r.updated_at, r.due_on, r.closed_at, r.decline_reason, r.feedback
    FROM requests r
    WHERE r.org_id = app_current_org() AND r.tracking_code = p_code
  $$;
--> statement-breakpoint
CREATE FUNCTION request_public_history(p_code text)
  RETURNS TABLE (from_status request_status, to_status request_status, at timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT h.from_status, h.to_status, h.at
    FROM request_history h JOIN requests r ON r.org_id = h.org_id AND r.id = h.request_id
    WHERE r.org_id = app_current_org() AND r.tracking_code = p_code
    ORDER BY h.at, h.id
  $$;
--> statement-breakpoint
-- Open: received, assigned or in progress. Overdue: open past its due date ("today" is the
-- organization's, given by the caller). One scan of the organization's requests.
CREATE FUNCTION request_counts(p_today date)
  RETURNS TABLE (received integer, in_progress integer, solved integer, declined integer, overdue integer)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT
      (count(*) FILTER (WHERE status = 'RECEIVED'))::integer,
      (count(*) FILTER (WHERE status IN ('ASSIGNED', 'IN_PROGRESS')))::integer,
      (count(*) FILTER (WHERE status = 'RESOLVED'))::integer,
      (count(*) FILTER (WHERE status = 'DECLINED'))::integer,
      (count(*) FILTER (WHERE status IN ('RECEIVED', 'ASSIGNED', 'IN_PROGRESS') AND due_on < p_today))::integer
    FROM requests
    WHERE org_id = app_current_org()
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION request_public_status(text), request_public_history(text), request_counts(date) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION request_public_status(text), request_public_history(text), request_counts(date) TO qicai_app;
