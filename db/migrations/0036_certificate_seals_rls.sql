-- The association's seal (公章) on certificates: what drizzle cannot say about the table of 0035,
-- and the public verification saying whether a certificate was issued under a seal.

-- Row-level security applies to the table's owner too (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "certificate_seals" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A replaced or removed seal is still printed on the certificates issued under it: never deleted.
REVOKE DELETE, TRUNCATE ON "certificate_seals" FROM qicai_app;
--> statement-breakpoint
-- As 0013's, and whether the certificate carries the association's seal (its snapshot names one).
DROP FUNCTION verify_certificate(text);
--> statement-breakpoint
CREATE FUNCTION verify_certificate(certificate_number text)
  RETURNS TABLE (member_name text, minutes integer, period_from date, period_to date, organization_name text,
    sealed boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.snapshot ->> 'memberName', c.minutes, c.period_from, c.period_to,
      c.snapshot ->> 'organizationName', c.snapshot ? 'seal'
    FROM certificates c
    WHERE c.number = certificate_number
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION verify_certificate(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION verify_certificate(text) TO qicai_app;
