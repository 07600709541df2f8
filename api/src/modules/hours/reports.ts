/**
 * Hours reports: approved service hours by member, team or month for a
 * period, for leads (their teams' records) and admins (every team's), as
 * tables, charts and spreadsheet files.
 *
 * They sum the records themselves rather than the monthly rollups: a period
 * may start and end on any day, and a lead's report counts only their teams'
 * records, which the per-member rollups do not tell apart.
 */
import { politicalStatusEnum, type PoliticalStatus, type Team } from '@qicai/db';
import { POLITICAL_STATUS_LABELS } from '../members/profile.ts';
import { requireMember, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { checkPeriod } from '../../shared/period.ts';
import { FieldChecker, forbidden } from '../../shared/errors.ts';
import { activityAccess } from '../activities/access.ts';

import { addDays, instantOf, localDateAt, parseLocalDate } from '../../kernel/time.ts';
import { planReport, recordsOnly } from './report-plan.ts';

import { REPORT_CONTENT_TYPES, reportFileName, type ReportFileFormat, type ReportGrouping } from './report-file.ts';
import * as repository from './reports-repository.ts';
import { findTeamsByIds } from '../teams/repository.ts';

export interface HoursReportInput {
  from: string;
  to: string;
  groupBy: ReportGrouping;
  /** At most this many rows (a page); every row when not given. */
  first?: number | null;
  /** Rows skipped before the page. */
  offset?: number | null;
}

export interface HoursReportRowParent {
  key: string;
  label: string;
  memberId: string | null;
  teamId: string | null;
  politicalStatus: PoliticalStatus | null;
  minutes: number;
  records: number;
}

export interface HoursReportParent {
  from: string;
  to: string;
  groupBy: ReportGrouping;
  rows: HoursReportRowParent[];
  /** Every row of the report, whatever the page. */
  rowCount: number;
  totalMinutes: number;
  totalRecords: number;
}

/** The longest period a report covers: ten years of days. */
const MAX_DAYS = 3660;

/** Admins see every team; a lead their own teams; anyone else may not read reports. */
async function reportScope(ctx: RequestContext, input: { from: string; to: string }): Promise<repository.ReportScope> {
  const member = await requireMember(ctx);
  const access = await activityAccess(ctx);
  if (!access.isAdmin && access.ledTeamIds.size === 0) throw forbidden('Only leads and admins read hours reports.');
  checkPeriod(input, MAX_DAYS);
  return {
    orgId: member.orgId,
    period: { from: input.from, to: input.to },
    teamIds: access.isAdmin ? null : [...access.ledTeamIds],
  };
}

/** The most rows one report answers at a time when a page is asked for. */
export const MAX_REPORT_PAGE = 1000;

export async function hoursReport(ctx: RequestContext, input: HoursReportInput): Promise<HoursReportParent> {
  const scope = await reportScope(ctx, input);
  new FieldChecker()
    .check(
      input.first == null || (Number.isInteger(input.first) && input.first >= 1 && input.first <= MAX_REPORT_PAGE),
      'first',
      'OUT_OF_RANGE',
    )
    .check(input.offset == null || (Number.isInteger(input.offset) && input.offset >= 0), 'offset', 'OUT_OF_RANGE')
    .throwIfAny();
  const today = localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone);
  const perMember = input.groupBy === 'MEMBER' || input.groupBy === 'POLITICAL_STATUS';
  // A lead's report counts their teams' records only, which the members' rollups do not tell apart.
  const plan =
    perMember && scope.teamIds
      ? recordsOnly(scope.period)
      : planReport(scope.period, perMember ? 'MEMBER' : 'TEAM', today);
  const page = input.first == null ? null : { first: input.first, offset: input.offset ?? 0 };
  const sums = await ctx.tenant((tx) => repository.sumReport(tx, scope, plan, input.groupBy, page));
  const none = { memberId: null, teamId: null, politicalStatus: null };
  const rows = sums.rows.map((sum): HoursReportRowParent => {
    const id = sum.groupKey;
    switch (input.groupBy) {
      case 'MEMBER':
        return { ...none, ...counts(sum), key: `member:${id}`, label: sum.name ?? '', memberId: id };
      case 'TEAM':
        return { ...none, ...counts(sum), key: `team:${id ?? 'none'}`, label: '', teamId: id };
      case 'MONTH':
        return { ...none, ...counts(sum), key: `month:${id}`, label: id ?? '' };
      case 'POLITICAL_STATUS': {
        const status = politicalStatusEnum.enumValues.find((candidate) => candidate === id) ?? 'MASSES';
        return { ...none, ...counts(sum), key: `political:${status}`, label: status, politicalStatus: status };
      }
    }
  });
  return {
    from: input.from,
    to: input.to,
    groupBy: input.groupBy,
    rows,
    rowCount: sums.rowCount,
    totalMinutes: sums.totalMinutes,
    totalRecords: sums.totalRecords,
  };
}

export interface BeneficiariesRowParent {
  key: string;
  label: string;
  teamId: string | null;
  activities: number;
  beneficiaries: number;
}

export interface BeneficiariesReportParent {
  from: string;
  to: string;
  byTeam: BeneficiariesRowParent[];
  byMonth: BeneficiariesRowParent[];
  byYear: BeneficiariesRowParent[];
  totalActivities: number;
  totalBeneficiaries: number;
}

/**
 * People served (受益人数), from the counts activities recorded when completed,
 * for activities that started on the period's days in the organization's time
 * zone: by team, month and year, with the same access as the hours reports.
 */
export async function beneficiariesReport(
  ctx: RequestContext,
  input: { from: string; to: string },
): Promise<BeneficiariesReportParent> {
  const scope = await reportScope(ctx, input);
  const timeZone = requireOrganization(ctx).timeZone;
  const first = parseLocalDate(input.from);
  const last = parseLocalDate(input.to);
  if (!first || !last) throw new Error('checked period without dates');
  const sums = await ctx.tenant((tx) =>
    repository.sumBeneficiaries(tx, {
      orgId: scope.orgId,
      teamIds: scope.teamIds,
      timeZone,
      from: instantOf(first, timeZone),
      to: instantOf(addDays(last, 1), timeZone),
    }),
  );
  const rows = (grouping: repository.BeneficiariesSum['grouping']) =>
    sums
      .filter((sum) => sum.grouping === grouping)
      .map((sum): BeneficiariesRowParent => ({
        key: `${grouping.toLowerCase()}:${sum.groupKey}`,
        label: grouping === 'TEAM' ? '' : sum.groupKey,
        teamId: grouping === 'TEAM' ? sum.groupKey : null,
        activities: sum.activities,
        beneficiaries: sum.beneficiaries,
      }));
  const byYear = rows('YEAR').sort((a, b) => a.label.localeCompare(b.label));
  return {
    from: input.from,
    to: input.to,
    byTeam: rows('TEAM').sort((a, b) => b.beneficiaries - a.beneficiaries || a.key.localeCompare(b.key)),
    byMonth: rows('MONTH').sort((a, b) => a.label.localeCompare(b.label)),
    byYear,
    totalActivities: byYear.reduce((total, row) => total + row.activities, 0),
    totalBeneficiaries: byYear.reduce((total, row) => total + row.beneficiaries, 0),
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
  // The file holds every row, whatever page the screen shows.
  const report = await hoursReport(ctx, { ...input, first: null, offset: null });
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
        label:
          input.groupBy === 'TEAM'
            ? teamName(row.teamId ? byId.get(row.teamId) : undefined, locale)
            : row.politicalStatus
              ? POLITICAL_STATUS_LABELS[locale][row.politicalStatus]
              : row.label,
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
