/**
 * Where a report's sums come from: the rollups the approvals keep (members'
 * years and months, teams' and the organization's months) for the whole years
 * and months of the period, and the approved records themselves only for the
 * days of the months at its edges — added when they are the smaller part of
 * their month, or subtracted from that month's (or year's) rollup when the days
 * left out are. The answer is the same as summing every record of the period
 * (the rollups are the sum of the approved records: `adjustRollups` is the one
 * place they change); what differs is how much is read. A county's year so far
 * (31,000 members, a million records) is its members' year rollups less the
 * records dated after today — none — instead of a scan of the year's records.
 */
import {
  addDays,
  daysInMonth,
  formatLocalDate,
  parseLocalDate,
  wallTimeValue,
  type WallTime,
} from '../../kernel/time.ts';

export interface ReportDays {
  /** First day, `YYYY-MM-DD`. */
  from: string;
  /** Last day, included. */
  to: string;
  /** +1: the records of these days are added; -1: taken away from a rollup that counts them. */
  sign: 1 | -1;
}

export interface ReportPlan {
  /** Whole calendar years read from the members' year rollups. */
  years: number[];
  /** Whole months read from the month rollups. */
  months: { year: number; month: number }[];
  /** Days read from the approved records. */
  days: ReportDays[];
}

/**
 * What reading a part costs, in days of records: a day of records is 1, one
 * rollup set of all members (a year or a month) about as much as ten days of
 * records (a county has ~30,000 member-month rows and ~3,000 records a day);
 * the teams' and the organization's month rollups are a few rows, nothing.
 */
const MEMBER_ROLLUP_COST = 10;

/** Per member (MEMBER, POLITICAL_STATUS: member rollups), or per team or month (team and organization rollups). */
export type ReportLevel = 'MEMBER' | 'TEAM';

interface Option {
  plan: ReportPlan;
  cost: number;
}

const day = (wall: WallTime) => formatLocalDate(wall);
const dayOf = (year: number, month: number, dayOfMonth: number): WallTime => ({
  year,
  month,
  day: dayOfMonth,
  hour: 0,
  minute: 0,
});

/**
 * The plan for the days `from` … `to` (both included, `YYYY-MM-DD`). `today`,
 * the organization's date now: days after it hold no records yet, so taking
 * them away from a rollup costs nothing to read.
 */
export function planReport(period: { from: string; to: string }, level: ReportLevel, today: string): ReportPlan {
  const first = parseLocalDate(period.from);
  const last = parseLocalDate(period.to);
  if (!first || !last) throw new Error('a report period without dates');
  const todayValue = wallTimeValue(parseLocalDate(today) ?? last);
  const daysCost = (from: WallTime, to: WallTime) => {
    const until = Math.min(wallTimeValue(to), todayValue);
    return until < wallTimeValue(from) ? 0 : (until - wallTimeValue(from)) / 86_400_000 + 1;
  };
  const rollupCost = level === 'MEMBER' ? MEMBER_ROLLUP_COST : 0;
  const plan: ReportPlan = { years: [], months: [], days: [] };

  for (let year = first.year; year <= last.year; year++) {
    const start = year === first.year ? first : dayOf(year, 1, 1);
    const end = year === last.year ? last : dayOf(year, 12, 31);
    // By months: whole months from their rollups, the edge months' days by the cheaper way.
    const byMonths: Option = { plan: { years: [], months: [], days: [] }, cost: 0 };
    for (let month = start.month; month <= end.month; month++) {
      const monthStart = dayOf(year, month, 1);
      const monthEnd = dayOf(year, month, daysInMonth(year, month));
      const from = month === start.month ? start : monthStart;
      const to = month === end.month ? end : monthEnd;
      const inside = daysCost(from, to);
      const before = from.day > 1 ? { from: monthStart, to: addDays(from, -1) } : null;
      const after = to.day < monthEnd.day ? { from: addDays(to, 1), to: monthEnd } : null;
      if (!before && !after) {
        byMonths.plan.months.push({ year, month });
        byMonths.cost += rollupCost;
        continue;
      }
      const outside =
        rollupCost + (before ? daysCost(before.from, before.to) : 0) + (after ? daysCost(after.from, after.to) : 0);
      if (inside <= outside) {
        byMonths.plan.days.push({ from: day(from), to: day(to), sign: 1 });
        byMonths.cost += inside;
      } else {
        byMonths.plan.months.push({ year, month });
        for (const part of [before, after]) {
          if (part) byMonths.plan.days.push({ from: day(part.from), to: day(part.to), sign: -1 });
        }
        byMonths.cost += outside;
      }
    }
    let chosen = byMonths;
    if (level === 'MEMBER') {
      // The year's rollup less the days of the year outside the period.
      const yearStart = dayOf(year, 1, 1);
      const yearEnd = dayOf(year, 12, 31);
      const byYear: Option = { plan: { years: [year], months: [], days: [] }, cost: MEMBER_ROLLUP_COST };
      if (wallTimeValue(start) > wallTimeValue(yearStart)) {
        byYear.plan.days.push({ from: day(yearStart), to: day(addDays(start, -1)), sign: -1 });
        byYear.cost += daysCost(yearStart, addDays(start, -1));
      }
      if (wallTimeValue(end) < wallTimeValue(yearEnd)) {
        byYear.plan.days.push({ from: day(addDays(end, 1)), to: day(yearEnd), sign: -1 });
        byYear.cost += daysCost(addDays(end, 1), yearEnd);
      }
      if (byYear.cost <= byMonths.cost) chosen = byYear;
    }
    plan.years.push(...chosen.plan.years);
    plan.months.push(...chosen.plan.months);
    plan.days.push(...chosen.plan.days);
  }
  return plan;
}

/** The plan that reads the records of the period only (a lead's member report: the rollups do not tell teams apart). */
export function recordsOnly(period: { from: string; to: string }): ReportPlan {
  return { years: [], months: [], days: [{ from: period.from, to: period.to, sign: 1 }] };
}
