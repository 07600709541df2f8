/**
 * Scheduling activities: creating them (one-off or recurring), editing one
 * occurrence or a whole series, publishing, cancelling, completing, and the
 * organization's check-in rules.
 */
import {
  ACTIVITY_CATEGORIES,
  type Activity,
  type ActivityCategory,
  type ActivitySeries,
  type ActivityStatus,
  type ActivityTemplate,
  type NotificationDetail,
  type Organization,
  type TeamColour,
  type Tx,
} from '@qicai/db';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import { requireAdmin, requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import { publishBoardEvent } from '../../shared/board-events.ts';
import type { RequestContext } from '../../shared/context.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { AppError, FieldChecker, notFound, ValidationError } from '../../shared/errors.ts';
import { notifyMembers } from '../notifications/service.ts';
import { findTeamById } from '../teams/repository.ts';
import { activityAccess, canSeeActivity, requireTeamManager, visibilityOf, type ActivityAccess } from './access.ts';
import {
  expandRecurrence,
  formatRrule,
  parseRrule,
  recurrenceProblem,
  type Recurrence,
  type Weekday,
} from './recurrence.ts';
import * as repository from './repository.ts';
import { fillFreedPlaces } from './sign-ups.ts';
import {
  addDays,
  addMinutes,
  formatLocalDate,
  formatWallTime,
  instantOf,
  parseLocalDate,
  parseWallTime,
  wallTimeAt,
  wallTimeValue,
  type WallTime,
} from '../../kernel/time.ts';

export const DEFAULT_CHECK_IN_RADIUS_METRES = 500;
export const DEFAULT_CHECK_IN_OPENS_MINUTES_BEFORE = 30;
export const TITLE_MAX = 120;
export const DESCRIPTION_MAX = 5000;
export const PLACE_MAX = 200;
export const CAPACITY_MAX = 10_000;
export const SKILLS_MAX = 10;
export const SKILL_MAX_LENGTH = 40;
/** An activity lasts at most a week. */
export const DURATION_MAX_MINUTES = 7 * 24 * 60;

export interface CheckInRules {
  radiusMetres: number;
  opensMinutesBefore: number;
}

export function checkInRules(organization: Organization): CheckInRules {
  return {
    radiusMetres: organization.settings.checkInRadiusMetres ?? DEFAULT_CHECK_IN_RADIUS_METRES,
    opensMinutesBefore: organization.settings.checkInOpensMinutesBefore ?? DEFAULT_CHECK_IN_OPENS_MINUTES_BEFORE,
  };
}

/** When check-in opens and closes for an activity. */
export function checkInWindow(organization: Organization, activity: Activity): { opensAt: Date; closesAt: Date } {
  const { opensMinutesBefore } = checkInRules(organization);
  return { opensAt: new Date(activity.startsAt.getTime() - opensMinutesBefore * 60_000), closesAt: activity.endsAt };
}

export interface RecurrenceInput {
  frequency: 'WEEKLY' | 'MONTHLY';
  interval?: number | null | undefined;
  byWeekday?: Weekday[] | null | undefined;
  weekOfMonth?: number | null | undefined;
  byMonthDay?: number[] | null | undefined;
  until?: string | null | undefined;
  count?: number | null | undefined;
}

export interface ActivityInput {
  teamId: string;
  title: string;
  description?: string | null | undefined;
  category: ActivityCategory;
  placeName: string;
  latitude: number;
  longitude: number;
  startsAt: string;
  endsAt: string;
  capacity: number;
  requiredSkills?: string[] | null | undefined;
  isPublic: boolean;
  publish?: boolean | null | undefined;
  recurrence?: RecurrenceInput | null | undefined;
}

export function toRecurrence(input: RecurrenceInput): Recurrence {
  const ordinal = input.frequency === 'MONTHLY' ? (input.weekOfMonth ?? null) : null;
  return {
    frequency: input.frequency,
    interval: input.interval ?? 1,
    byDay: [...new Set(input.byWeekday ?? [])].map((weekday) => ({ weekday, ordinal })),
    byMonthDay: [...new Set(input.byMonthDay ?? [])],
    until: input.until ?? null,
    count: input.count ?? null,
  };
}

export function recurrenceView(rule: Recurrence): ResolversTypes['Recurrence'] {
  return {
    frequency: rule.frequency,
    interval: rule.interval,
    byWeekday: rule.byDay.map((day) => day.weekday),
    weekOfMonth: rule.byDay.find((day) => day.ordinal !== null)?.ordinal ?? null,
    byMonthDay: rule.byMonthDay,
    until: rule.until,
    count: rule.count,
  };
}

/** The input read and checked: every field error at once. */
interface CheckedInput {
  template: ActivityTemplate;
  teamId: string;
  start: WallTime;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  recurrence: Recurrence | null;
}

function checkInput(input: ActivityInput, timeZone: string): CheckedInput {
  const title = input.title.trim();
  const description = (input.description ?? '').trim();
  const placeName = input.placeName.trim();
  const skills = [...new Set((input.requiredSkills ?? []).map((skill) => skill.trim()).filter(Boolean))];
  const start = parseWallTime(input.startsAt);
  const end = parseWallTime(input.endsAt);
  const durationMinutes = start && end ? (wallTimeValue(end) - wallTimeValue(start)) / 60_000 : 0;
  const recurrence = input.recurrence ? toRecurrence(input.recurrence) : null;
  const problem = recurrence && start ? recurrenceProblem(recurrence, start) : undefined;
  new FieldChecker()
    .check(title.length > 0, 'title', 'REQUIRED')
    .check(title.length <= TITLE_MAX, 'title', 'TOO_LONG')
    .check(description.length <= DESCRIPTION_MAX, 'description', 'TOO_LONG')
    .check(ACTIVITY_CATEGORIES.includes(input.category), 'category', 'REQUIRED')
    .check(placeName.length > 0, 'placeName', 'REQUIRED')
    .check(placeName.length <= PLACE_MAX, 'placeName', 'TOO_LONG')
    .check(Number.isFinite(input.latitude) && Math.abs(input.latitude) <= 90, 'latitude', 'OUT_OF_RANGE')
    .check(Number.isFinite(input.longitude) && Math.abs(input.longitude) <= 180, 'longitude', 'OUT_OF_RANGE')
    .check(start !== undefined, 'startsAt', 'INVALID_DATE_TIME')
    .check(end !== undefined, 'endsAt', 'INVALID_DATE_TIME')
    .check(!start || !end || durationMinutes > 0, 'endsAt', 'ENDS_BEFORE_START')
    .check(durationMinutes <= DURATION_MAX_MINUTES, 'endsAt', 'TOO_LONG')
    .check(Number.isInteger(input.capacity) && input.capacity >= 1, 'capacity', 'OUT_OF_RANGE')
    .check(input.capacity <= CAPACITY_MAX, 'capacity', 'OUT_OF_RANGE')
    .check(skills.length <= SKILLS_MAX, 'requiredSkills', 'TOO_MANY')
    .check(
      skills.every((skill) => skill.length <= SKILL_MAX_LENGTH),
      'requiredSkills',
      'TOO_LONG',
    )
    .check(problem === undefined, 'recurrence', problem ?? '')
    .throwIfAny();
  if (!start || !end) throw new ValidationError({ startsAt: 'INVALID_DATE_TIME' });
  return {
    template: {
      title,
      description,
      category: input.category,
      placeName,
      latitude: input.latitude,
      longitude: input.longitude,
      capacity: input.capacity,
      requiredSkills: skills,
      isPublic: input.isPublic,
    },
    teamId: input.teamId,
    start,
    startsAt: instantOf(start, timeZone),
    endsAt: instantOf(end, timeZone),
    durationMinutes,
    recurrence,
  };
}

/** The times of each occurrence of a series, in UTC, keyed by its rule date (RECURRENCE-ID). */
function occurrencesOf(series: Pick<ActivitySeries, 'rrule' | 'startsLocal' | 'durationMinutes'>, timeZone: string) {
  const start = parseWallTime(series.startsLocal);
  if (!start) throw new Error(`series with a bad start: ${series.startsLocal}`);
  // Keyed by local date: a series has at most one occurrence a day, and an occurrence stays itself when
  // the series' time of day changes.
  return expandRecurrence(parseRrule(series.rrule, timeZone), start).map((wall) => ({
    key: formatLocalDate(wall),
    startsAt: instantOf(wall, timeZone),
    endsAt: instantOf(addMinutes(wall, series.durationMinutes), timeZone),
  }));
}

function noticeDetail(activity: Activity, extra: Partial<NotificationDetail> = {}): NotificationDetail {
  return {
    title: activity.title,
    startsAt: activity.startsAt.toISOString(),
    endsAt: activity.endsAt.toISOString(),
    placeName: activity.placeName,
    ...extra,
  };
}

/** Tells everyone signed up (with a place or waiting) for an activity. */
async function notifySignedUp(
  tx: Tx,
  activity: Activity,
  kind: 'ACTIVITY_CANCELLED' | 'ACTIVITY_MOVED',
  detail: NotificationDetail,
  at: Date,
): Promise<void> {
  const signedUp = await repository.findMemberIdsSignedUp(
    tx,
    activity.orgId,
    [activity.id],
    ['CONFIRMED', 'WAITLISTED'],
  );
  if (signedUp.length === 0) return;
  await notifyMembers(tx, activity.orgId, {
    at,
    memberIds: signedUp.map((row) => row.memberId),
    kind,
    activityId: activity.id,
    detail,
  });
}

/** An activity the viewer can see, locked for a change they may make (a lead of its team or an admin). */
async function lockManagedActivity(tx: Tx, access: ActivityAccess, id: string): Promise<Activity> {
  const activity = await repository.lockActivity(tx, access.orgId, id);
  if (!activity || !canSeeActivity(access, activity)) throw notFound('Activity');
  requireTeamManager(access, activity.teamId);
  return activity;
}

const EDITABLE: readonly ActivityStatus[] = ['DRAFT', 'PUBLISHED'];

function requireEditable(activity: Activity): void {
  if (!EDITABLE.includes(activity.status))
    throw new AppError('INVALID_STATE', 'A cancelled or completed activity cannot be changed.', {
      status: activity.status,
    });
}

/* Reading */

export async function getActivity(ctx: RequestContext, id: string): Promise<Activity> {
  const access = await activityAccess(ctx);
  const activity = await ctx.tenant((tx) => repository.findActivityById(tx, access.orgId, id));
  if (!activity || !canSeeActivity(access, activity)) throw notFound('Activity');
  return activity;
}

export interface ActivityFilterInput {
  from?: Date | null | undefined;
  to?: Date | null | undefined;
  fromDate?: string | null | undefined;
  toDate?: string | null | undefined;
  teamColours?: TeamColour[] | null | undefined;
  categories?: ActivityCategory[] | null | undefined;
  statuses?: ActivityStatus[] | null | undefined;
  mine?: boolean | null | undefined;
}

export async function listActivities(
  ctx: RequestContext,
  options: { filter?: ActivityFilterInput | null | undefined; first: number; after?: string | null | undefined },
): Promise<ResolversTypes['ActivityConnection']> {
  const first = clampPageSize(options.first);
  const after = options.after ? decodeCursor(options.after, ['string', 'string']) : undefined;
  const filter = options.filter ?? {};
  const { timeZone } = requireOrganization(ctx);
  const fromDay = filter.fromDate ? parseLocalDate(filter.fromDate) : undefined;
  const toDay = filter.toDate ? parseLocalDate(filter.toDate) : undefined;
  // The later of the two starts and the earlier of the two ends.
  const from = latest([filter.from, fromDay && instantOf(fromDay, timeZone)]);
  const to = earliest([filter.to, toDay && instantOf(addDays(toDay, 1), timeZone)]);
  // A list changes nothing: the viewer's teams as the request found them do (read in the same transaction
  // when the request's reads share one), rather than a statement of their own.
  const access = await activityAccess(ctx);
  const rows = await ctx.tenant(async (tx) => {
    if (filter.mine && !access.member) return [];
    return repository.pageActivities(tx, access.orgId, {
      visibility: visibilityOf(access),
      filter: {
        from,
        to,
        teamColours: filter.teamColours ?? undefined,
        categories: filter.categories ?? undefined,
        statuses: filter.statuses ?? undefined,
        signedUpMemberId: filter.mine ? access.member?.id : undefined,
      },
      limit: first + 1,
      after: after && { startsAt: after[0], id: after[1] },
    });
  });
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor([last.startsAt.toISOString(), last.id]) : null,
    },
  };
}

