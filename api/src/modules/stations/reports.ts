/**
 * The stations' report (服务站月报): per station and per township, per month,
 * the visits of the logbook, the services by category, and the spot checks
 * asked at the stations — how many were answered and how fast. Admins read it
 * (the office that watches the big screen). As a table
 * (GraphQL) and as an .xlsx workbook written in a worker thread.
 *
 * Visits and their categories add up, so townships and the total are summed
 * here from the per-station rows; a median does not, so the database takes
 * each grouping's median itself (repository.sumSpotChecksByMonth).
 */
import { STATION_SERVICE_CATEGORIES, type Station, type StationServiceCategory } from '@qicai/db';
import { requireAdmin, requireOrganization } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { checkPeriod } from '../../shared/period.ts';
import { addDays, instantOf, parseLocalDate } from '../../kernel/time.ts';
import * as repository from './repository.ts';
import { REPORT_XLSX_CONTENT_TYPE, stationReportFileName, type StationReportFileInput } from './report-file.ts';

/** A year and a day: a month per column of a year's report, and the first and last day of a year both in. */
export const STATION_REPORT_MAX_DAYS = 366;

export interface StationReportInput {
  from: string;
  to: string;
}

export interface StationReportRowParent {
  key: string;
  month: string | null;
  township: string | null;
  station: Station | null;
  stations: number;
  visits: number;
  minutes: number;
  referred: number;
  byCategory: { category: StationServiceCategory; visits: number }[];
  spotChecksSent: number;
  spotChecksAnswered: number;
  spotChecksUnanswered: number;
  spotChecksLate: number;
  spotChecksAwayFromStation: number;
  answerRate: number | null;
  medianAnswerSeconds: number | null;
}

export interface StationReportParent {
  from: string;
  to: string;
  months: string[];
  byStation: StationReportRowParent[];
  byTownship: StationReportRowParent[];
  total: StationReportRowParent;
}

/** The months a period touches: 2026-01-30 … 2026-03-02 → 2026-01, 2026-02, 2026-03. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${String(year)}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) return months;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
}

/** Answered of those answered or marked unanswered: a pending spot check has not had its chance yet. */
export function answerRate(answered: number, unanswered: number): number | null {
  return answered + unanswered === 0 ? null : answered / (answered + unanswered);
}

const EMPTY_SPOT_CHECKS: Omit<repository.SpotCheckSum, 'month' | 'stationId' | 'township'> = {
  sent: 0,
  answered: 0,
  unanswered: 0,
  late: 0,
  awayFromStation: 0,
  medianAnswerSeconds: null,
};

function row(
  key: string,
  place: { month: string | null; township: string | null; station: Station | null; stations: number },
  visits: repository.StationVisitSum[],
  spotChecks: Omit<repository.SpotCheckSum, 'month' | 'stationId' | 'township'> | undefined,
): StationReportRowParent {
  const checks = spotChecks ?? EMPTY_SPOT_CHECKS;
  return {
    key,
    ...place,
    visits: visits.reduce((sum, visit) => sum + visit.visits, 0),
    minutes: visits.reduce((sum, visit) => sum + visit.minutes, 0),
    referred: visits.reduce((sum, visit) => sum + visit.referred, 0),
    byCategory: STATION_SERVICE_CATEGORIES.map((category) => ({
      category,
      visits: visits.filter((visit) => visit.category === category).reduce((sum, visit) => sum + visit.visits, 0),
    })),
    spotChecksSent: checks.sent,
    spotChecksAnswered: checks.answered,
    spotChecksUnanswered: checks.unanswered,
    spotChecksLate: checks.late,
    spotChecksAwayFromStation: checks.awayFromStation,
    answerRate: answerRate(checks.answered, checks.unanswered),
    medianAnswerSeconds: checks.medianAnswerSeconds,
  };
}

/**
 * Admins only: the report counts every spot check asked at a station, and a
 * spot check's row is the person asked's, its sender's and the admins' (row-level security).
 */
async function reportStations(ctx: RequestContext): Promise<{ orgId: string; stations: Station[] }> {
  const admin = await requireAdmin(ctx);
  const stations = await ctx.tenant((tx) => repository.listStations(tx, admin.orgId));
  return { orgId: admin.orgId, stations };
}

