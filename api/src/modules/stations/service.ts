/**
 * Service stations (村级综合服务平台): admins create and edit them, station
 * their people and name a lead (站长); admins and the people stationed there
 * keep the logbook (服务台账). The rules of who may do what live here.
 */
import {
  pgError,
  PG_UNIQUE_VIOLATION,
  type Activity,
  type HelpRequest,
  type Member,
  type Station,
  type StationServiceCategory,
  type StationVisit,
  type StationVisitOutcome,
  type Tx,
} from '@qicai/db';
import { isAdmin, requireAdmin, requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { publishBoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, notFound, ValidationError } from '../../shared/errors.ts';
import { activityAccess, requireTeamManager } from '../activities/access.ts';
import { findActivityById } from '../activities/repository.ts';
import { isPosition } from '../activities/geo.ts';
import { addDays, formatLocalDate, instantOf, wallTimeAt } from '../../kernel/time.ts';

import * as repository from './repository.ts';
import { findMembersByIds } from '../members/repository.ts';

export const NAME_MAX = 80;
export const TOWNSHIP_MAX = 40;
export const VILLAGE_MAX = 40;
export const ADDRESS_MAX = 200;
export const STATION_MEMBERS_MAX = 200;
export const VISITOR_MAX = 60;
export const PURPOSE_MAX = 500;
export const DEFAULT_RADIUS_METRES = 300;
export const DEFAULT_OPENS_AT = '08:30';
export const DEFAULT_CLOSES_AT = '17:30';
/** The most days `visitsPerDay` covers. */
export const DAYS_MAX = 62;

const HOURS = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;

export interface StationInput {
  name: string;
  township: string;
  village?: string | null | undefined;
  address?: string | null | undefined;
  latitude: number;
  longitude: number;
  radiusMetres?: number | null | undefined;
  opensAt?: string | null | undefined;
  closesAt?: string | null | undefined;
}

/** The station's values from an input, trimmed and checked; every problem at once, by field. */
export function checkStationInput(input: StationInput): repository.StationValues {
  const values = {
    name: input.name.trim(),
    township: input.township.trim(),
    village: input.village?.trim() ?? '',
    address: input.address?.trim() ?? '',
    latitude: input.latitude,
    longitude: input.longitude,
    radiusMetres: input.radiusMetres ?? DEFAULT_RADIUS_METRES,
    opensAt: input.opensAt?.trim() || DEFAULT_OPENS_AT,
    closesAt: input.closesAt?.trim() || DEFAULT_CLOSES_AT,
  };
  new FieldChecker()
    .check(values.name.length > 0, 'name', 'REQUIRED')
    .check(values.name.length <= NAME_MAX, 'name', 'TOO_LONG')
    .check(values.township.length > 0, 'township', 'REQUIRED')
    .check(values.township.length <= TOWNSHIP_MAX, 'township', 'TOO_LONG')
    .check(values.village.length <= VILLAGE_MAX, 'village', 'TOO_LONG')
    .check(values.address.length <= ADDRESS_MAX, 'address', 'TOO_LONG')
    .check(isPosition(values), 'latitude', 'INVALID_POSITION')
    .check(
      Number.isInteger(values.radiusMetres) && values.radiusMetres >= 10 && values.radiusMetres <= 5000,
      'radiusMetres',
      'OUT_OF_RANGE',
    )
    .check(HOURS.test(values.opensAt), 'opensAt', 'INVALID_TIME')
    .check(HOURS.test(values.closesAt), 'closesAt', 'INVALID_TIME')
    .check(
      !HOURS.test(values.opensAt) || !HOURS.test(values.closesAt) || values.opensAt < values.closesAt,
      'closesAt',
      'BEFORE_OPENING',
    )
    .throwIfAny();
  return values;
}

/** Within its opening hours at `now`, by the wall clock of the organization's time zone. */
export function isOpenAt(station: Pick<Station, 'opensAt' | 'closesAt'>, timeZone: string, now: Date): boolean {
  const wall = wallTimeAt(now, timeZone);
  const time = `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`;
  return time >= station.opensAt && time < station.closesAt;
}

/** Today in the organization's time zone, as instants [from, to). */
export function todayPeriod(timeZone: string, now: Date): { from: Date; to: Date } {
  const wall = wallTimeAt(now, timeZone);
  const midnight = { year: wall.year, month: wall.month, day: wall.day, hour: 0, minute: 0 };
  return { from: instantOf(midnight, timeZone), to: instantOf(addDays(midnight, 1), timeZone) };
}

function duplicateName(error: unknown): boolean {
  const pg = pgError(error);
  return pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'stations_org_name_unique';
}

export async function listStations(ctx: RequestContext): Promise<Station[]> {
  const member = await requireMember(ctx);
  return ctx.tenant((tx) => repository.listStations(tx, member.orgId));
}

export async function getStation(ctx: RequestContext, id: string): Promise<Station> {
  const member = await requireMember(ctx);
  const [station] = await ctx.tenant((tx) => repository.findStationsByIds(tx, member.orgId, [id]));
  if (!station) throw notFound('Station');
  return station;
}

export async function createStation(ctx: RequestContext, input: StationInput): Promise<Station> {
  const admin = await requireAdmin(ctx);
  const values = checkStationInput(input);
  try {
    return await ctx.tenant(async (tx) => {
      const station = await repository.insertStation(tx, admin.orgId, values);
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'station.created',
        subjectType: 'station',
        subjectId: station.id,
        detail: { name: station.name, township: station.township },
      });
      return station;
    });
  } catch (error) {
    if (duplicateName(error)) throw new ValidationError({ name: 'TAKEN' });
    throw error;
  }
}