function latest(instants: (Date | null | undefined)[]): Date | undefined {
  const known = instants.filter((instant): instant is Date => instant instanceof Date);
  return known.length > 0 ? new Date(Math.max(...known.map((instant) => instant.getTime()))) : undefined;
}

function earliest(instants: (Date | null | undefined)[]): Date | undefined {
  const known = instants.filter((instant): instant is Date => instant instanceof Date);
  return known.length > 0 ? new Date(Math.min(...known.map((instant) => instant.getTime()))) : undefined;
}

export async function getSeries(ctx: RequestContext, id: string): Promise<ActivitySeries> {
  const member = await requireMember(ctx);
  const series = await ctx.tenant((tx) => repository.findSeriesById(tx, member.orgId, id));
  if (!series) throw notFound('Series');
  return series;
}

/* Scheduling */

export async function createActivity(ctx: RequestContext, input: ActivityInput): Promise<Activity> {
  await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const checked = checkInput(input, organization.timeZone);
  const status: ActivityStatus = input.publish ? 'PUBLISHED' : 'DRAFT';

  return ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    if (!(await findTeamById(tx, access.orgId, checked.teamId))) throw notFound('Team');
    requireTeamManager(access, checked.teamId);

    if (!checked.recurrence) {
      const activity = await repository.insertActivity(tx, {
        orgId: access.orgId,
        teamId: checked.teamId,
        ...checked.template,
        startsAt: checked.startsAt,
        endsAt: checked.endsAt,
        status,
      });
      await recordAudit(tx, ctx, access.orgId, {
        action: 'activity.created',
        subjectType: 'activity',
        subjectId: activity.id,
        detail: { title: activity.title, status },
      });
      return activity;
    }

    const series = await repository.insertSeries(tx, {
      orgId: access.orgId,
      teamId: checked.teamId,
      rrule: formatRrule(checked.recurrence, organization.timeZone),
      startsLocal: formatWallTime(checked.start),
      durationMinutes: checked.durationMinutes,
      template: checked.template,
    });
    const occurrences = await generateOccurrences(tx, series, organization.timeZone, status, ctx.clock.now().getTime());
    await recordAudit(tx, ctx, access.orgId, {
      action: 'activity_series.created',
      subjectType: 'activity_series',
      subjectId: series.id,
      detail: { title: checked.template.title, rrule: series.rrule, occurrences: occurrences.length, status },
    });
    const [first] = await repository.findOccurrencesOfSeries(tx, access.orgId, [series.id]);
    if (!first) throw new Error('a series without occurrences');
    return first;
  });
}

