import {
  accounts,
  invitations,
  joinRequests,
  members,
  memberSearchBacklog,
  memberSearchGrams,
  organizations,
  serviceHoursMemberYear,
  teamMemberships,
  type Account,
  type Db,
  type Invitation,
  type JoinRequest,
  type JoinRequestStatus,
  type Member,
  type Organization,
  type PartyStage,
  type PoliticalStatus,
  type MemberRole,
} from '@qicai/db';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  gt,
  inArray,
  isNull,
  ne,
  sql,
  type AnyColumn,
  type SQL,
} from 'drizzle-orm';
import { isAnyOf } from '../../shared/sql.ts';

export async function findMember(db: Db, orgId: string, id: string): Promise<Member | undefined> {
  const [member] = await db
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.id, id)));
  return member;
}

export async function findMemberByPhone(db: Db, orgId: string, phone: string): Promise<Member | undefined> {
  const [member] = await db
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.phone, phone)));
  return member;
}

export type MemberValues = Omit<typeof members.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type MemberChanges = Partial<
  Pick<
    Member,
    | 'displayName'
    | 'phone'
    | 'email'
    | 'gender'
    | 'politicalStatus'
    | 'partyStage'
    | 'workUnit'
    | 'skills'
    | 'joinedOn'
    | 'role'
    | 'active'
  > & { accountId: string }
>;

export async function insertMember(db: Db, values: MemberValues): Promise<Member> {
  const [member] = await db.insert(members).values(values).returning();
  if (!member) throw new Error('insert returned no member');
  return member;
}

export async function updateMember(db: Db, orgId: string, id: string, changes: MemberChanges): Promise<Member> {
  const [member] = await db
    .update(members)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(members.orgId, orgId), eq(members.id, id)))
    .returning();
  if (!member) throw new Error('update found no member');
  return member;
}

/**
 * Serialises the changes that could leave an organization without an admin
 * (demoting, deactivating): each takes this lock on the organization's row
 * first, then counts. NO KEY UPDATE, so inserts that reference the
 * organization (their foreign key check takes KEY SHARE) are not held up.
 */
export async function lockOrganizationAdmins(db: Db, orgId: string): Promise<void> {
  await db.execute(sql`select 1 from ${organizations} where ${organizations.id} = ${orgId} for no key update`);
}

/** Active admins left in the organization (after a bulk change, in its transaction). */
export async function countAllActiveAdmins(db: Db, orgId: string): Promise<number> {
  const [row] = await db
    .select({ admins: count() })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.role, 'ADMIN'), eq(members.active, true)));
  return row?.admins ?? 0;
}

export async function countActiveAdmins(db: Db, orgId: string, exceptMemberId: string): Promise<number> {
  const [row] = await db
    .select({ admins: count() })
    .from(members)
    .where(
      and(
        eq(members.orgId, orgId),
        eq(members.role, 'ADMIN'),
        eq(members.active, true),
        sql`${members.id} <> ${exceptMemberId}::uuid`,
      ),
    );
  return row?.admins ?? 0;
}

export type RosterSort =
  | 'NAME'
  | 'NAME_DESC'
  | 'JOINED_NEWEST'
  | 'JOINED_OLDEST'
  | 'WORK_UNIT'
  | 'WORK_UNIT_DESC'
  | 'HOURS_THIS_YEAR'
  | 'HOURS_THIS_YEAR_DESC';
export type RosterStatus = 'ACTIVE' | 'INACTIVE' | 'ALL';

export interface RosterQuery {
  status: RosterStatus;
  teamId?: string | undefined;
  politicalStatus?: PoliticalStatus | undefined;
  partyStage?: PartyStage | undefined;
  role?: MemberRole | undefined;
  /** An exact skill tag. */
  skill?: string | undefined;
  /** Only these members (a selection). */
  ids?: string[] | undefined;
  /** Text matched anywhere in the name, or (when `searchAll`) also the phone, work unit and skills. */
  search?: string | undefined;
  searchAll: boolean;
  sort: RosterSort;
  /** The organization's calendar year (its time zone): the year "hours this year" sorts by. */
  year: number;
}

