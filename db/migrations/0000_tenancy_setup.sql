-- Tenancy set-up, before any table: the application role and the functions
-- the row-level security policies call.

-- Roles are cluster-wide, so another database on the same server may have made it already.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qicai_app') THEN
    CREATE ROLE qicai_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;
--> statement-breakpoint
-- The role that migrates (and owns the tables) may switch to the application role.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'qicai_app', 'MEMBER') THEN
    EXECUTE format('GRANT qicai_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
-- NULLIF: after a transaction that set it ends, the setting reads as '' rather than NULL.
CREATE FUNCTION app_current_org() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_current_account() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.account_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO qicai_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO qicai_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO qicai_app;
