import type { Activity, HelpRequest, RequestHistoryEntry, Team } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';
import { findActivitiesByIds } from '../activities/repository.ts';
import { findTeamsOfOrganizations } from '../teams/repository.ts';

import * as repository from './repository.ts';
import { SUGGESTED_TEAM } from './routing.ts';
import { viewerCanWorkOn } from './service.ts';
import { findTeamsByIds } from '../teams/repository.ts';
import { findMembersByIds } from '../members/repository.ts';

const team: Loader<HelpRequest, Team | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.teamId ? [obj.teamId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => findTeamsByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return queries.map(({ obj }) => (obj.teamId ? (byId.get(obj.teamId) ?? null) : null));
};

const suggestedTeam: Loader<HelpRequest, Team> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const rows = await ctx.tenant((tx) => findTeamsOfOrganizations(tx, [orgId]));
  const byColour = new Map(rows.map((row) => [row.colour, row]));
  return queries.map(({ obj }) => {
    const found = byColour.get(SUGGESTED_TEAM[obj.category]);
    if (!found) throw new Error('an organization without one of its seven teams');
    return found;
  });
};

const activity: Loader<HelpRequest, Activity | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.activityId ? [obj.activityId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => findActivitiesByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return queries.map(({ obj }) => (obj.activityId ? (byId.get(obj.activityId) ?? null) : null));
};

const history: Loader<HelpRequest, RequestHistoryEntry[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findHistoryOfRequests(tx, orgId, ids));
  return groupInOrder(ids, rows, (row) => row.requestId);
};

const viewerCanWork: Loader<HelpRequest, boolean> = async (queries, ctx) =>
  viewerCanWorkOn(
    ctx,
    queries.map(({ obj }) => obj),
  );

const actorName: Loader<RequestHistoryEntry, string | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.actorMemberId ? [obj.actorMemberId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => findMembersByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row.displayName]));
  return queries.map(({ obj }) => (obj.actorMemberId ? (byId.get(obj.actorMemberId) ?? null) : null));
};

export const loaders = {
  HelpRequest: { team, suggestedTeam, activity, history, viewerCanWork },
  RequestChange: { actorName },
};