/** Escapes LIKE's wildcards so a search matches what was typed. */
function likeFragment(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * What a search looks for: a number typed with spaces or dashes as its digits,
 * anything else lower-cased (the search text is lower-cased).
 */
function searchTerm(search: string): string {
  return /^[\d\s-]+$/.test(search) ? search.replace(/[\s-]/g, '') : search.toLowerCase();
}

/** Neither ASCII nor a space: what member_search_grams holds (migration 0019). */
const indexedCharacter = (character: string) => (character.codePointAt(0) ?? 0) > 0x7f;

/**
 * What a search term's match must have in member_search_grams: the character
 * (for one) or every pair of neighbouring characters (for more) without ASCII.
 * Empty when the term has none (digits, Latin): the search then reads every member.
 */
function searchGrams(term: string): string[] {
  const characters = Array.from(term);
  if (characters.length === 1) return characters.filter(indexedCharacter);
  const pairs = characters
    .slice(1)
    .flatMap((character, index) =>
      indexedCharacter(character) && indexedCharacter(characters[index] ?? '')
        ? [`${characters[index]}${character}`]
        : [],
    );
  return [...new Set(pairs)];
}

function rosterConditions(orgId: string, query: RosterQuery): SQL | undefined {
  const term = query.search ? searchTerm(query.search) : undefined;
  const pattern = term ? likeFragment(term) : undefined;
  const grams = term ? searchGrams(term) : [];
  // Implied by either LIKE below (the name is part of the search text); looked up in the
  // grams' primary key, which row-level security lets the planner use (equality is leakproof).
  // Members whose grams an import has yet to write (the backlog, migration 0026) are
  // candidates too, for the LIKE to decide: found the same, just seconds after an import.
  const indexed =
    grams.length > 0
      ? sql`${members.id} in (select g.member_id from ${memberSearchGrams} g where g.org_id = ${orgId}::uuid
          and g.gram in (${sql.join(
            grams.map((gram) => sql`${gram}`),
            sql`, `,
          )}) group by g.member_id having count(*) = ${grams.length}
          union all select b.member_id from ${memberSearchBacklog} b where b.org_id = ${orgId}::uuid)`
      : undefined;
  return and(
    eq(members.orgId, orgId),
    query.status === 'ALL' ? undefined : eq(members.active, query.status === 'ACTIVE'),
    query.politicalStatus ? eq(members.politicalStatus, query.politicalStatus) : undefined,
    query.partyStage ? eq(members.partyStage, query.partyStage) : undefined,
    query.role ? eq(members.role, query.role) : undefined,
    query.skill ? sql`${members.skills} @> array[${query.skill}]::text[]` : undefined,
    query.ids ? inArray(members.id, query.ids) : undefined,
    query.teamId
      ? sql`exists (select 1 from ${teamMemberships} where ${teamMemberships.orgId} = ${members.orgId} and ${teamMemberships.memberId} = ${members.id} and ${teamMemberships.teamId} = ${query.teamId}::uuid)`
      : undefined,
    indexed,
    pattern
      ? query.searchAll
        ? // members.search_text: name, phone, work unit and skills, lower-cased (migration 0005).
          sql`"members"."search_text" like ${pattern}`
        : sql`lower(${members.displayName}) like ${pattern}`
      : undefined,
  );
}

/** A work unit as the roster orders it: members without one sort as '' (first, ascending). */
const workUnitKey = sql`coalesce(${members.workUnit}, '')`;

/**
 * Approved minutes in the year, from the hours module's yearly rollup
 * (service_hours_member_year, kept in each approval's transaction), joined by
 * its primary key: a county's 31,000 members sort by it in one hash join, not
 * by summing their records. Members without service this year have 0.
 */
const yearMinutesKey = sql`coalesce(${serviceHoursMemberYear.minutes}, 0)`;

interface RosterOrder {
  key: SQL | AnyColumn;
  descending: boolean;
  /** How a cursor's key (text) is read back for the keyset comparison. */
  keyType: 'text' | 'date' | 'bigint';
}

function orderOf(sort: RosterSort): RosterOrder {
  switch (sort) {
    case 'WORK_UNIT':
      return { key: workUnitKey, descending: false, keyType: 'text' };
    case 'WORK_UNIT_DESC':
      return { key: workUnitKey, descending: true, keyType: 'text' };
    case 'NAME':
      return { key: members.displayName, descending: false, keyType: 'text' };
    case 'NAME_DESC':
      return { key: members.displayName, descending: true, keyType: 'text' };
    case 'JOINED_NEWEST':
      return { key: members.joinedOn, descending: true, keyType: 'date' };
    case 'JOINED_OLDEST':
      return { key: members.joinedOn, descending: false, keyType: 'date' };
    case 'HOURS_THIS_YEAR':
      return { key: yearMinutesKey, descending: false, keyType: 'bigint' };
    case 'HOURS_THIS_YEAR_DESC':
      return { key: yearMinutesKey, descending: true, keyType: 'bigint' };
  }
}

/** The year's rollup row of each member, when the order needs it (else a join that matches nothing is not made). */
const yearRollup = (orgId: string, query: RosterQuery) =>
  and(
    eq(serviceHoursMemberYear.orgId, orgId),
    eq(serviceHoursMemberYear.orgId, members.orgId),
    eq(serviceHoursMemberYear.memberId, members.id),
    eq(serviceHoursMemberYear.year, query.year),
  );

const needsYearRollup = (sort: RosterSort) => sort === 'HOURS_THIS_YEAR' || sort === 'HOURS_THIS_YEAR_DESC';

/** A member on a roster page, with the sort key its cursor holds. */
export type RosterRow = Member & { sortKey: string };

/** A page of the roster in keyset order: `limit` members after (key, id). */
export async function pageRoster(
  db: Db,
  orgId: string,
  query: RosterQuery,
  options: { limit: number; after: { key: string; id: string } | undefined },
): Promise<RosterRow[]> {
  const { key, descending, keyType } = orderOf(query.sort);
  const { after } = options;
  const keyText =
    keyType === 'date'
      ? sql`${after?.key}::date`
      : keyType === 'bigint'
        ? sql`${after?.key}::bigint`
        : sql`${after?.key}`;
  const afterCondition = after
    ? descending
      ? sql`(${key}, ${members.id}) < (${keyText}, ${after.id}::uuid)`
      : sql`(${key}, ${members.id}) > (${keyText}, ${after.id}::uuid)`
    : undefined;
  const direction = descending ? desc : asc;
  const columns = { ...getTableColumns(members), sortKey: sql<string>`(${key})::text` };
  const where = and(rosterConditions(orgId, query), afterCondition);
  const page = db.select(columns).from(members).$dynamic();
  const joined = needsYearRollup(query.sort) ? page.leftJoin(serviceHoursMemberYear, yearRollup(orgId, query)) : page;
  return joined.where(where).orderBy(direction(key), direction(members.id)).limit(options.limit);
}

export async function countRoster(db: Db, orgId: string, query: RosterQuery): Promise<number> {
  const [row] = await db.select({ members: count() }).from(members).where(rosterConditions(orgId, query));
  return row?.members ?? 0;
}

export interface RosterEntry extends Member {
  /** Every team the member is in, in colour order. */
  teamIds: string[];
}

/** The whole roster for a query (an export), each member with their teams, in one statement. */
export async function listRosterWithTeams(db: Db, orgId: string, query: RosterQuery): Promise<RosterEntry[]> {
  const { key, descending } = orderOf(query.sort);
  const direction = descending ? desc : asc;
  // Spelled out: in a select list drizzle writes columns without their table, which a subquery would misread.
  const teamIds = sql<string[]>`coalesce((
      select array_agg(tm.team_id order by t.colour)
      from team_memberships tm join teams t on t.org_id = tm.org_id and t.id = tm.team_id
      where tm.org_id = "members"."org_id" and tm.member_id = "members"."id"
    ), '{}')`;
  const roster = db
    .select({ ...getTableColumns(members), teamIds })
    .from(members)
    .$dynamic();
  const joined = needsYearRollup(query.sort)
    ? roster.leftJoin(serviceHoursMemberYear, yearRollup(orgId, query))
    : roster;
  return joined.where(rosterConditions(orgId, query)).orderBy(direction(key), direction(members.id));
}

export interface ImportMatch {
  id: string;
  phone: string;
  displayName: string;
  email: string | null;
  gender: Member['gender'];
  politicalStatus: PoliticalStatus;
  partyStage: PartyStage | null;
  workUnit: string | null;
  skills: string[];
  joinedOn: string;
  teamIds: string[];
  ledTeamIds: string[];
}

/** The members who have these phone numbers, with their teams: what an import compares its rows with. */
export async function findMembersByPhones(db: Db, orgId: string, phones: string[]): Promise<ImportMatch[]> {
  if (phones.length === 0) return [];
  const rows = await db
    .select({
      id: members.id,
      phone: members.phone,
      displayName: members.displayName,
      email: members.email,
      gender: members.gender,
      politicalStatus: members.politicalStatus,
      partyStage: members.partyStage,
      workUnit: members.workUnit,
      skills: members.skills,
      joinedOn: members.joinedOn,
      teamIds: sql<
        string[]
      >`coalesce(array_agg(${teamMemberships.teamId}) filter (where ${teamMemberships.teamId} is not null), '{}')`,
      ledTeamIds: sql<
        string[]
      >`coalesce(array_agg(${teamMemberships.teamId}) filter (where ${teamMemberships.isLead}), '{}')`,
    })
    .from(members)
    .leftJoin(teamMemberships, and(eq(teamMemberships.orgId, members.orgId), eq(teamMemberships.memberId, members.id)))
    .where(and(eq(members.orgId, orgId), sql`${members.phone} = any(${sql.param(phones)}::text[])`))
    .groupBy(members.orgId, members.id);
  return rows.flatMap((row) => (row.phone ? [{ ...row, phone: row.phone }] : []));
}

/** Adds many members at once (an import); returns their ids in the order given. */
export async function insertMembers(db: Db, values: MemberValues[]): Promise<string[]> {
  if (values.length === 0) return [];
  const rows = await db.insert(members).values(values).returning({ id: members.id });
  return rows.map((row) => row.id);
}

/** Skills in use in the organization, most used first. */
export async function findSkillsInUse(db: Db, orgId: string, limit: number): Promise<string[]> {
  const skill = sql<string>`unnest(${members.skills})`;
  const rows = await db
    .select({ skill: skill.as('skill'), uses: count() })
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.active, true)))
    .groupBy(sql`1`)
    .orderBy(desc(count()), asc(sql`1`))
    .limit(limit);
  return rows.map((row) => row.skill);
}