/**
 * Inserts the occurrences of the series' rule that do not exist yet and have
 * not started. Idempotent: an occurrence key (RECURRENCE-ID) is unique per
 * series, so running it again — or twice at once — inserts nothing more.
 */
async function generateOccurrences(
  tx: Tx,
  series: ActivitySeries,
  timeZone: string,
  status: ActivityStatus,
  now: number,
): Promise<Activity[]> {
  return repository.insertOccurrences(
    tx,
    occurrencesOf(series, timeZone)
      .filter((occurrence) => occurrence.startsAt.getTime() > now)
      .map((occurrence) => ({
        orgId: series.orgId,
        teamId: series.teamId,
        seriesId: series.id,
        occurrenceKey: occurrence.key,
        ...series.template,
        startsAt: occurrence.startsAt,
        endsAt: occurrence.endsAt,
        status,
      })),
  );
}

export async function regenerateSeries(ctx: RequestContext, seriesId: string): Promise<ActivitySeries> {
  await requireMember(ctx);
  const organization = requireOrganization(ctx);
  return ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const series = await repository.lockSeries(tx, access.orgId, seriesId);
    if (!series) throw notFound('Series');
    requireTeamManager(access, series.teamId);
    const existing = await repository.findOccurrencesOfSeries(tx, access.orgId, [series.id]);
    const created = await generateOccurrences(
      tx,
      series,
      organization.timeZone,
      seriesStatus(existing, ctx.clock.now().getTime()),
      ctx.clock.now().getTime(),
    );
    if (created.length > 0) {
      await recordAudit(tx, ctx, access.orgId, {
        action: 'activity_series.regenerated',
        subjectType: 'activity_series',
        subjectId: series.id,
        detail: { created: created.length },
      });
    }
    return series;
  });
}