export async function stationReport(ctx: RequestContext, input: StationReportInput): Promise<StationReportParent> {
  checkPeriod(input, STATION_REPORT_MAX_DAYS);
  const { timeZone } = requireOrganization(ctx);
  const { orgId, stations } = await reportStations(ctx);
  const first = parseLocalDate(input.from);
  const last = parseLocalDate(input.to);
  if (!first || !last) throw new Error('checked period without dates');
  const scope: repository.StationReportScope = {
    orgId,
    stationIds: null,
    timeZone,
    from: instantOf(first, timeZone),
    to: instantOf(addDays(last, 1), timeZone),
  };
  const [visits, spotChecks] = await ctx.tenant(
    async (tx) =>
      [await repository.sumVisitsByMonth(tx, scope), await repository.sumSpotChecksByMonth(tx, scope)] as const,
  );
  const months = monthsOf(input.from, input.to);
  const townships = [...new Set(stations.map((station) => station.township))].sort((a, b) => a.localeCompare(b, 'zh'));
  const townshipOf = new Map(stations.map((station) => [station.id, station.township]));
  // The API's station order (township, then name), as listStations gives it.
  const ordered = [...stations].sort(
    (a, b) => a.township.localeCompare(b.township, 'zh') || a.name.localeCompare(b.name, 'zh'),
  );

  // Indexed once: 120 stations × 12 months look their figures up, not through every row.
  const visitsBy = new Map<string, repository.StationVisitSum[]>();
  const add = (key: string, visit: repository.StationVisitSum) => {
    const list = visitsBy.get(key);
    if (list) list.push(visit);
    else visitsBy.set(key, [visit]);
  };
  for (const visit of visits) {
    add(`station:${visit.stationId}:${visit.month}`, visit);
    add(`township:${townshipOf.get(visit.stationId) ?? ''}:${visit.month}`, visit);
  }
  const checksBy = new Map(
    spotChecks.map((sum) => [
      sum.month === null
        ? 'total'
        : sum.stationId
          ? `station:${sum.stationId}:${sum.month}`
          : `township:${sum.township ?? ''}:${sum.month}`,
      sum,
    ]),
  );

  const byStation = months.flatMap((month) =>
    ordered.map((station) => {
      const key = `station:${station.id}:${month}`;
      return row(
        key,
        { month, township: station.township, station, stations: 1 },
        visitsBy.get(key) ?? [],
        checksBy.get(key),
      );
    }),
  );
  const stationsIn = (township: string) => stations.filter((station) => station.township === township).length;
  const byTownship = months.flatMap((month) =>
    townships.map((township) => {
      const key = `township:${township}:${month}`;
      return row(
        key,
        { month, township, station: null, stations: stationsIn(township) },
        visitsBy.get(key) ?? [],
        checksBy.get(key),
      );
    }),
  );
  const total = row(
    'total',
    { month: null, township: null, station: null, stations: stations.length },
    visits.filter((visit) => townshipOf.has(visit.stationId)),
    checksBy.get('total'),
  );
  return { from: input.from, to: input.to, months, byStation, byTownship, total };
}

/** The report as an .xlsx workbook in the viewer's language; audited, as the hours reports are. */
export async function stationReportFile(
  ctx: RequestContext,
  input: StationReportInput,
  locale: 'zh' | 'en',
): Promise<{ fileName: string; contentType: string; base64: string }> {
  const report = await stationReport(ctx, input);
  const admin = await requireAdmin(ctx);
  await ctx.tenant((tx) =>
    recordAudit(tx, ctx, admin.orgId, {
      action: 'stations.report_exported',
      subjectType: 'organization',
      subjectId: admin.orgId,
      detail: { from: input.from, to: input.to, stations: report.byStation.length / Math.max(1, report.months.length) },
    }),
  );
  const figures = (item: StationReportRowParent) => ({
    month: item.month ?? '',
    township: item.township ?? '',
    station: item.station?.name ?? '',
    village: item.station?.village ?? '',
    stations: item.stations,
    visits: item.visits,
    minutes: item.minutes,
    referred: item.referred,
    byCategory: item.byCategory.map((count) => count.visits),
    spotChecksSent: item.spotChecksSent,
    spotChecksAnswered: item.spotChecksAnswered,
    spotChecksUnanswered: item.spotChecksUnanswered,
    spotChecksLate: item.spotChecksLate,
    spotChecksAwayFromStation: item.spotChecksAwayFromStation,
    answerRate: item.answerRate,
    medianAnswerSeconds: item.medianAnswerSeconds,
  });
  const file: StationReportFileInput = {
    period: { from: input.from, to: input.to },
    categories: [...STATION_SERVICE_CATEGORIES],
    byStation: report.byStation.map(figures),
    byTownship: report.byTownship.map(figures),
    total: figures(report.total),
  };
  const bytes = await ctx.work('writeStationReport', { locale, report: file });
  return {
    fileName: stationReportFileName(file.period),
    contentType: REPORT_XLSX_CONTENT_TYPE,
    base64: bytes.toString('base64'),
  };
}