// Joining: invitations and requests to join.

export async function insertInvitation(db: Db, values: typeof invitations.$inferInsert): Promise<Invitation> {
  const [invitation] = await db.insert(invitations).values(values).returning();
  if (!invitation) throw new Error('insert returned no invitation');
  return invitation;
}

export async function findInvitations(db: Db, orgId: string, limit: number): Promise<Invitation[]> {
  return db
    .select()
    .from(invitations)
    .where(eq(invitations.orgId, orgId))
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(limit);
}

/** The invitation with this token hash; visible (through its policy) only in a transaction that named the hash. */
export async function findInvitationByTokenHash(db: Db, tokenHash: string): Promise<Invitation | undefined> {
  await db.execute(sql`select set_config('app.invitation_token_hash', ${tokenHash}, true)`);
  const [invitation] = await db.select().from(invitations).where(eq(invitations.tokenHash, tokenHash));
  return invitation;
}

/** Uses an invitation up, if it still can be: once only, before it expires, unless revoked. */
export async function claimInvitation(
  db: Db,
  orgId: string,
  id: string,
  accountId: string,
  now: Date,
): Promise<Invitation | undefined> {
  const [invitation] = await db
    .update(invitations)
    .set({ acceptedAt: sql`now()`, acceptedAccountId: accountId })
    .where(
      and(
        eq(invitations.orgId, orgId),
        eq(invitations.id, id),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, now),
      ),
    )
    .returning();
  return invitation;
}