export async function updateStation(ctx: RequestContext, id: string, input: StationInput): Promise<Station> {
  const admin = await requireAdmin(ctx);
  const values = checkStationInput(input);
  try {
    return await ctx.tenant(async (tx) => {
      const station = await repository.updateStation(tx, admin.orgId, id, values);
      if (!station) throw notFound('Station');
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'station.updated',
        subjectType: 'station',
        subjectId: station.id,
        detail: { name: station.name },
      });
      return station;
    });
  } catch (error) {
    if (duplicateName(error)) throw new ValidationError({ name: 'TAKEN' });
    throw error;
  }
}

/** Exactly these members are stationed there; the lead, if any, is one of them. Members of the organization only. */
export async function setStationMembers(
  ctx: RequestContext,
  input: { stationId: string; memberIds: string[]; leadMemberId?: string | null | undefined },
): Promise<Station> {
  const admin = await requireAdmin(ctx);
  const memberIds = [...new Set(input.memberIds)];
  const leadMemberId = input.leadMemberId ?? null;
  new FieldChecker()
    .check(memberIds.length <= STATION_MEMBERS_MAX, 'memberIds', 'TOO_MANY')
    .check(leadMemberId === null || memberIds.includes(leadMemberId), 'leadMemberId', 'NOT_STATIONED')
    .throwIfAny();
  const station = await ctx.tenant(async (tx) => {
    const locked = await repository.lockStation(tx, admin.orgId, input.stationId);
    if (!locked) throw notFound('Station');
    const found = await findMembersByIds(tx, admin.orgId, memberIds);
    // Someone of another organization (or a removed member) is not found, whoever asks.
    if (found.length !== memberIds.length || found.some((member) => !member.active)) throw notFound('Member');
    await repository.replaceStationMembers(tx, admin.orgId, locked.id, memberIds);
    const updated = await repository.updateStation(tx, admin.orgId, locked.id, { leadMemberId });
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'station.members_set',
      subjectType: 'station',
      subjectId: locked.id,
      detail: { members: memberIds.length, leadMemberId, previousLeadMemberId: locked.leadMemberId },
    });
    return updated ?? locked;
  });
  return station;
}

/** Admins, and the members stationed there, keep the logbook. */
async function canRecordAt(tx: Tx, member: Member, stationId: string): Promise<boolean> {
  return isAdmin(member) || repository.isStationed(tx, member.orgId, stationId, member.id);
}

/** For the viewerCanRecord fields: which of these stations the viewer may record visits at. */
export async function viewerCanRecord(ctx: RequestContext, station: Station): Promise<boolean> {
  const member = await ctx.viewerMember();
  if (!member?.active) return false;
  if (isAdmin(member)) return true;
  return ctx.tenant((tx) => repository.isStationed(tx, member.orgId, station.id, member.id));
}

export interface StationVisitInput {
  stationId: string;
  visitorName: string;
  purpose: string;
  category: StationServiceCategory;
  minutes: number;
  outcome: StationVisitOutcome;
  visitedAt?: Date | null | undefined;
}