/** New occurrences are published if the series' upcoming ones are. */
function seriesStatus(occurrences: Activity[], now: number): ActivityStatus {
  return occurrences.some((occurrence) => occurrence.status === 'PUBLISHED' && occurrence.startsAt.getTime() > now)
    ? 'PUBLISHED'
    : 'DRAFT';
}

/** The fields of an activity that differ from these. */
function changedFields(activity: Activity, next: Partial<Activity>): Partial<Activity> {
  const changes: Partial<Activity> = {};
  for (const [key, value] of Object.entries(next) as [keyof Activity, Activity[keyof Activity]][]) {
    const current = activity[key];
    const same =
      current instanceof Date && value instanceof Date
        ? current.getTime() === value.getTime()
        : JSON.stringify(current) === JSON.stringify(value);
    if (!same) Object.assign(changes, { [key]: value });
  }
  return changes;
}

/**
 * Applies changes to one occurrence: refuses a capacity below the places
 * already given, tells members signed up if it moved, and gives places freed
 * by a larger capacity to the waitlist.
 */
async function changeOccurrence(
  tx: Tx,
  ctx: RequestContext,
  activity: Activity,
  next: Partial<Activity>,
): Promise<Activity> {
  const changes = changedFields(activity, next);
  if (Object.keys(changes).length === 0) return activity;
  if (changes.capacity !== undefined && changes.capacity < activity.capacity) {
    const confirmed = await repository.countConfirmed(tx, activity.orgId, activity.id);
    if (changes.capacity < confirmed) throw new ValidationError({ capacity: 'BELOW_CONFIRMED' });
  }
  const moved = changes.startsAt !== undefined || changes.endsAt !== undefined;
  // A change of place tells those signed up as a change of time does (ACTIVITY_MOVED: time or place).
  const relocated =
    changes.placeName !== undefined || changes.latitude !== undefined || changes.longitude !== undefined;
  const updated = await repository.updateActivity(tx, activity.orgId, activity.id, {
    ...changes,
    // A moved activity gets new reminders before its new start.
    ...(moved ? { reminderSentAt: null, soonReminderSentAt: null } : {}),
  });
  if ((moved || relocated) && updated.status === 'PUBLISHED') {
    await notifySignedUp(
      tx,
      updated,
      'ACTIVITY_MOVED',
      noticeDetail(updated, {
        previousStartsAt: activity.startsAt.toISOString(),
        previousEndsAt: activity.endsAt.toISOString(),
        previousPlaceName: activity.placeName,
      }),
      ctx.clock.now(),
    );
  }
  if (changes.capacity !== undefined && changes.capacity > activity.capacity) await fillFreedPlaces(tx, ctx, updated);
  await recordAudit(tx, ctx, activity.orgId, {
    action: 'activity.updated',
    subjectType: 'activity',
    subjectId: activity.id,
    detail: {
      before: Object.fromEntries(Object.keys(changes).map((key) => [key, activity[key as keyof Activity]])),
      after: changes,
    },
  });
  return updated;
}

