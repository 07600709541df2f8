/**
 * The SQL of sponsorship. Every function takes the organization and filters
 * by it; row-level security is the second wall.
 */
import {
  auditLog,
  children,
  members,
  queryRows,
  sponsors,
  sponsorships,
  sponsorshipSupport,
  sponsorshipUpdates,
  sponsorshipVisits,
  sponsorshipVisitVolunteers,
  type AuditEntry,
  type Child,
  type ChildCircumstance,
  type ChildStatus,
  type Db,
  type Member,
  type Sponsor,
  type SponsorKind,
  type Sponsorship,
  type SponsorshipUpdate,
  type SupportRecord,
} from '@qicai/db';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  ilike,
  inArray,
  isNull,
  ne,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { SupportTotals } from '../../__generated__/resolvers.ts';
import type { VisitRecord } from './mappers.ts';

/** Escapes LIKE's wildcards so a search matches what was typed. */
function likeFragment(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

// Children

export type ChildValues = Omit<typeof children.$inferInsert, 'orgId' | 'id'>;

export async function insertChild(db: Db, orgId: string, values: ChildValues): Promise<Child> {
  const [child] = await db
    .insert(children)
    .values({ ...values, orgId })
    .returning();
  if (!child) throw new Error('insert returned no child');
  return child;
}

export async function findChild(db: Db, orgId: string, id: string): Promise<Child | undefined> {
  const [child] = await db
    .select()
    .from(children)
    .where(and(eq(children.orgId, orgId), eq(children.id, id)));
  return child;
}

/** The child, locked until the transaction ends: every change of a child's sponsorships takes this lock first. */
export async function lockChild(db: Db, orgId: string, id: string): Promise<Child | undefined> {
  const [child] = await db
    .select()
    .from(children)
    .where(and(eq(children.orgId, orgId), eq(children.id, id)))
    .for('update');
  return child;
}

export async function findChildrenByIds(db: Db, orgId: string, ids: string[]): Promise<Child[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(children)
    .where(and(eq(children.orgId, orgId), inArray(children.id, ids)));
}

export async function updateChild(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<ChildValues>,
): Promise<Child | undefined> {
  const [child] = await db
    .update(children)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(children.orgId, orgId), eq(children.id, id)))
    .returning();
  return child;
}

/** Erases every personal field of a child, leaving the tombstone the database's checks allow. */
export async function anonymizeChild(db: Db, orgId: string, id: string, now: Date): Promise<Child | undefined> {
  return updateChild(db, orgId, id, {
    status: 'ENDED',
    familyName: null,
    givenName: null,
    gender: null,
    dateOfBirth: null,
    township: null,
    village: null,
    school: null,
    grade: null,
    circumstances: null,
    circumstanceNote: null,
    needs: null,
    guardianName: null,
    guardianRelation: null,
    guardianPhone: null,
    deletedAt: now,
  });
}

export interface ChildFilter {
  status?: ChildStatus | null | undefined;
  circumstance?: ChildCircumstance | null | undefined;
  place?: string | null | undefined;
  includeDeleted?: boolean | null | undefined;
}

function childFilterCondition(orgId: string, filter: ChildFilter): SQL | undefined {
  const place = filter.place?.trim();
  return and(
    eq(children.orgId, orgId),
    filter.includeDeleted ? undefined : isNull(children.deletedAt),
    filter.status ? eq(children.status, filter.status) : undefined,
    filter.circumstance
      ? sql`${children.circumstances} @> array[${filter.circumstance}]::child_circumstance[]`
      : undefined,
    place ? or(ilike(children.township, likeFragment(place)), ilike(children.village, likeFragment(place))) : undefined,
  );
}

