/**
 * Calendar feeds: a member subscribes their calendar app to a secret URL that
 * lists their sign-ups, or a team's published activities, and keeps itself up
 * to date (ical.ts). The token is 32 random bytes shown once; only its SHA-256
 * is kept, so a copy of the database opens no feed. Revoking a feed, or the
 * member leaving, ends it at once.
 */
import type { CalendarFeed } from '@qicai/db';
import { createHash, randomBytes } from 'node:crypto';
import { requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { notFound } from '../../shared/errors.ts';
import { activityAccess, canSeeActivity } from '../activities/access.ts';
import { findActivitiesByIds } from '../activities/repository.ts';
import { requireId } from '../members/ids.ts';
import { buildCalendar } from './ical.ts';
import * as repository from './repository.ts';
import { findTeamsByIds } from '../teams/repository.ts';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const CONTENT_TYPE = 'text/calendar; charset=utf-8';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface CalendarFile {
  fileName: string;
  contentType: string;
  text: string;
}

export async function listCalendarFeeds(ctx: RequestContext): Promise<CalendarFeed[]> {
  const member = await requireMember(ctx);
  return ctx.tenant((tx) => repository.listLiveFeedsOfMember(tx, member.orgId, member.id));
}

/** Makes a feed of the viewer's sign-ups (teamId null) or of a team's activities; returns its URL once. */
export async function createCalendarFeed(
  ctx: RequestContext,
  teamId: string | null,
): Promise<{ feed: CalendarFeed; url: string }> {
  const member = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const token = randomBytes(32).toString('base64url');
  const feed = await ctx.tenant(async (tx) => {
    if (teamId !== null) {
      requireId(teamId, 'Team');
      const [team] = await findTeamsByIds(tx, member.orgId, [teamId]);
      if (!team) throw notFound('Team');
    }
    const row = await repository.insertCalendarFeed(tx, {
      orgId: member.orgId,
      memberId: member.id,
      teamId,
      tokenHash: hashToken(token),
    });
    await recordAudit(tx, ctx, member.orgId, {
      action: 'calendar_feed.created',
      subjectType: 'calendar_feed',
      subjectId: row.id,
      detail: { teamId },
    });
    return row;
  });
  const url = new URL(`/o/${organization.slug}/calendar/${token}.ics`, ctx.config.publicUrl);
  return { feed, url: url.toString() };
}

export async function revokeCalendarFeed(ctx: RequestContext, id: string): Promise<CalendarFeed> {
  const member = await requireMember(ctx);
  requireId(id, 'Calendar feed');
  return ctx.tenant(async (tx) => {
    const revoked = await repository.revokeFeedOfMember(tx, member.orgId, member.id, id, ctx.clock.now());
    if (revoked) {
      await recordAudit(tx, ctx, member.orgId, {
        action: 'calendar_feed.revoked',
        subjectType: 'calendar_feed',
        subjectId: revoked.id,
        detail: { teamId: revoked.teamId },
      });
      return revoked;
    }
    const existing = await repository.findFeedOfMember(tx, member.orgId, member.id, id);
    if (!existing) throw notFound('Calendar feed');
    return existing;
  });
}

/** The feed's file, by its token alone (no session: calendar apps do not sign in); null if it is not live. */
export async function calendarFeedFile(ctx: RequestContext, token: string): Promise<CalendarFile | null> {
  const organization = requireOrganization(ctx);
  if (!TOKEN_PATTERN.test(token)) return null;
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - repository.FEED_DAYS_BACK * 86_400_000);
  const found = await ctx.tenant(async (tx) => {
    const feed = await repository.findLiveFeedByHash(tx, organization.id, hashToken(token));
    if (!feed) return null;
    if (feed.teamId === null) {
      return {
        name: organization.name,
        events: await repository.activitiesSignedUpBy(tx, organization.id, feed.memberId, since),
      };
    }
    const [team] = await findTeamsByIds(tx, organization.id, [feed.teamId]);
    if (!team) return null;
    return {
      name: `${organization.name} · ${organization.defaultLocale === 'en' ? team.nameEn : team.nameZh}`,
      events: await repository.activitiesOfTeam(tx, organization.id, team.id, since),
    };
  });
  if (!found) return null;
  return {
    fileName: `${organization.slug}.ics`,
    contentType: CONTENT_TYPE,
    text: buildCalendar(organization, found.name, found.events, { publicUrl: ctx.config.publicUrl, now }),
  };
}

/** One activity as a file to open in a calendar app ("add to calendar"), for anyone who may see it. */
export async function activityCalendarFile(ctx: RequestContext, id: string): Promise<CalendarFile> {
  const organization = requireOrganization(ctx);
  requireId(id, 'Activity');
  const activity = await ctx.tenant(async (tx) => {
    const access = await activityAccess(ctx, tx);
    const [row] = await findActivitiesByIds(tx, organization.id, [id]);
    return row && canSeeActivity(access, row) ? row : undefined;
  });
  if (!activity) throw notFound('Activity');
  return {
    fileName: `activity-${activity.id}.ics`,
    contentType: CONTENT_TYPE,
    text: buildCalendar(organization, activity.title, [activity], {
      publicUrl: ctx.config.publicUrl,
      now: ctx.clock.now(),
    }),
  };
}