export async function updateActivity(
  ctx: RequestContext,
  id: string,
  input: ActivityInput,
  scope: 'OCCURRENCE' | 'SERIES',
): Promise<Activity> {
  await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const checked = checkInput(input, organization.timeZone);

  return ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const activity = await lockManagedActivity(tx, access, id);
    requireEditable(activity);
    if (checked.teamId !== activity.teamId) {
      if (!(await findTeamById(tx, access.orgId, checked.teamId))) throw notFound('Team');
      requireTeamManager(access, checked.teamId);
    }

    if (scope !== 'SERIES' || !activity.seriesId) {
      return changeOccurrence(tx, ctx, activity, {
        teamId: checked.teamId,
        ...checked.template,
        startsAt: checked.startsAt,
        endsAt: checked.endsAt,
        // Edited on its own: later edits of the whole series leave it alone.
        detached: activity.seriesId !== null,
      });
    }

    const series = await repository.lockSeries(tx, access.orgId, activity.seriesId);
    if (!series) throw notFound('Series');
    // The series keeps its first date; the time of day, length and rule come from the edit.
    const firstStart = parseWallTime(series.startsLocal);
    if (!firstStart) throw new Error(`series with a bad start: ${series.startsLocal}`);
    const startsLocal = formatWallTime({ ...firstStart, hour: checked.start.hour, minute: checked.start.minute });
    const rule = checked.recurrence ?? parseRrule(series.rrule, organization.timeZone);
    const problem = recurrenceProblem(rule, { ...firstStart, hour: checked.start.hour, minute: checked.start.minute });
    if (problem) throw new ValidationError({ recurrence: problem });
    const updated = await repository.updateSeries(tx, access.orgId, series.id, {
      teamId: checked.teamId,
      rrule: formatRrule(rule, organization.timeZone),
      startsLocal,
      durationMinutes: checked.durationMinutes,
      template: checked.template,
    });
    await syncSeries(tx, ctx, updated, organization.timeZone);
    await recordAudit(tx, ctx, access.orgId, {
      action: 'activity_series.updated',
      subjectType: 'activity_series',
      subjectId: series.id,
      detail: { rrule: updated.rrule, startsLocal, template: checked.template },
    });
    const refreshed = await repository.findActivityById(tx, access.orgId, activity.id);
    return refreshed ?? activity;
  });
}

