/**
 * Hours reports: approved service hours by member, team or month for a
 * period, for leads (their teams' records) and admins (every team's), as
 * tables, charts and spreadsheet files.
 *
 * They sum the records themselves rather than the monthly rollups: a period
 * may start and end on any day, and a lead's report counts only their teams'
 * records, which the per-member rollups do not tell apart.
 */
import type { Team } from '@qicai/db';
import { requireMember } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker, forbidden } from '../../shared/errors.ts';
import { activityAccess } from '../activities/access.ts';
import { findTeamsByIds } from '../activities/repository.ts';
import { isCalendarDate } from '../sponsorship/dates.ts';
import { REPORT_CONTENT_TYPES, reportFileName, type ReportFileFormat, type ReportGrouping } from './report-file.ts';
import * as repository from './reports-repository.ts';

export interface HoursReportInput {
  from: string;
  to: string;
  groupBy: ReportGrouping;
}

export interface HoursReportRowParent {
  key: string;
  label: string;
  memberId: string | null;
  teamId: string | null;
  minutes: number;
  records: number;
}

export interface HoursReportParent {
  from: string;
  to: string;
  groupBy: ReportGrouping;
  rows: HoursReportRowParent[];
  totalMinutes: number;
  totalRecords: number;
}

/** The longest period a report covers: ten years of days. */
const MAX_DAYS = 3660;

function checkPeriod(input: HoursReportInput): void {
  new FieldChecker()
    .check(isCalendarDate(input.from), 'from', 'INVALID')
    .check(isCalendarDate(input.to), 'to', 'INVALID')
    .throwIfAny();
  const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
  new FieldChecker()
    .check(days >= 0, 'to', 'ENDS_BEFORE_START')
    .check(days <= MAX_DAYS, 'to', 'PERIOD_TOO_LONG')
    .throwIfAny();
}

/** Admins see every team; a lead their own teams; anyone else may not read reports. */
async function reportScope(ctx: RequestContext, input: HoursReportInput): Promise<repository.ReportScope> {
  const member = await requireMember(ctx);
  const access = await activityAccess(ctx);
  if (!access.isAdmin && access.ledTeamIds.size === 0) throw forbidden('Only leads and admins read hours reports.');
  checkPeriod(input);
  return {
    orgId: member.orgId,
    period: { from: input.from, to: input.to },
    teamIds: access.isAdmin ? null : [...access.ledTeamIds],
  };
}

export async function hoursReport(ctx: RequestContext, input: HoursReportInput): Promise<HoursReportParent> {
  const scope = await reportScope(ctx, input);
  const sums = await ctx.tenant((tx) =>
    input.groupBy === 'MEMBER'
      ? repository.sumByMember(tx, scope)
      : input.groupBy === 'TEAM'
        ? repository.sumByTeam(tx, scope)
        : repository.sumByMonth(tx, scope),
  );
  const rows = sums.map((sum): HoursReportRowParent => {
    const id = sum.groupKey;
    switch (input.groupBy) {
      case 'MEMBER':
        return { ...counts(sum), key: `member:${id}`, label: sum.name ?? '', memberId: id, teamId: null };
      case 'TEAM':
        return { ...counts(sum), key: `team:${id ?? 'none'}`, label: '', memberId: null, teamId: id };
      case 'MONTH':
        return { ...counts(sum), key: `month:${id}`, label: id ?? '', memberId: null, teamId: null };
    }
  });
  return {
    from: input.from,
    to: input.to,
    groupBy: input.groupBy,
    rows,
    totalMinutes: rows.reduce((total, row) => total + row.minutes, 0),
    totalRecords: rows.reduce((total, row) => total + row.records, 0),
  };
}

function counts(sum: repository.ReportSum): { minutes: number; records: number } {
  return { minutes: sum.minutes, records: sum.records };
}

function teamName(team: Team | undefined, locale: 'zh' | 'en'): string {
  if (!team) return locale === 'zh' ? '（未归队）' : '(no team)';
  return locale === 'zh' ? team.nameZh : team.nameEn;
}

/** The report as .xlsx or .csv, team names in the asked language; audited, as the roster export is. */
export async function hoursReportFile(
  ctx: RequestContext,
  input: HoursReportInput,
  format: ReportFileFormat,
  locale: 'zh' | 'en',
): Promise<{ fileName: string; contentType: string; base64: string }> {
  const report = await hoursReport(ctx, input);
  const member = await requireMember(ctx);
  const teamIds = report.rows.flatMap((row) => (row.teamId ? [row.teamId] : []));
  const teams = await ctx.tenant(async (tx) => {
    await recordAudit(tx, ctx, member.orgId, {
      action: 'hours.report_exported',
      subjectType: 'organization',
      subjectId: member.orgId,
      detail: { format, groupBy: input.groupBy, from: input.from, to: input.to, rows: report.rows.length },
    });
    return findTeamsByIds(tx, member.orgId, teamIds);
  });
  const byId = new Map(teams.map((team) => [team.id, team]));
  const file = await ctx.work('writeHoursReport', {
    format,
    locale,
    report: {
      grouping: input.groupBy,
      period: { from: input.from, to: input.to },
      rows: report.rows.map((row) => ({
        label: input.groupBy === 'TEAM' ? teamName(row.teamId ? byId.get(row.teamId) : undefined, locale) : row.label,
        minutes: row.minutes,
        records: row.records,
      })),
    },
  });
  return {
    fileName: reportFileName({ grouping: input.groupBy, period: { from: input.from, to: input.to } }, format),
    contentType: REPORT_CONTENT_TYPES[format],
    base64: file.toString('base64'),
  };
}
