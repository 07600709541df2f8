/**
 * Team memberships (who is in which of the seven teams, and who leads it):
 * the members module writes them, and reads them for every module above.
 */
import { members, teamMemberships, teams, type Db, type Member, type Team } from '@qicai/db';
import { and, asc, count, eq, getTableColumns, inArray, lte, ne, notInArray, sql } from 'drizzle-orm';
import { isAnyOf } from '../../shared/sql.ts';

/** Joins a team membership to its member (same organization, same id). */
const membershipMember = and(eq(members.orgId, teamMemberships.orgId), eq(members.id, teamMemberships.memberId));

/**
 * The active leads of several teams, each with its team id. The members are
 * picked by `id = any(array(…))` on purpose: a team has a handful of leads, but
 * joined plainly the planner estimates leads in proportion to a large
 * organization's memberships and hashes all its members (16 ms at 31,000
 * members instead of under 1 ms).
 */
export async function findLeadsOfTeams(
  db: Db,
  orgId: string,
  teamIds: string[],
): Promise<(Member & { teamId: string })[]> {
  const ofTeams = and(
    eq(teamMemberships.orgId, orgId),
    isAnyOf(teamMemberships.teamId, teamIds),
    eq(teamMemberships.isLead, true),
  );
  const leadIds = db.select({ memberId: teamMemberships.memberId }).from(teamMemberships).where(ofTeams);
  return db
    .select({ ...getTableColumns(members), teamId: teamMemberships.teamId })
    .from(members)
    .innerJoin(teamMemberships, and(membershipMember, ofTeams))
    .where(and(eq(members.orgId, orgId), eq(members.active, true), sql`${members.id} = any(array(${leadIds}))`))
    .orderBy(asc(members.displayName), asc(members.id));
}

export async function countActiveMembersOfTeams(
  db: Db,
  orgId: string,
  teamIds: string[],
): Promise<Map<string, number>> {
  const rows = await db
    .select({ teamId: teamMemberships.teamId, members: count() })
    .from(teamMemberships)
    .innerJoin(members, membershipMember)
    .where(and(eq(teamMemberships.orgId, orgId), isAnyOf(teamMemberships.teamId, teamIds), eq(members.active, true)))
    .groupBy(teamMemberships.teamId);
  return new Map(rows.map((row) => [row.teamId, row.members]));
}

/** The teams of several members, each row with the member's id. */
export async function findTeamsOfMembers(
  db: Db,
  orgId: string,
  memberIds: string[],
): Promise<(Team & { memberId: string })[]> {
  return db
    .select({ ...getTableColumns(teams), memberId: teamMemberships.memberId })
    .from(teamMemberships)
    .innerJoin(teams, and(eq(teams.orgId, teamMemberships.orgId), eq(teams.id, teamMemberships.teamId)))
    .where(and(eq(teamMemberships.orgId, orgId), isAnyOf(teamMemberships.memberId, memberIds)))
    .orderBy(asc(teams.colour));
}

/** Which of these teams a member belongs to. */
export async function findTeamIdsOfMemberAmong(
  db: Db,
  orgId: string,
  memberId: string,
  teamIds: string[],
): Promise<Set<string>> {
  const rows = await db
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        eq(teamMemberships.memberId, memberId),
        isAnyOf(teamMemberships.teamId, teamIds),
      ),
    );
  return new Set(rows.map((row) => row.teamId));
}

/** Where a page of a team's members starts: after this member, in the order leads first, then by name. */
export interface TeamMemberCursor {
  leadRank: number;
  displayName: string;
  id: string;
}

/**
 * A page of active members for each of several teams, in one statement: the
 * members are numbered per team and each team's first `limit` kept.
 */
