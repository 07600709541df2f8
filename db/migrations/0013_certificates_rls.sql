-- Certificates: what drizzle cannot say about the table of 0012, and the one
-- public read of it.

-- Row-level security applies to the table's owner too (db/test/tenancy.test.ts checks the catalog).
ALTER TABLE "certificates" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- An issued certificate is a fact on paper: never changed, never deleted.
REVOKE UPDATE, DELETE, TRUNCATE ON "certificates" FROM qicai_app;
--> statement-breakpoint
-- The public verification page (reached by a certificate's QR code or by
-- typing its number) runs with no organization set, where row-level security
-- shows nothing. This function answers for one number at a time and returns
-- only what the page shows: the name, hours and period the certificate
-- states and the issuing organization. It runs as its owner (the role that
-- migrates), who sees certificates through the policy below; the application
-- role still sees none outside its organization.
CREATE POLICY "certificate_verification" ON "certificates" AS PERMISSIVE FOR SELECT TO CURRENT_USER
  USING (true);
--> statement-breakpoint
CREATE FUNCTION verify_certificate(certificate_number text)
  RETURNS TABLE (member_name text, minutes integer, period_from date, period_to date, organization_name text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
    SELECT c.snapshot ->> 'memberName', c.minutes, c.period_from, c.period_to,
      c.snapshot ->> 'organizationName'
    FROM certificates c
    WHERE c.number = certificate_number
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION verify_certificate(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION verify_certificate(text) TO qicai_app;