/** A page of the registry, newest first, after the cursor (created at, id). */
export async function pageChildren(
  db: Db,
  orgId: string,
  options: { filter: ChildFilter; limit: number; after: { createdAt: string; id: string } | undefined },
): Promise<Child[]> {
  const { filter, limit, after } = options;
  return db
    .select()
    .from(children)
    .where(
      and(
        childFilterCondition(orgId, filter),
        after
          ? sql`(${children.createdAt}, ${children.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(children.createdAt), desc(children.id))
    .limit(limit);
}

export async function countChildren(db: Db, orgId: string, filter: ChildFilter): Promise<number> {
  const [row] = await db.select({ children: count() }).from(children).where(childFilterCondition(orgId, filter));
  return row?.children ?? 0;
}

/** The children matching may consider: not deleted, in one of these statuses. */
export async function findMatchableChildren(db: Db, orgId: string, statuses: ChildStatus[]): Promise<Child[]> {
  return db
    .select()
    .from(children)
    .where(and(eq(children.orgId, orgId), isNull(children.deletedAt), inArray(children.status, statuses)))
    .orderBy(asc(children.waitingSince), asc(children.id));
}

// Sponsors

export type SponsorValues = Omit<typeof sponsors.$inferInsert, 'orgId' | 'id'>;

export async function insertSponsor(db: Db, orgId: string, values: SponsorValues): Promise<Sponsor> {
  const [sponsor] = await db
    .insert(sponsors)
    .values({ ...values, orgId })
    .returning();
  if (!sponsor) throw new Error('insert returned no sponsor');
  return sponsor;
}

export async function updateSponsor(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<SponsorValues>,
): Promise<Sponsor | undefined> {
  const [sponsor] = await db
    .update(sponsors)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(sponsors.orgId, orgId), eq(sponsors.id, id)))
    .returning();
  return sponsor;
}

export async function findSponsor(db: Db, orgId: string, id: string): Promise<Sponsor | undefined> {
  const [sponsor] = await db
    .select()
    .from(sponsors)
    .where(and(eq(sponsors.orgId, orgId), eq(sponsors.id, id)));
  return sponsor;
}

/** The sponsor, locked until the transaction ends (after the child's lock, never before). */
export async function lockSponsor(db: Db, orgId: string, id: string): Promise<Sponsor | undefined> {
  const [sponsor] = await db
    .select()
    .from(sponsors)
    .where(and(eq(sponsors.orgId, orgId), eq(sponsors.id, id)))
    .for('update');
  return sponsor;
}

export async function findSponsorsByIds(db: Db, orgId: string, ids: string[]): Promise<Sponsor[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(sponsors)
    .where(and(eq(sponsors.orgId, orgId), inArray(sponsors.id, ids)));
}

export async function findSponsorOfAccount(db: Db, orgId: string, accountId: string): Promise<Sponsor | undefined> {
  const [sponsor] = await db
    .select()
    .from(sponsors)
    .where(and(eq(sponsors.orgId, orgId), eq(sponsors.accountId, accountId)));
  return sponsor;
}

export async function findSponsorOfMember(db: Db, orgId: string, memberId: string): Promise<Sponsor | undefined> {
  const [sponsor] = await db
    .select()
    .from(sponsors)
    .where(and(eq(sponsors.orgId, orgId), eq(sponsors.memberId, memberId)));
  return sponsor;
}

/** The sponsor an unexpired invitation was made for, locked. */
export async function lockSponsorByInvitation(
  db: Db,
  orgId: string,
  codeHash: string,
  now: Date,
): Promise<Sponsor | undefined> {
  const [sponsor] = await db
    .select()
    .from(sponsors)
    .where(
      and(eq(sponsors.orgId, orgId), eq(sponsors.invitationCodeHash, codeHash), gt(sponsors.invitationExpiresAt, now)),
    )
    .for('update');
  return sponsor;
}

/** The organizations where an account is linked to a sponsor (visible through the own_sponsor_records policy). */
export async function findOrganizationIdsSponsoredByAccount(db: Db, accountId: string): Promise<string[]> {
  const rows = await db
    .select({ orgId: sponsors.orgId })
    .from(sponsors)
    .where(eq(sponsors.accountId, accountId))
    .orderBy(asc(sponsors.createdAt));
  return rows.map((row) => row.orgId);
}

export interface SponsorFilter {
  search?: string | null | undefined;
  kind?: SponsorKind | null | undefined;
  includeInactive?: boolean | null | undefined;
}

function sponsorFilterCondition(orgId: string, filter: SponsorFilter): SQL | undefined {
  const search = filter.search?.trim();
  return and(
    eq(sponsors.orgId, orgId),
    filter.includeInactive ? undefined : eq(sponsors.active, true),
    filter.kind ? eq(sponsors.kind, filter.kind) : undefined,
    search ? ilike(sponsors.name, likeFragment(search)) : undefined,
  );
}

export async function pageSponsors(
  db: Db,
  orgId: string,
  options: { filter: SponsorFilter; limit: number; after: { name: string; id: string } | undefined },
): Promise<Sponsor[]> {
  const { filter, limit, after } = options;
  return db
    .select()
    .from(sponsors)
    .where(
      and(
        sponsorFilterCondition(orgId, filter),
        after ? sql`(${sponsors.name}, ${sponsors.id}) > (${after.name}, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(asc(sponsors.name), asc(sponsors.id))
    .limit(limit);
}

export async function countSponsors(db: Db, orgId: string, filter: SponsorFilter): Promise<number> {
  const [row] = await db.select({ sponsors: count() }).from(sponsors).where(sponsorFilterCondition(orgId, filter));
  return row?.sponsors ?? 0;
}

export interface SponsorCounts {
  active: number;
  proposed: number;
}

/** Active sponsorships and open proposals of several sponsors, in one statement. */
export async function countSponsorshipsOfSponsors(
  db: Db,
  orgId: string,
  sponsorIds: string[],
): Promise<Map<string, SponsorCounts>> {
  if (sponsorIds.length === 0) return new Map();
  const rows = await db
    .select({
      sponsorId: sponsorships.sponsorId,
      active: sql<number>`count(*) filter (where ${sponsorships.status} = 'ACTIVE')`.mapWith(Number),
      proposed: sql<number>`count(*) filter (where ${sponsorships.status} = 'PROPOSED')`.mapWith(Number),
    })
    .from(sponsorships)
    .where(
      and(
        eq(sponsorships.orgId, orgId),
        inArray(sponsorships.sponsorId, sponsorIds),
        inArray(sponsorships.status, ['ACTIVE', 'PROPOSED']),
      ),
    )
    .groupBy(sponsorships.sponsorId);
  return new Map(rows.map((row) => [row.sponsorId, { active: row.active, proposed: row.proposed }]));
}

/** Every active sponsor with their counts: the candidates of matching. */
export async function findActiveSponsorsWithCounts(
  db: Db,
  orgId: string,
): Promise<{ sponsor: Sponsor; counts: SponsorCounts }[]> {
  const rows = await db
    .select({
      sponsor: sponsors,
      active: sql<number>`count(${sponsorships.id}) filter (where ${sponsorships.status} = 'ACTIVE')`.mapWith(Number),
      proposed: sql<number>`count(${sponsorships.id}) filter (where ${sponsorships.status} = 'PROPOSED')`.mapWith(
        Number,
      ),
    })
    .from(sponsors)
    .leftJoin(
      sponsorships,
      and(
        eq(sponsorships.orgId, sponsors.orgId),
        eq(sponsorships.sponsorId, sponsors.id),
        inArray(sponsorships.status, ['ACTIVE', 'PROPOSED']),
      ),
    )
    .where(and(eq(sponsors.orgId, orgId), eq(sponsors.active, true)))
    .groupBy(sponsors.orgId, sponsors.id)
    .orderBy(asc(sponsors.name), asc(sponsors.id));
  return rows.map(({ sponsor, active, proposed }) => ({ sponsor, counts: { active, proposed } }));
}

// Sponsorships

export async function insertSponsorship(
  db: Db,
  values: { orgId: string; childId: string; sponsorId: string; proposedBy: string },
): Promise<Sponsorship> {
  const [sponsorship] = await db.insert(sponsorships).values(values).returning();
  if (!sponsorship) throw new Error('insert returned no sponsorship');
  return sponsorship;
}

export async function findSponsorship(db: Db, orgId: string, id: string): Promise<Sponsorship | undefined> {
  const [sponsorship] = await db
    .select()
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, orgId), eq(sponsorships.id, id)));
  return sponsorship;
}

