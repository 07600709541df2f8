import { sql } from 'drizzle-orm';
import { queryRows, type Db } from './client.ts';
import { withTenant } from './tenant.ts';

/**
 * Why row-level security would not apply to application queries, or null
 * when it does. Asked as the application queries are: inside a transaction
 * that has switched to the application role. A superuser, a role with
 * BYPASSRLS skip the policies; a table's owner (or a member of the owning
 * role) skips them unless the table forces them, and may turn that off or
 * drop them. Nothing else would notice: every tenant would then see every
 * row the `org_id` filters let through. The application role owns nothing.
 */
export async function rowLevelSecurityProblem(db: Db): Promise<string | null> {
  const [role] = await withTenant(db, { orgId: null, accountId: null }, (tx) =>
    queryRows<{ name: string; superuser: boolean; bypassRls: boolean; ownedTables: string[] }>(
      tx,
      sql`select r.rolname as "name", r.rolsuper as "superuser", r.rolbypassrls as "bypassRls",
            array(select c.relname::text from pg_class c
                  where c.relkind in ('r', 'p') and c.relnamespace = 'public'::regnamespace and pg_has_role(current_user, c.relowner, 'USAGE')
                  order by c.relname) as "ownedTables"
          from pg_roles r where r.rolname = current_user`,
    ),
  );
  if (!role) return 'The role application queries run as was not found in pg_roles.';
  const reasons = [
    role.superuser ? 'is a superuser' : null,
    role.bypassRls ? 'has BYPASSRLS' : null,
    role.ownedTables.length > 0 ? `owns (or is a member of the owner of) ${role.ownedTables.join(', ')}` : null,
  ].filter((reason) => reason !== null);
  if (reasons.length === 0) return null;
  return (
    `Refusing to serve: the database role application queries run as, ${role.name}, ${reasons.join('; ')}, ` +
    `so row-level security would not apply. Make it a plain role (ALTER ROLE ${role.name} NOSUPERUSER NOBYPASSRLS; ` +
    `REVOKE the owning role from it) and let the role that migrates own the tables.`
  );
}
