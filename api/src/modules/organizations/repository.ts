import { members, organizations, queryRows, type Db, type Organization } from '@qicai/db';
import { and, count, eq, inArray, sql } from 'drizzle-orm';

export async function findOrganizationBySlug(db: Db, slug: string): Promise<Organization | undefined> {
  const [organization] = await db.select().from(organizations).where(eq(organizations.slug, slug));
  return organization;
}

export async function findOrganizationsByIds(db: Db, ids: string[]): Promise<Organization[]> {
  return db.select().from(organizations).where(inArray(organizations.id, ids));
}

export async function insertOrganization(
  db: Db,
  values: Pick<Organization, 'id' | 'slug' | 'name' | 'timeZone' | 'defaultLocale'>,
): Promise<Organization> {
  const [organization] = await db.insert(organizations).values(values).returning();
  if (!organization) throw new Error('insert returned no organization');
  return organization;
}

export async function countActiveMembers(db: Db, orgIds: string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ orgId: members.orgId, members: count() })
    .from(members)
    .where(and(inArray(members.orgId, orgIds), eq(members.active, true)))
    .groupBy(members.orgId);
  return new Map(rows.map((row) => [row.orgId, row.members]));
}

export type OnboardingRow = {
  roster_imported: boolean;
  teams: number;
  teams_with_lead: number;
  activity_scheduled: boolean;
  display_token_made: boolean;
};

/**
 * The first steps of an association (onboarding.ts), read from the data of
 * the domains they belong to in one statement: each an EXISTS or a count over
 * an index on org_id, whatever the association's size.
 */
export async function readOnboarding(db: Db, orgId: string): Promise<OnboardingRow> {
  const [row] = await queryRows<OnboardingRow>(
    db,
    sql`select
      exists (select 1 from roster_imports r where r.org_id = ${orgId} and r.status = 'APPLIED')
        or exists (select 1 from members m where m.org_id = ${orgId} and m.active and m.role <> 'ADMIN')
        as roster_imported,
      (select count(*)::int from teams t where t.org_id = ${orgId}) as teams,
      (select count(distinct tm.team_id)::int from team_memberships tm
        join members m on m.org_id = tm.org_id and m.id = tm.member_id and m.active
        where tm.org_id = ${orgId} and tm.is_lead) as teams_with_lead,
      exists (select 1 from activities a where a.org_id = ${orgId} and a.status in ('PUBLISHED', 'COMPLETED'))
        as activity_scheduled,
      exists (select 1 from display_tokens d where d.org_id = ${orgId}) as display_token_made`,
  );
  if (!row) throw new Error('no onboarding row');
  return row;
}