export async function revokeInvitation(db: Db, orgId: string, id: string): Promise<Invitation | undefined> {
  const [invitation] = await db
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(invitations.orgId, orgId),
        eq(invitations.id, id),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
      ),
    )
    .returning();
  return invitation;
}

export async function findInvitation(db: Db, orgId: string, id: string): Promise<Invitation | undefined> {
  const [invitation] = await db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id)));
  return invitation;
}

export async function findMemberOfAccount(db: Db, orgId: string, accountId: string): Promise<Member | undefined> {
  const [member] = await db
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), eq(members.accountId, accountId)));
  return member;
}

export async function insertJoinRequest(
  db: Db,
  values: { orgId: string; accountId: string; message: string },
): Promise<JoinRequest | undefined> {
  const [request] = await db
    .insert(joinRequests)
    .values(values)
    .onConflictDoNothing({
      target: [joinRequests.orgId, joinRequests.accountId],
      where: sql`status = 'PENDING'`,
    })
    .returning();
  return request;
}

export async function findJoinRequests(
  db: Db,
  orgId: string,
  status: JoinRequestStatus,
  limit: number,
): Promise<JoinRequest[]> {
  return db
    .select()
    .from(joinRequests)
    .where(and(eq(joinRequests.orgId, orgId), eq(joinRequests.status, status)))
    .orderBy(status === 'PENDING' ? asc(joinRequests.createdAt) : desc(joinRequests.decidedAt), asc(joinRequests.id))
    .limit(limit);
}

export async function countPendingJoinRequests(db: Db, orgId: string): Promise<number> {
  const [row] = await db
    .select({ requests: count() })
    .from(joinRequests)
    .where(and(eq(joinRequests.orgId, orgId), eq(joinRequests.status, 'PENDING')));
  return row?.requests ?? 0;
}

