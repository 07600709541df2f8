import type { Member, Team } from '@qicai/db';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import { isActiveMember, requireMember, requireOrganization } from '../../shared/access.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';
import * as memberships from './team-memberships-repository.ts';

type MemberConnection = ResolversTypes['MemberConnection'];

const leads: Loader<Team, Member[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const teamIds = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => memberships.findLeadsOfTeams(tx, orgId, teamIds));
  return groupInOrder(teamIds, rows, (row) => row.teamId).map((group) =>
    group.map(({ teamId: _teamId, ...member }) => member),
  );
};

const memberCount: Loader<Team, number> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const teamIds = queries.map(({ obj }) => obj.id);
  const counts = await ctx.tenant((tx) => memberships.countActiveMembersOfTeams(tx, orgId, teamIds));
  return teamIds.map((id) => counts.get(id) ?? 0);
};

const viewerIsMember: Loader<Team, boolean> = async (queries, ctx) => {
  const teamIds = queries.map(({ obj }) => obj.id);
  if (!(await isActiveMember(ctx))) return teamIds.map(() => false);
  const member = await requireMember(ctx);
  const mine = await ctx.tenant((tx) => memberships.findTeamIdsOfMemberAmong(tx, member.orgId, member.id, teamIds));
  return teamIds.map((id) => mine.has(id));
};

function toTeamMemberCursor(text: string) {
  const [leadRank, displayName, id] = decodeCursor(text, ['number', 'string', 'string']);
  return { leadRank, displayName, id };
}

function toConnection(rows: (Member & { teamId: string; leadRank: number })[], first: number): MemberConnection {
  const shown = rows.slice(0, first);
  const last = shown.at(-1);
  return {
    nodes: shown.map(({ teamId: _teamId, leadRank: _leadRank, ...member }) => member),
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor([last.leadRank, last.displayName, last.id]) : null,
    },
  };
}

const members: Loader<Team, MemberConnection, { first: number; after?: string | null }> = async (queries, ctx) => {
  const viewer = await requireMember(ctx);
  // Teams asked for with the same page arguments share one statement.
  const pages = new Map<string, { first: number; after: string | null; teams: { teamId: string; index: number }[] }>();
  queries.forEach(({ obj, params }, index) => {
    const first = clampPageSize(params.first);
    const after = params.after ?? null;
    const key = `${first}:${after ?? ''}`;
    const page = pages.get(key) ?? { first, after, teams: [] };
    page.teams.push({ teamId: obj.id, index });
    pages.set(key, page);
  });

  const results: MemberConnection[] = [];
  await ctx.tenant(async (tx) => {
    for (const { first, after, teams } of pages.values()) {
      const teamIds = teams.map((team) => team.teamId);
      const rows = await memberships.pageMembersOfTeams(
        tx,
        viewer.orgId,
        teamIds,
        first + 1,
        after ? toTeamMemberCursor(after) : undefined,
      );
      const byTeam = groupInOrder(teamIds, rows, (row) => row.teamId);
      teams.forEach((team, position) => {
        results[team.index] = toConnection(byTeam[position] ?? [], first);
      });
    }
  });
  return results;
};

const memberTeams: Loader<Member, Team[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const memberIds = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => memberships.findTeamsOfMembers(tx, orgId, memberIds));
  return groupInOrder(memberIds, rows, (row) => row.memberId).map((group) =>
    group.map(({ memberId: _memberId, ...team }) => team),
  );
};

export const teamMembershipLoaders = {
  Team: { leads, memberCount, viewerIsMember, members },
  Member: { teams: memberTeams },
};
