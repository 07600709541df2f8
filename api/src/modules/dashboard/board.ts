/**
 * The big screen's figures (信息中心大屏幕), read in one transaction with a
 * fixed number of statements: the teams (with members, this month's
 * activities and children sponsored), today's activities (with who is
 * checked in now), the latest check-ins, service hours (three statements
 * over its rollups) and requests (one). Names leave this file masked.
 */
import type { TeamColour } from '@qicai/db';
import type { Board, BoardFeedItem, BoardTeam } from '../../__generated__/resolvers.ts';
import { requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { formatWallTime, instantOf, wallTimeAt, type WallTime } from '../../kernel/time.ts';
import { requireBoardViewer } from './display-tokens.ts';
import { checkInRules } from '../activities/service.ts';
import { hoursFigures, requestFigures, type Period } from './figures.ts';
import { maskName } from './mask.ts';
import * as repository from './repository.ts';

/** Rows of today's activities on the screen: more would not be readable across a room. */
const TODAY_LIMIT = 12;
const FEED_LIMIT = 12;
const TREND_MONTHS = 12;

function midnight(year: number, month: number, day: number): WallTime {
  return { year, month, day, hour: 0, minute: 0 };
}

/** The first day of the month `offset` months from (year, month), normalised. */
function monthStart(year: number, month: number, offset: number): WallTime {
  const index = year * 12 + (month - 1) + offset;
  return midnight(Math.floor(index / 12), (index % 12) + 1, 1);
}

function monthKey(wall: WallTime): string {
  return `${wall.year}-${String(wall.month).padStart(2, '0')}`;
}

/** Today, this month, this year and the last twelve months, as instants, in the organization's time zone. */
export function boardPeriods(now: Date, timeZone: string) {
  const wall = wallTimeAt(now, timeZone);
  const period = (from: WallTime, to: WallTime): Period => ({
    from: instantOf(from, timeZone),
    to: instantOf(to, timeZone),
  });
  const today = midnight(wall.year, wall.month, wall.day);
  const tomorrow = wallTimeAt(new Date(instantOf(today, timeZone).getTime() + 36 * 3_600_000), timeZone);
  return {
    day: period(today, midnight(tomorrow.year, tomorrow.month, tomorrow.day)),
    month: {
      ...period(monthStart(wall.year, wall.month, 0), monthStart(wall.year, wall.month, 1)),
      year: wall.year,
      month: wall.month,
    },
    year: period(midnight(wall.year, 1, 1), midnight(wall.year + 1, 1, 1)),
    trendMonths: Array.from({ length: TREND_MONTHS }, (_, index) =>
      monthKey(monthStart(wall.year, wall.month, index - (TREND_MONTHS - 1))),
    ),
  };
}

export async function readBoard(ctx: RequestContext): Promise<Board> {
  const orgId = await requireBoardViewer(ctx);
  const organization = requireOrganization(ctx);
  const { timeZone } = organization;
  const now = ctx.clock.now();
  const periods = boardPeriods(now, timeZone);

  const { teamRows, childrenSponsored, activitiesAround, checkIns, hours, requests } = await ctx.tenant(async (tx) => {
    // One transaction, the statements sent together: the connection pipelines them.
    const [teamsAndChildren, day, latest, hoursOfOrg, requestsOfOrg] = await Promise.all([
      repository.teamFigures(tx, orgId, periods.month),
      // Today's, and any of tomorrow's whose check-in has opened (near midnight): people checked in now.
      repository.activitiesOfDay(tx, orgId, {
        from: periods.day.from,
        to: new Date(
          Math.max(periods.day.to.getTime(), now.getTime() + checkInRules(organization).opensMinutesBefore * 60_000),
        ),
      }),
      repository.latestCheckIns(tx, orgId, FEED_LIMIT),
      hoursFigures(tx, {
        orgId,
        month: periods.month,
        year: periods.year,
        trendMonths: periods.trendMonths.map((month) => `${month}-01`),
        feedLimit: FEED_LIMIT,
      }),
      requestFigures(tx, organization, now),
    ]);
    return {
      teamRows: teamsAndChildren.teams,
      childrenSponsored: teamsAndChildren.childrenSponsored,
      activitiesAround: day,
      checkIns: latest,
      hours: hoursOfOrg,
      requests: requestsOfOrg,
    };
  });

  // Checked in now: at an activity not yet ended (check-in opens a little before the start).
  const running = activitiesAround.filter((activity) => activity.endsAt > now);
  const dayActivities = activitiesAround.filter((activity) => activity.startsAt < periods.day.to);
  const teams: BoardTeam[] = teamRows.map((team) => ({
    colour: team.colour,
    name: { zh: team.nameZh, en: team.nameEn },
    members: team.members,
    activitiesThisMonth: team.activitiesThisMonth,
    activitiesToday: dayActivities.filter((activity) => activity.teamId === team.id).length,
    checkedInNow: running
      .filter((activity) => activity.teamId === team.id)
      .reduce((sum, activity) => sum + activity.checkedIn, 0),
    hoursThisYearMinutes: hours.teamYearMinutes.get(team.id) ?? 0,
    beneficiariesThisMonth: team.beneficiariesThisMonth,
    beneficiariesThisYear: team.beneficiariesThisYear,
  }));

  const feed: BoardFeedItem[] = [
    ...checkIns.map((row) => ({
      kind: 'CHECK_IN' as const,
      maskedName: maskName(row.displayName),
      teamColour: row.colour,
      title: row.title,
      at: row.at,
      minutes: null,
    })),
    ...hours.latestApprovals.map((row) => ({
      kind: 'HOURS_APPROVED' as const,
      maskedName: maskName(row.displayName),
      teamColour: row.colour satisfies TeamColour | null,
      title: row.title,
      at: row.at,
      minutes: row.minutes,
    })),
  ]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, FEED_LIMIT);

  return {
    generatedAt: now,
    timeZone,
    checkedInNow: running.reduce((sum, activity) => sum + activity.checkedIn, 0),
    today: dayActivities.slice(0, TODAY_LIMIT).map((activity) => ({
      id: activity.id,
      title: activity.title,
      teamColour: activity.colour,
      placeName: activity.placeName,
      startsAt: activity.startsAt,
      endsAt: activity.endsAt,
      startsAtLocal: formatWallTime(wallTimeAt(activity.startsAt, timeZone)),
      endsAtLocal: formatWallTime(wallTimeAt(activity.endsAt, timeZone)),
      confirmed: activity.confirmed,
      checkedIn: activity.checkedIn,
      happeningNow: activity.startsAt <= now && activity.endsAt > now,
    })),
    todayCount: dayActivities.length,
    hours: { thisMonthMinutes: hours.thisMonthMinutes, thisYearMinutes: hours.thisYearMinutes },
    // Every activity belongs to a team: the seven teams' figures are the association's.
    beneficiaries: {
      thisMonth: teams.reduce((sum, team) => sum + team.beneficiariesThisMonth, 0),
      thisYear: teams.reduce((sum, team) => sum + team.beneficiariesThisYear, 0),
    },
    teams,
    feed,
    requests: {
      received: requests.received,
      inProgress: requests.inProgress,
      open: requests.received + requests.inProgress,
      solved: requests.solved,
      overdue: requests.overdue,
    },
    childrenSponsored,
    trend: periods.trendMonths.map((month) => ({
      month,
      minutes: hours.monthMinutes.get(month) ?? 0,
    })),
  };
}