export async function findSponsorshipsByIds(db: Db, orgId: string, ids: string[]): Promise<Sponsorship[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, orgId), inArray(sponsorships.id, ids)));
}

export async function updateSponsorship(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<Omit<typeof sponsorships.$inferInsert, 'orgId' | 'id' | 'childId' | 'sponsorId'>>,
): Promise<Sponsorship | undefined> {
  const [sponsorship] = await db
    .update(sponsorships)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(sponsorships.orgId, orgId), eq(sponsorships.id, id)))
    .returning();
  return sponsorship;
}

/** Sponsorships of several children or sponsors, newest proposal first. */
export async function findSponsorshipsOf(
  db: Db,
  orgId: string,
  by: 'child' | 'sponsor',
  ids: string[],
): Promise<Sponsorship[]> {
  if (ids.length === 0) return [];
  const column = by === 'child' ? sponsorships.childId : sponsorships.sponsorId;
  return db
    .select()
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, orgId), inArray(column, ids)))
    .orderBy(desc(sponsorships.proposedAt), desc(sponsorships.id));
}

export async function findOpenProposals(db: Db, orgId: string): Promise<Sponsorship[]> {
  return db
    .select()
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, orgId), eq(sponsorships.status, 'PROPOSED')))
    .orderBy(asc(sponsorships.proposedAt), asc(sponsorships.id));
}