/** The viewer's latest request to join this organization. */
export async function findLatestJoinRequestOf(
  db: Db,
  orgId: string,
  accountId: string,
): Promise<JoinRequest | undefined> {
  const [request] = await db
    .select()
    .from(joinRequests)
    .where(and(eq(joinRequests.orgId, orgId), eq(joinRequests.accountId, accountId)))
    .orderBy(desc(joinRequests.createdAt))
    .limit(1);
  return request;
}

/** Decides a pending request, once: a second decision (or a concurrent one) finds nothing to update. */
export async function decideJoinRequest(
  db: Db,
  orgId: string,
  id: string,
  decision: { status: 'APPROVED' | 'DECLINED'; decidedByMemberId: string },
): Promise<JoinRequest | undefined> {
  const [request] = await db
    .update(joinRequests)
    .set({ ...decision, decidedAt: sql`now()` })
    .where(and(eq(joinRequests.orgId, orgId), eq(joinRequests.id, id), eq(joinRequests.status, 'PENDING')))
    .returning();
  return request;
}

export async function setJoinRequestMember(db: Db, orgId: string, id: string, memberId: string): Promise<JoinRequest> {
  const [request] = await db
    .update(joinRequests)
    .set({ memberId })
    .where(and(eq(joinRequests.orgId, orgId), eq(joinRequests.id, id)))
    .returning();
  if (!request) throw new Error('join request vanished');
  return request;
}

export async function findJoinRequest(db: Db, orgId: string, id: string): Promise<JoinRequest | undefined> {
  const [request] = await db
    .select()
    .from(joinRequests)
    .where(and(eq(joinRequests.orgId, orgId), eq(joinRequests.id, id)));
  return request;
}

/** Sets a role or the active flag on those of the members it changes; returns them as they were. */
async function updateMembersWhere(
  db: Db,
  orgId: string,
  memberIds: string[],
  changes: Pick<MemberChanges, 'role' | 'active'>,
  changing: SQL,
): Promise<Pick<Member, 'id' | 'role'>[]> {
  if (memberIds.length === 0) return [];
  const before = await db
    .select({ id: members.id, role: members.role })
    .from(members)
    .where(and(eq(members.orgId, orgId), inArray(members.id, memberIds), changing))
    .for('update');
  if (before.length === 0) return [];
  await db
    .update(members)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(
      and(
        eq(members.orgId, orgId),
        inArray(
          members.id,
          before.map((row) => row.id),
        ),
      ),
    );
  return before;
}

/** Makes members admins (those not yet), or takes admin away (MEMBER; the caller syncs LEAD). */
export function setRoleOfMembers(db: Db, orgId: string, memberIds: string[], role: 'ADMIN' | 'MEMBER') {
  return updateMembersWhere(
    db,
    orgId,
    memberIds,
    { role },
    role === 'ADMIN' ? ne(members.role, 'ADMIN') : eq(members.role, 'ADMIN'),
  );
}

export function setActiveOfMembers(db: Db, orgId: string, memberIds: string[], active: boolean) {
  return updateMembersWhere(db, orgId, memberIds, { active }, ne(members.active, active));
}

/** An account's memberships in every organization (visible through the own_memberships policy). */
export async function findMembershipsOfAccount(db: Db, accountId: string): Promise<Member[]> {
  return db
    .select()
    .from(members)
    .where(and(eq(members.accountId, accountId), eq(members.active, true)))
    .orderBy(asc(members.createdAt));
}

/**
 * Whom the transaction acts for, as its settings name them (a `TenantLookup`
 * found them): the account, the organization, the account's membership of it
 * and the teams it leads, in one statement under row-level security.
 */
export async function findViewerInScope(db: Db): Promise<{
  account: Account | null;
  organization: Organization | null;
  member: Member | null;
  ledTeamIds: string[];
}> {
  const [row] = await db
    .select({
      account: accounts,
      organization: organizations,
      member: members,
      ledTeamIds: sql<string[]>`array(select tm.team_id::text from team_memberships tm
        where tm.org_id = ${members.orgId} and tm.member_id = ${members.id} and tm.is_lead)`,
    })
    .from(sql`(select 1) as scope`)
    .leftJoin(accounts, sql`${accounts.id} = app_current_account()`)
    .leftJoin(organizations, sql`${organizations.id} = app_current_org()`)
    .leftJoin(members, and(eq(members.orgId, organizations.id), eq(members.accountId, accounts.id)));
  return row ?? { account: null, organization: null, member: null, ledTeamIds: [] };
}

export async function findMembersByIds(db: Db, orgId: string, ids: string[]): Promise<Member[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(members)
    .where(and(eq(members.orgId, orgId), isAnyOf(members.id, ids)));
}
