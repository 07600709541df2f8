/**
 * Totals of service hours, from the rollups: a member's with their star level
 * (rule 6, `starLevelOf`, in rules.ts), the leaderboard, the organization's
 * and the teams'.
 */
import type { Organization } from '@qicai/db';
import { requireMember, requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker } from '../../shared/errors.ts';
import { wallTimeAt } from '../../kernel/time.ts';
import type { LeaderboardEntryParent, MemberHoursParent } from './mappers.ts';
import * as repository from './repository.ts';
import { starLevelOf } from './rules.ts';
import { clampLimit, requireLeadOrAdmin } from './shared.ts';

function currentPeriod(ctx: RequestContext, organization: Organization): { year: number; month: number } {
  const wall = wallTimeAt(ctx.clock.now(), organization.timeZone);
  return { year: wall.year, month: wall.month };
}

/** A member's totals (this year, all time) and star level; a member sees their own, leads and admins anyone's. */
export async function memberHours(
  ctx: RequestContext,
  memberId: string | null | undefined,
): Promise<MemberHoursParent> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const id = memberId ?? viewer.id;
  if (id !== viewer.id) await requireLeadOrAdmin(ctx);
  const { year } = currentPeriod(ctx, organization);
  const [totals] = await ctx.tenant((tx) => repository.findMemberTotals(tx, viewer.orgId, [id], year));
  const allTimeMinutes = totals?.allTimeMinutes ?? 0;
  return {
    memberId: id,
    thisYearMinutes: totals?.yearMinutes ?? 0,
    allTimeMinutes,
    star: starLevelOf(allTimeMinutes, organization.settings),
  };
}

export type HoursPeriod = 'MONTH' | 'YEAR' | 'ALL_TIME';

export async function hoursLeaderboard(
  ctx: RequestContext,
  args: { period: HoursPeriod; year?: number | null; month?: number | null; first?: number | null },
): Promise<LeaderboardEntryParent[]> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const now = currentPeriod(ctx, organization);
  const year = args.year ?? now.year;
  const month = args.month ?? now.month;
  new FieldChecker()
    .check(Number.isInteger(year) && year >= 2000 && year <= 2100, 'year', 'OUT_OF_RANGE')
    .check(Number.isInteger(month) && month >= 1 && month <= 12, 'month', 'OUT_OF_RANGE')
    .throwIfAny();
  const period: repository.LeaderboardPeriod =
    args.period === 'ALL_TIME'
      ? { kind: 'ALL_TIME' }
      : args.period === 'YEAR'
        ? { kind: 'YEAR', year }
        : { kind: 'MONTH', year, month };
  return ctx.tenant(async (tx) => {
    const rows = await repository.leaderboard(tx, viewer.orgId, period, clampLimit(args.first ?? 20, 100));
    // Star levels go by all-time hours: one lookup for the whole board.
    const totals = await repository.findMemberTotals(
      tx,
      viewer.orgId,
      rows.map((row) => row.member.id),
      now.year,
    );
    const allTime = new Map(totals.map((total) => [total.memberId, total.allTimeMinutes]));
    return rows.map((row, index) => ({
      rank: index + 1,
      ...row,
      starLevel: starLevelOf(allTime.get(row.member.id) ?? 0, organization.settings).level,
    }));
  });
}

export interface OrganizationHoursView {
  thisMonthMinutes: number;
  thisYearMinutes: number;
  allTimeMinutes: number;
  /** The last 12 months, oldest first, months without hours included. */
  lastTwelveMonths: { year: number; month: number; minutes: number }[];
}

/** The organization's figures (the big screen's and the reports'), from the monthly rollup. */
export async function organizationHours(ctx: RequestContext): Promise<OrganizationHoursView> {
  const viewer = await requireMember(ctx);
  const organization = requireOrganization(ctx);
  const now = currentPeriod(ctx, organization);
  const months: { year: number; month: number }[] = [];
  for (let back = 11; back >= 0; back--) {
    const index = now.year * 12 + (now.month - 1) - back;
    months.push({ year: Math.floor(index / 12), month: (index % 12) + 1 });
  }
  const first = months[0] ?? now;
  const from = { year: Math.min(first.year, now.year), month: first.year < now.year ? first.month : 1 };
  const { rows, allTime } = await ctx.tenant(async (tx) => ({
    rows: await repository.orgMonths(tx, viewer.orgId, from),
    allTime: await repository.orgAllTimeMinutes(tx, viewer.orgId),
  }));
  const minutesOf = (year: number, month: number) =>
    rows.find((row) => row.year === year && row.month === month)?.minutes ?? 0;
  return {
    thisMonthMinutes: minutesOf(now.year, now.month),
    thisYearMinutes: rows.filter((row) => row.year === now.year).reduce((sum, row) => sum + row.minutes, 0),
    allTimeMinutes: allTime,
    lastTwelveMonths: months.map(({ year, month }) => ({ year, month, minutes: minutesOf(year, month) })),
  };
}

export async function teamHours(
  ctx: RequestContext,
  args: { year?: number | null; month?: number | null },
): Promise<{ teamId: string; minutes: number }[]> {
  const viewer = await requireMember(ctx);
  const now = currentPeriod(ctx, requireOrganization(ctx));
  return ctx.tenant((tx) =>
    repository.teamMinutes(tx, viewer.orgId, { year: args.year ?? now.year, month: args.month ?? null }),
  );
}
