-- The outbox backlog for operators' metrics (api/src/plugins/metrics.ts):
-- across organizations, so as its owner, through the due_deliveries policy
-- (0007), which shows it the undelivered rows and nothing else. Counts and
-- an instant only: no row, no recipient leaves it.
CREATE FUNCTION outbox_backlog(due_by timestamptz, OUT pending bigint, OUT due bigint, OUT oldest_due timestamptz)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT count(*), count(*) FILTER (WHERE next_attempt_at <= due_by), min(next_attempt_at) FILTER (WHERE next_attempt_at <= due_by)
    FROM notification_deliveries
    WHERE sent_at IS NULL AND failed_at IS NULL
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION outbox_backlog(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION outbox_backlog(timestamptz) TO qicai_app;
