import { members, organizations, type Db, type Member, type Organization } from '@qicai/db';
import { and, asc, count, eq, ilike, inArray, sql } from 'drizzle-orm';

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

/** Escapes LIKE's wildcards so a search matches what was typed. */
function likeFragment(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Active members by name, `limit` of them after the cursor (name, id). */
export async function pageActiveMembers(
  db: Db,
  orgId: string,
  options: { limit: number; after: { displayName: string; id: string } | undefined; search: string | undefined },
): Promise<Member[]> {
  const { limit, after, search } = options;
  return db
    .select()
    .from(members)
    .where(
      and(
        eq(members.orgId, orgId),
        eq(members.active, true),
        search ? ilike(members.displayName, likeFragment(search)) : undefined,
        after ? sql`(${members.displayName}, ${members.id}) > (${after.displayName}, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(members.displayName), asc(members.id))
    .limit(limit);
}