/**
 * Brings a series' upcoming occurrences in line with its rule and template:
 * those still in the rule take the new fields and times (unless edited on
 * their own), those no longer in it are cancelled (members told), and new
 * ones are generated.
 */
async function syncSeries(tx: Tx, ctx: RequestContext, series: ActivitySeries, timeZone: string): Promise<void> {
  const now = ctx.clock.now().getTime();
  const existing = await repository.lockOccurrences(tx, series.orgId, series.id);
  const wanted = new Map(occurrencesOf(series, timeZone).map((occurrence) => [occurrence.key, occurrence]));
  for (const occurrence of existing) {
    if (occurrence.startsAt.getTime() <= now || occurrence.detached || !EDITABLE.includes(occurrence.status)) continue;
    const times = occurrence.occurrenceKey ? wanted.get(occurrence.occurrenceKey) : undefined;
    if (times) {
      await changeOccurrence(tx, ctx, occurrence, {
        teamId: series.teamId,
        ...series.template,
        startsAt: times.startsAt,
        endsAt: times.endsAt,
      });
    } else {
      await cancelOne(tx, ctx, occurrence, null);
    }
  }
  await generateOccurrences(tx, series, timeZone, seriesStatus(existing, now), now);
}

async function cancelOne(tx: Tx, ctx: RequestContext, activity: Activity, reason: string | null): Promise<Activity> {
  const cancelled = await repository.updateActivity(tx, activity.orgId, activity.id, {
    status: 'CANCELLED',
    cancelledAt: ctx.clock.now(),
  });
  if (activity.status === 'PUBLISHED') {
    await notifySignedUp(
      tx,
      cancelled,
      'ACTIVITY_CANCELLED',
      noticeDetail(cancelled, reason ? { reason } : {}),
      ctx.clock.now(),
    );
  }
  await recordAudit(tx, ctx, activity.orgId, {
    action: 'activity.cancelled',
    subjectType: 'activity',
    subjectId: activity.id,
    detail: reason ? { reason } : {},
  });
  return cancelled;
}

/** The upcoming occurrences of the activity's series still open to change, or just the activity. */
async function inScope(tx: Tx, activity: Activity, scope: 'OCCURRENCE' | 'SERIES', now: number): Promise<Activity[]> {
  if (scope !== 'SERIES' || !activity.seriesId) return [activity];
  const occurrences = await repository.lockOccurrences(tx, activity.orgId, activity.seriesId);
  return occurrences.filter(
    (occurrence) =>
      occurrence.id === activity.id || (occurrence.startsAt.getTime() > now && EDITABLE.includes(occurrence.status)),
  );
}

export async function publishActivity(
  ctx: RequestContext,
  id: string,
  scope: 'OCCURRENCE' | 'SERIES',
): Promise<Activity> {
  await requireMember(ctx);
  return ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const activity = await lockManagedActivity(tx, access, id);
    if (activity.status !== 'DRAFT')
      throw new AppError('INVALID_STATE', 'Only a draft can be published.', { status: activity.status });
    let result = activity;
    for (const occurrence of await inScope(tx, activity, scope, ctx.clock.now().getTime())) {
      if (occurrence.status !== 'DRAFT') continue;
      const published = await repository.updateActivity(tx, access.orgId, occurrence.id, { status: 'PUBLISHED' });
      await recordAudit(tx, ctx, access.orgId, {
        action: 'activity.published',
        subjectType: 'activity',
        subjectId: occurrence.id,
      });
      if (occurrence.id === activity.id) result = published;
    }
    return result;
  });
}