/** Lets every open proposal of a child lapse but one; returns the ids that lapsed. */
export async function lapseOpenProposalsOfChild(
  db: Db,
  orgId: string,
  childId: string,
  closedBy: string,
  except?: string,
): Promise<string[]> {
  const rows = await db
    .update(sponsorships)
    .set({ status: 'LAPSED', closedAt: sql`now()`, closedBy, updatedAt: sql`now()` })
    .where(
      and(
        eq(sponsorships.orgId, orgId),
        eq(sponsorships.childId, childId),
        eq(sponsorships.status, 'PROPOSED'),
        except ? ne(sponsorships.id, except) : undefined,
      ),
    )
    .returning({ id: sponsorships.id });
  return rows.map((row) => row.id);
}

export async function countSponsorshipsOfChild(
  db: Db,
  orgId: string,
  childId: string,
): Promise<{ active: number; proposed: number }> {
  const [row] = await db
    .select({
      active: sql<number>`count(*) filter (where ${sponsorships.status} = 'ACTIVE')`.mapWith(Number),
      proposed: sql<number>`count(*) filter (where ${sponsorships.status} = 'PROPOSED')`.mapWith(Number),
    })
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, orgId), eq(sponsorships.childId, childId)));
  return { active: row?.active ?? 0, proposed: row?.proposed ?? 0 };
}

/** Pairs that were tried before (`sponsorId:childId`): a proposal that lapsed or a sponsorship that ended. */
export async function findPastPairs(db: Db, orgId: string): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ sponsorId: sponsorships.sponsorId, childId: sponsorships.childId })
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, orgId), inArray(sponsorships.status, ['LAPSED', 'ENDED'])));
  return new Set(rows.map((row) => `${row.sponsorId}:${row.childId}`));
}

/** The active sponsorships of a sponsor with the children's rows. */
export async function findActiveSponsorshipsOfSponsor(
  db: Db,
  orgId: string,
  sponsorId: string,
): Promise<{ sponsorship: Sponsorship; child: Child }[]> {
  return db
    .select({ sponsorship: sponsorships, child: children })
    .from(sponsorships)
    .innerJoin(children, and(eq(children.orgId, sponsorships.orgId), eq(children.id, sponsorships.childId)))
    .where(and(eq(sponsorships.orgId, orgId), eq(sponsorships.sponsorId, sponsorId), eq(sponsorships.status, 'ACTIVE')))
    .orderBy(asc(sponsorships.confirmedAt), asc(sponsorships.id));
}

// Support, visits and updates

export async function insertSupport(db: Db, values: typeof sponsorshipSupport.$inferInsert): Promise<SupportRecord> {
  const [record] = await db.insert(sponsorshipSupport).values(values).returning();
  if (!record) throw new Error('insert returned no support record');
  return record;
}

export async function insertVisit(
  db: Db,
  values: typeof sponsorshipVisits.$inferInsert,
  volunteerIds: string[],
): Promise<VisitRecord> {
  const [visit] = await db.insert(sponsorshipVisits).values(values).returning();
  if (!visit) throw new Error('insert returned no visit');
  await db
    .insert(sponsorshipVisitVolunteers)
    .values(volunteerIds.map((memberId) => ({ orgId: visit.orgId, visitId: visit.id, memberId })));
  const [owner] = await db
    .select({ childId: sponsorships.childId })
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, visit.orgId), eq(sponsorships.id, visit.sponsorshipId)));
  if (!owner) throw new Error('visit without sponsorship');
  return { ...visit, childId: owner.childId };
}

