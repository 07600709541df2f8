import type { Activity, ServiceRecord, ServiceRecordCorrection, SignUp, Team } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden } from '../../shared/errors.ts';
import { groupInOrder, type Loader } from '../../shared/loaders.ts';
import { activityAccess } from '../activities/access.ts';
import * as activityRepository from '../activities/repository.ts';

import type { MemberHoursParent, TeamHoursParent } from './mappers.ts';
import * as repository from './repository.ts';
import { canDecide } from './approvals.ts';
import { canSeeRecord } from './records.ts';
import { personalFigure, requiredMemberById } from '../members/loaders.ts';
import { currentYearOf } from '../../shared/period.ts';
import * as teamRepository from '../teams/repository.ts';

async function activitiesById(ctx: RequestContext, ids: string[]): Promise<Map<string, Activity>> {
  const orgId = requireOrganization(ctx).id;
  const unique = [...new Set(ids)];
  const rows =
    unique.length > 0 ? await ctx.tenant((tx) => activityRepository.findActivitiesByIds(tx, orgId, unique)) : [];
  return new Map(rows.map((row) => [row.id, row]));
}

async function teamsById(ctx: RequestContext, ids: string[]): Promise<Map<string, Team>> {
  const orgId = requireOrganization(ctx).id;
  const unique = [...new Set(ids)];
  const rows = unique.length > 0 ? await ctx.tenant((tx) => teamRepository.findTeamsByIds(tx, orgId, unique)) : [];
  return new Map(rows.map((row) => [row.id, row]));
}

const recordActivity: Loader<ServiceRecord, Activity | null> = async (queries, ctx) => {
  const byId = await activitiesById(
    ctx,
    queries.flatMap(({ obj }) => (obj.activityId ? [obj.activityId] : [])),
  );
  return queries.map(({ obj }) => (obj.activityId ? (byId.get(obj.activityId) ?? null) : null));
};

const recordTeam: Loader<ServiceRecord, Team | null> = async (queries, ctx) => {
  const byId = await teamsById(
    ctx,
    queries.flatMap(({ obj }) => (obj.teamId ? [obj.teamId] : [])),
  );
  return queries.map(({ obj }) => (obj.teamId ? (byId.get(obj.teamId) ?? null) : null));
};

const recordCorrections: Loader<ServiceRecord, ServiceRecordCorrection[]> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = queries.map(({ obj }) => obj.id);
  const rows = await ctx.tenant((tx) => repository.findCorrectionsOfRecords(tx, orgId, ids));
  return groupInOrder(ids, rows, (row) => row.recordId);
};

const viewerCanDecide: Loader<ServiceRecord, boolean> = async (queries, ctx) => {
  const access = await activityAccess(ctx);
  return queries.map(({ obj }) => obj.status === 'PENDING' && canDecide(access, obj));
};

const viewerCanRequestCorrection: Loader<ServiceRecord, boolean> = async (queries, ctx) => {
  const member = await ctx.viewerMember();
  const own = queries.filter(({ obj }) => obj.status === 'APPROVED' && obj.memberId === member?.id);
  const orgId = requireOrganization(ctx).id;
  const ids = own.map(({ obj }) => obj.id);
  const corrections =
    ids.length > 0 ? await ctx.tenant((tx) => repository.findCorrectionsOfRecords(tx, orgId, ids)) : [];
  const waiting = new Set(corrections.filter((row) => row.status === 'PENDING').map((row) => row.recordId));
  return queries.map(({ obj }) => obj.status === 'APPROVED' && obj.memberId === member?.id && !waiting.has(obj.id));
};

const correctionRecord: Loader<ServiceRecordCorrection, ServiceRecord> = async (queries, ctx) => {
  const access = await activityAccess(ctx);
  const ids = [...new Set(queries.map(({ obj }) => obj.recordId))];
  const rows = await ctx.tenant((tx) => repository.findRecordsByIds(tx, access.orgId, ids));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return queries.map(({ obj }) => {
    const found = byId.get(obj.recordId);
    if (!found || !canSeeRecord(access, found)) throw forbidden();
    return found;
  });
};

const missingActivity: Loader<SignUp, Activity> = async (queries, ctx) => {
  const byId = await activitiesById(
    ctx,
    queries.map(({ obj }) => obj.activityId),
  );
  return queries.map(({ obj }) => {
    const found = byId.get(obj.activityId);
    if (!found) throw new Error('sign-up without activity');
    return found;
  });
};

const teamOfHours: Loader<TeamHoursParent, Team> = async (queries, ctx) => {
  const byId = await teamsById(
    ctx,
    queries.map(({ obj }) => obj.teamId),
  );
  return queries.map(({ obj }) => {
    const found = byId.get(obj.teamId);
    if (!found) throw new Error('hours without team');
    return found;
  });
};

export const loaders = {
  ServiceRecord: {
    member: requiredMemberById<ServiceRecord>((record) => record.memberId),
    activity: recordActivity,
    team: recordTeam,
    corrections: recordCorrections,
    viewerCanDecide,
    viewerCanRequestCorrection,
  },
  ServiceRecordCorrection: {
    record: correctionRecord,
    requestedBy: requiredMemberById<ServiceRecordCorrection>((correction) => correction.requestedByMemberId),
  },
  Member: {
    // The calendar year of the organization's time zone, as the rollup keeps it.
    minutesThisYear: personalFigure<number>(async (ctx, orgId, ids) => {
      const year = currentYearOf(ctx);
      const rows = await ctx.tenant((tx) => repository.findMemberTotals(tx, orgId, ids, year));
      return new Map(rows.map((row) => [row.memberId, row.yearMinutes]));
    }, 0),
    lastServedOn: personalFigure<string | null>(async (ctx, orgId, ids) => {
      const rows = await ctx.tenant((tx) => repository.findLastServiceDates(tx, orgId, ids));
      return new Map(rows.map((row) => [row.memberId, row.servedOn]));
    }, null),
  },
  MemberHours: { member: requiredMemberById<MemberHoursParent>((hours) => hours.memberId) },
  TeamHours: { team: teamOfHours },
  MissingCheckOut: {
    member: requiredMemberById<SignUp>((signUp) => signUp.memberId),
    activity: missingActivity,
  },
};