export async function pageMembersOfTeams(
  db: Db,
  orgId: string,
  teamIds: string[],
  limit: number,
  after: TeamMemberCursor | undefined,
): Promise<(Member & { teamId: string; leadRank: number })[]> {
  const leadRank = sql<number>`case when ${teamMemberships.isLead} then 0 else 1 end`;
  const ranked = db
    .select({
      ...getTableColumns(members),
      teamId: teamMemberships.teamId,
      leadRank: leadRank.as('lead_rank'),
      position:
        sql<number>`row_number() over (partition by ${teamMemberships.teamId} order by ${leadRank}, ${members.displayName}, ${members.id})`.as(
          'position',
        ),
    })
    .from(teamMemberships)
    .innerJoin(members, membershipMember)
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        isAnyOf(teamMemberships.teamId, teamIds),
        eq(members.active, true),
        after
          ? sql`(${leadRank}, ${members.displayName}, ${members.id}) > (${after.leadRank}, ${after.displayName}, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .as('ranked');
  const rows = await db
    .select()
    .from(ranked)
    .where(lte(ranked.position, limit))
    .orderBy(asc(ranked.teamId), asc(ranked.position));
  return rows.map(({ position: _position, ...row }) => row);
}

/** Adds members to a team (leads or not); existing memberships keep their lead flag unless `isLead` is given. */
export async function addTeamMembers(
  db: Db,
  orgId: string,
  teamId: string,
  memberIds: string[],
  isLead: boolean,
): Promise<void> {
  if (memberIds.length === 0) return;
  await db
    .insert(teamMemberships)
    .values(memberIds.map((memberId) => ({ orgId, teamId, memberId, isLead })))
    .onConflictDoUpdate({
      target: [teamMemberships.orgId, teamMemberships.teamId, teamMemberships.memberId],
      set: isLead ? { isLead: true } : { isLead: sql`${teamMemberships.isLead}` },
    });
}

/** Clears the lead flag of every lead of the team not in `keep`; returns whom it cleared. */
export async function demoteLeadsExcept(db: Db, orgId: string, teamId: string, keep: string[]): Promise<string[]> {
  const rows = await db
    .update(teamMemberships)
    .set({ isLead: false })
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        eq(teamMemberships.teamId, teamId),
        eq(teamMemberships.isLead, true),
        keep.length > 0 ? notInArray(teamMemberships.memberId, keep) : undefined,
      ),
    )
    .returning({ memberId: teamMemberships.memberId });
  return rows.map((row) => row.memberId);
}

export async function removeTeamMember(db: Db, orgId: string, teamId: string, memberId: string): Promise<boolean> {
  const rows = await db
    .delete(teamMemberships)
    .where(
      and(eq(teamMemberships.orgId, orgId), eq(teamMemberships.teamId, teamId), eq(teamMemberships.memberId, memberId)),
    )
    .returning({ memberId: teamMemberships.memberId });
  return rows.length > 0;
}

/**
 * Keeps `members.role` in step with leadership: a member who leads a team is
 * LEAD, one who leads none is MEMBER. Admins stay admins.
 */
export async function syncLeadRoles(db: Db, orgId: string, memberIds: string[]): Promise<void> {
  if (memberIds.length === 0) return;
  const leadsSomeTeam = sql`exists (select 1 from ${teamMemberships} where ${teamMemberships.orgId} = ${members.orgId} and ${teamMemberships.memberId} = ${members.id} and ${teamMemberships.isLead})`;
  await db
    .update(members)
    .set({
      role: sql`case when ${leadsSomeTeam} then 'LEAD'::member_role else 'MEMBER'::member_role end`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(members.orgId, orgId), inArray(members.id, memberIds), ne(members.role, 'ADMIN')));
}

/** The ids of the teams a member is in, and of those they lead. */
export async function findTeamIdsOfMember(
  db: Db,
  orgId: string,
  memberId: string,
): Promise<{ teamId: string; isLead: boolean }[]> {
  return db
    .select({ teamId: teamMemberships.teamId, isLead: teamMemberships.isLead })
    .from(teamMemberships)
    .where(and(eq(teamMemberships.orgId, orgId), eq(teamMemberships.memberId, memberId)));
}

/**
 * Puts members in exactly these teams, except that a team they lead is kept
 * (leadership changes on the team's page, not through a profile or an import).
 */
export async function setTeamsOfMembers(
  db: Db,
  orgId: string,
  wanted: { memberId: string; teamIds: string[] }[],
): Promise<void> {
  if (wanted.length === 0) return;
  const memberIds = wanted.map((entry) => entry.memberId);
  const pairs = wanted.flatMap((entry) => entry.teamIds.map((teamId) => ({ orgId, teamId, memberId: entry.memberId })));
  const keep = pairs.map((pair) => sql`(${pair.teamId}::uuid, ${pair.memberId}::uuid)`);
  await db
    .delete(teamMemberships)
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        inArray(teamMemberships.memberId, memberIds),
        eq(teamMemberships.isLead, false),
        keep.length > 0
          ? sql`(${teamMemberships.teamId}, ${teamMemberships.memberId}) not in (${sql.join(keep, sql`, `)})`
          : undefined,
      ),
    );
  if (pairs.length > 0) await db.insert(teamMemberships).values(pairs).onConflictDoNothing();
}

/** Who may see a member's personal fields besides admins: leads of a team the member is in. */
export async function membersInTeamsLedBy(
  db: Db,
  orgId: string,
  leadMemberId: string,
  memberIds: string[],
): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set();
  const led = db
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        eq(teamMemberships.memberId, leadMemberId),
        eq(teamMemberships.isLead, true),
      ),
    );
  const rows = await db
    .selectDistinct({ memberId: teamMemberships.memberId })
    .from(teamMemberships)
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        inArray(teamMemberships.memberId, memberIds),
        inArray(teamMemberships.teamId, led),
      ),
    );
  return new Set(rows.map((row) => row.memberId));
}

// The roster table's bulk changes: each returns the ids of the members it changed.

export async function addMembersToTeam(db: Db, orgId: string, teamId: string, memberIds: string[]): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .insert(teamMemberships)
    .values(memberIds.map((memberId) => ({ orgId, teamId, memberId })))
    .onConflictDoNothing()
    .returning({ memberId: teamMemberships.memberId });
  return rows.map((row) => row.memberId);
}

/** Takes members out of a team, except its leads (leadership changes on the team's page). */
export async function removeMembersFromTeam(
  db: Db,
  orgId: string,
  teamId: string,
  memberIds: string[],
): Promise<string[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .delete(teamMemberships)
    .where(
      and(
        eq(teamMemberships.orgId, orgId),
        eq(teamMemberships.teamId, teamId),
        inArray(teamMemberships.memberId, memberIds),
        eq(teamMemberships.isLead, false),
      ),
    )
    .returning({ memberId: teamMemberships.memberId });
  return rows.map((row) => row.memberId);
}

/** The teams a member leads. */
export async function findLedTeamIds(db: Db, orgId: string, memberId: string): Promise<string[]> {
  const rows = await db
    .select({ teamId: teamMemberships.teamId })
    .from(teamMemberships)
    .where(
      and(eq(teamMemberships.orgId, orgId), eq(teamMemberships.memberId, memberId), eq(teamMemberships.isLead, true)),
    );
  return rows.map((row) => row.teamId);
}