export async function insertUpdate(db: Db, values: typeof sponsorshipUpdates.$inferInsert): Promise<SponsorshipUpdate> {
  const [update] = await db.insert(sponsorshipUpdates).values(values).returning();
  if (!update) throw new Error('insert returned no update');
  return update;
}

export async function findSupportOfSponsorships(
  db: Db,
  orgId: string,
  sponsorshipIds: string[],
): Promise<SupportRecord[]> {
  if (sponsorshipIds.length === 0) return [];
  return db
    .select()
    .from(sponsorshipSupport)
    .where(and(eq(sponsorshipSupport.orgId, orgId), inArray(sponsorshipSupport.sponsorshipId, sponsorshipIds)))
    .orderBy(desc(sponsorshipSupport.givenOn), desc(sponsorshipSupport.recordedAt));
}

export async function findVisitsOfSponsorships(
  db: Db,
  orgId: string,
  sponsorshipIds: string[],
): Promise<VisitRecord[]> {
  if (sponsorshipIds.length === 0) return [];
  return db
    .select({ ...getTableColumns(sponsorshipVisits), childId: sponsorships.childId })
    .from(sponsorshipVisits)
    .innerJoin(
      sponsorships,
      and(eq(sponsorships.orgId, sponsorshipVisits.orgId), eq(sponsorships.id, sponsorshipVisits.sponsorshipId)),
    )
    .where(and(eq(sponsorshipVisits.orgId, orgId), inArray(sponsorshipVisits.sponsorshipId, sponsorshipIds)))
    .orderBy(desc(sponsorshipVisits.visitedOn), desc(sponsorshipVisits.recordedAt));
}

export async function findUpdatesOfSponsorships(
  db: Db,
  orgId: string,
  sponsorshipIds: string[],
): Promise<SponsorshipUpdate[]> {
  if (sponsorshipIds.length === 0) return [];
  return db
    .select()
    .from(sponsorshipUpdates)
    .where(and(eq(sponsorshipUpdates.orgId, orgId), inArray(sponsorshipUpdates.sponsorshipId, sponsorshipIds)))
    .orderBy(desc(sponsorshipUpdates.postedOn), desc(sponsorshipUpdates.postedAt));
}

export async function findVolunteersOfVisits(
  db: Db,
  orgId: string,
  visitIds: string[],
): Promise<(Member & { visitId: string })[]> {
  if (visitIds.length === 0) return [];
  return db
    .select({ ...getTableColumns(members), visitId: sponsorshipVisitVolunteers.visitId })
    .from(sponsorshipVisitVolunteers)
    .innerJoin(
      members,
      and(eq(members.orgId, sponsorshipVisitVolunteers.orgId), eq(members.id, sponsorshipVisitVolunteers.memberId)),
    )
    .where(and(eq(sponsorshipVisitVolunteers.orgId, orgId), inArray(sponsorshipVisitVolunteers.visitId, visitIds)))
    .orderBy(asc(members.displayName), asc(members.id));
}

/** Support and visits summed per sponsorship, child or sponsor, in one statement. */
export async function totalsBy(
  db: Db,
  orgId: string,
  by: 'sponsorship' | 'child' | 'sponsor',
  ids: string[],
): Promise<Map<string, SupportTotals>> {
  if (ids.length === 0) return new Map();
  const key = sql.raw(by === 'sponsorship' ? 'sp.id' : by === 'child' ? 'sp.child_id' : 'sp.sponsor_id');
  const rows = await queryRows<{
    key: string;
    money: number;
    goods: number;
    goods_value: number;
    visits: number;
    last_support_on: string | null;
  }>(
    db,
    sql`
    select key, sum(money)::int as money, sum(goods)::int as goods, sum(goods_value)::int as goods_value,
           sum(visits)::int as visits, max(given_on)::text as last_support_on
    from (
      select ${key} as key,
             case when su.kind = 'MONEY' then su.amount_fen else 0 end as money,
             case when su.kind = 'GOODS' then 1 else 0 end as goods,
             case when su.kind = 'GOODS' then coalesce(su.amount_fen, 0) else 0 end as goods_value,
             0 as visits, su.given_on
      from sponsorship_support su
      join sponsorships sp on sp.org_id = su.org_id and sp.id = su.sponsorship_id
      where su.org_id = ${orgId} and ${key} in ${ids}
      union all
      select ${key}, 0, 0, 0, 1, null
      from sponsorship_visits v
      join sponsorships sp on sp.org_id = v.org_id and sp.id = v.sponsorship_id
      where v.org_id = ${orgId} and ${key} in ${ids}
    ) entries
    group by key`,
  );
  return new Map(
    rows.map((row) => [
      row.key,
      {
        moneyFen: row.money,
        goodsCount: row.goods,
        goodsValueFen: row.goods_value,
        visitCount: row.visits,
        lastSupportOn: row.last_support_on,
      },
    ]),
  );
}