export const CANCEL_REASON_MAX = 500;

export async function cancelActivity(
  ctx: RequestContext,
  id: string,
  reason: string | null | undefined,
  scope: 'OCCURRENCE' | 'SERIES',
): Promise<Activity> {
  await requireMember(ctx);
  const why = reason?.trim() || null;
  if (why && why.length > CANCEL_REASON_MAX) throw new ValidationError({ reason: 'TOO_LONG' });
  return ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const activity = await lockManagedActivity(tx, access, id);
    requireEditable(activity);
    let result = activity;
    for (const occurrence of await inScope(tx, activity, scope, ctx.clock.now().getTime())) {
      const cancelled = await cancelOne(tx, ctx, occurrence, why);
      if (occurrence.id === activity.id) result = cancelled;
    }
    return result;
  });
}

export const BENEFICIARIES_MAX = 1_000_000;

/** Records that an activity took place and how many people it served; only once it has ended. */
export async function completeActivity(ctx: RequestContext, id: string, beneficiaries: number): Promise<Activity> {
  await requireMember(ctx);
  if (!Number.isInteger(beneficiaries) || beneficiaries < 0 || beneficiaries > BENEFICIARIES_MAX)
    throw new ValidationError({ beneficiaries: 'OUT_OF_RANGE' });
  const completed = await ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const activity = await lockManagedActivity(tx, access, id);
    if (!['PUBLISHED', 'COMPLETED'].includes(activity.status) || activity.endsAt.getTime() > ctx.clock.now().getTime())
      throw new AppError('INVALID_STATE', 'Only a published activity that has ended can be completed.', {
        status: activity.status,
      });
    const updated = await repository.updateActivity(tx, access.orgId, activity.id, {
      status: 'COMPLETED',
      beneficiaries,
    });
    await recordAudit(tx, ctx, access.orgId, {
      action: 'activity.completed',
      subjectType: 'activity',
      subjectId: activity.id,
      detail: { beneficiaries, before: activity.beneficiaries },
    });
    return updated;
  });
  // The big screen counts the people served (受益人数) this month and year.
  publishBoardEvent(ctx, completed.orgId, {
    kind: 'ACTIVITY_CHANGED',
    teamId: completed.teamId,
    subjectId: completed.id,
    occurredAt: ctx.clock.now().toISOString(),
  });
  return completed;
}

/** Local wall time of an instant in the named organization's zone, for forms. */
export function localTimeOf(ctx: RequestContext, instant: Date): string {
  return formatWallTime(wallTimeAt(instant, requireOrganization(ctx).timeZone));
}

export const RADIUS_LIMITS = { min: 20, max: 10_000 } as const;
export const OPENS_BEFORE_LIMITS = { min: 0, max: 24 * 60 } as const;

export async function updateCheckInRules(
  ctx: RequestContext,
  input: { radiusMetres: number; opensMinutesBefore: number },
): Promise<CheckInRules> {
  const admin = await requireAdmin(ctx);
  new FieldChecker()
    .check(
      Number.isInteger(input.radiusMetres) &&
        input.radiusMetres >= RADIUS_LIMITS.min &&
        input.radiusMetres <= RADIUS_LIMITS.max,
      'radiusMetres',
      'OUT_OF_RANGE',
    )
    .check(
      Number.isInteger(input.opensMinutesBefore) &&
        input.opensMinutesBefore >= OPENS_BEFORE_LIMITS.min &&
        input.opensMinutesBefore <= OPENS_BEFORE_LIMITS.max,
      'opensMinutesBefore',
      'OUT_OF_RANGE',
    )
    .throwIfAny();
  const organization = await ctx.tenant(async (tx) => {
    const updated = await repository.updateCheckInSettings(tx, admin.orgId, {
      checkInRadiusMetres: input.radiusMetres,
      checkInOpensMinutesBefore: input.opensMinutesBefore,
    });
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'organization.check_in_rules_updated',
      subjectType: 'organization',
      subjectId: admin.orgId,
      detail: { ...input },
    });
    return updated;
  });
  return checkInRules(organization);
}