/** One entry of the logbook, recorded by the viewer: quick on a phone, so only what the office counts. */
export async function recordVisit(ctx: RequestContext, input: StationVisitInput): Promise<StationVisit> {
  const member = await requireMember(ctx);
  const now = ctx.clock.now();
  const visitorName = input.visitorName.trim();
  const purpose = input.purpose.trim();
  const visitedAt = input.visitedAt ?? now;
  new FieldChecker()
    .check(visitorName.length > 0, 'visitorName', 'REQUIRED')
    .check(visitorName.length <= VISITOR_MAX, 'visitorName', 'TOO_LONG')
    .check(purpose.length > 0, 'purpose', 'REQUIRED')
    .check(purpose.length <= PURPOSE_MAX, 'purpose', 'TOO_LONG')
    .check(Number.isInteger(input.minutes) && input.minutes >= 1 && input.minutes <= 1440, 'minutes', 'OUT_OF_RANGE')
    .check(visitedAt.getTime() <= now.getTime() + 60_000, 'visitedAt', 'IN_FUTURE')
    .throwIfAny();
  const visit = await ctx.tenant(async (tx) => {
    const [station] = await repository.findStationsByIds(tx, member.orgId, [input.stationId]);
    if (!station) throw notFound('Station');
    if (!(await canRecordAt(tx, member, station.id))) {
      throw new AppError('FORBIDDEN', 'Only admins and the members stationed there keep its logbook.');
    }
    const row = await repository.insertVisit(tx, {
      orgId: member.orgId,
      stationId: station.id,
      recordedBy: member.id,
      visitorName,
      purpose,
      category: input.category,
      minutes: input.minutes,
      outcome: input.outcome,
      visitedAt,
    });
    await recordAudit(tx, ctx, member.orgId, {
      action: 'station.visit_recorded',
      subjectType: 'station_visit',
      subjectId: row.id,
      detail: { stationId: station.id, category: row.category, outcome: row.outcome },
    });
    return row;
  });
  publishBoardEvent(ctx, member.orgId, {
    kind: 'STATION_VISIT',
    memberId: member.id,
    subjectId: visit.stationId,
    occurredAt: now.toISOString(),
  });
  return visit;
}

/** Visits and minutes per day of several stations, the last `days` days (today included), oldest first. */
export async function visitsPerDay(
  ctx: RequestContext,
  stationIds: string[],
  days: number,
): Promise<{ date: string; visits: number; minutes: number }[][]> {
  const organization = requireOrganization(ctx);
  new FieldChecker().check(days >= 1 && days <= DAYS_MAX, 'days', 'OUT_OF_RANGE').throwIfAny();
  const now = ctx.clock.now();
  const today = todayPeriod(organization.timeZone, now);
  const first = addDays(wallTimeAt(today.from, organization.timeZone), 1 - days);
  const from = instantOf({ ...first, hour: 0, minute: 0 }, organization.timeZone);
  const rows = await ctx.tenant((tx) =>
    repository.countVisitsPerDay(tx, organization.id, stationIds, organization.timeZone, from, today.to),
  );
  const dates = Array.from({ length: days }, (_, index) => formatLocalDate(addDays(first, index)));
  return stationIds.map((stationId) =>
    dates.map((date) => {
      const row = rows.find((candidate) => candidate.stationId === stationId && candidate.date === date);
      return { date, visits: row?.visits ?? 0, minutes: row?.minutes ?? 0 };
    }),
  );
}

/** The team's leads (and admins): the activity takes place at the station, its place taken from it. */
export async function placeActivityAtStation(
  ctx: RequestContext,
  activityId: string,
  stationId: string,
): Promise<Activity> {
  await requireMember(ctx);
  return ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const activity = await findActivityById(tx, access.orgId, activityId);
    if (!activity) throw notFound('Activity');
    requireTeamManager(access, activity.teamId);
    const [station] = await repository.findStationsByIds(tx, access.orgId, [stationId]);
    if (!station) throw notFound('Station');
    const updated = await repository.setActivityStation(tx, access.orgId, activity.id, station);
    if (!updated) throw notFound('Activity');
    await recordAudit(tx, ctx, access.orgId, {
      action: 'activity.placed_at_station',
      subjectType: 'activity',
      subjectId: activity.id,
      detail: { stationId: station.id, previousPlace: activity.placeName },
    });
    return updated;
  });
}

/** Admins: the request names the station (null: none). */
export async function setRequestStation(
  ctx: RequestContext,
  requestId: string,
  stationId: string | null | undefined,
): Promise<HelpRequest> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    if (stationId) {
      const [station] = await repository.findStationsByIds(tx, admin.orgId, [stationId]);
      if (!station) throw notFound('Station');
    }
    const updated = await repository.setRequestStation(tx, admin.orgId, requestId, stationId ?? null);
    if (!updated) throw notFound('Request');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'request.station_set',
      subjectType: 'request',
      subjectId: requestId,
      detail: { stationId: stationId ?? null },
    });
    return updated;
  });
}