/** What deleting a child erases beyond the child's row: free text about the child in its sponsorships. */
export async function eraseTextsAboutChild(db: Db, orgId: string, childId: string): Promise<void> {
  const ofChild = db
    .select({ id: sponsorships.id })
    .from(sponsorships)
    .where(and(eq(sponsorships.orgId, orgId), eq(sponsorships.childId, childId)));
  await db
    .delete(sponsorshipUpdates)
    .where(and(eq(sponsorshipUpdates.orgId, orgId), inArray(sponsorshipUpdates.sponsorshipId, ofChild)));
  await db
    .update(sponsorshipVisits)
    .set({ notes: null })
    .where(and(eq(sponsorshipVisits.orgId, orgId), inArray(sponsorshipVisits.sponsorshipId, ofChild)));
  await db
    .update(sponsorshipSupport)
    .set({ description: null })
    .where(and(eq(sponsorshipSupport.orgId, orgId), inArray(sponsorshipSupport.sponsorshipId, ofChild)));
  await db
    .update(sponsorships)
    .set({ endNote: null })
    .where(and(eq(sponsorships.orgId, orgId), eq(sponsorships.childId, childId)));
}

// The audit log and the organization's figures

export async function insertAuditEntries(db: Db, entries: (typeof auditLog.$inferInsert)[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(entries);
}

/** The newest entries about each of several children, `limit` each, in one statement. */
export async function findAuditTrails(db: Db, orgId: string, childIds: string[], limit: number): Promise<AuditEntry[]> {
  if (childIds.length === 0) return [];
  const ranked = db
    .select({
      ...getTableColumns(auditLog),
      position:
        sql<number>`row_number() over (partition by ${auditLog.subjectId} order by ${auditLog.at} desc, ${auditLog.id} desc)`.as(
          'position',
        ),
    })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.subjectType, 'child'), inArray(auditLog.subjectId, childIds)))
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(sql`${ranked.position} <= ${limit}`)
    .orderBy(asc(ranked.subjectId), asc(ranked.position));
  return rows.map(({ position: _position, ...entry }) => entry);
}

export async function sponsorshipCounts(
  db: Db,
  orgId: string,
): Promise<{
  waitingChildren: number;
  proposedChildren: number;
  sponsoredChildren: number;
  activeSponsors: number;
  supportMoneyFen: number;
  supportGoodsCount: number;
}> {
  const [row] = await queryRows<{
    waiting: number;
    proposed: number;
    sponsored: number;
    sponsors: number;
    money: number;
    goods: number;
  }>(
    db,
    sql`
    select
      (select count(*)::int from children where org_id = ${orgId} and deleted_at is null and status = 'WAITING') as waiting,
      (select count(*)::int from children where org_id = ${orgId} and deleted_at is null and status = 'PROPOSED') as proposed,
      (select count(*)::int from children where org_id = ${orgId} and status = 'SPONSORED') as sponsored,
      (select count(distinct sponsor_id)::int from sponsorships where org_id = ${orgId} and status = 'ACTIVE') as sponsors,
      (select coalesce(sum(amount_fen), 0)::int from sponsorship_support where org_id = ${orgId} and kind = 'MONEY') as money,
      (select count(*)::int from sponsorship_support where org_id = ${orgId} and kind = 'GOODS') as goods`,
  );
  return {
    waitingChildren: row?.waiting ?? 0,
    proposedChildren: row?.proposed ?? 0,
    sponsoredChildren: row?.sponsored ?? 0,
    activeSponsors: row?.sponsors ?? 0,
    supportMoneyFen: row?.money ?? 0,
    supportGoodsCount: row?.goods ?? 0,
  };
}
