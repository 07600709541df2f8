import { members, organizations, type Db, type Organization } from '@qicai/db';
import { and, count, eq, inArray } from 'drizzle-orm';

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
