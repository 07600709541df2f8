/**
 * The stations' report as an .xlsx workbook (SheetJS, as the hours reports
 * and the roster export write theirs): a sheet per station per month and one
 * per township per month, each ending with the period's total. Figures stay
 * numbers (hours with two decimals, the answer rate as a percentage), so the
 * office can sum, sort and chart them. Runs in a worker thread
 * (workers/tasks.ts): a pure function of its input.
 */
import * as XLSX from '@e965/xlsx';
import type { StationServiceCategory } from '@qicai/db';
import { minutesToHours } from '../../kernel/hours.ts';

type Locale = 'zh' | 'en';

export const REPORT_XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One row's figures, as the workbook writes them. */
export interface StationReportFileRow {
  /** YYYY-MM; '' on the total. */
  month: string;
  township: string;
  station: string;
  village: string;
  stations: number;
  visits: number;
  minutes: number;
  referred: number;
  /** In `categories`' order. */
  byCategory: number[];
  spotChecksSent: number;
  spotChecksAnswered: number;
  spotChecksUnanswered: number;
  spotChecksLate: number;
  spotChecksAwayFromStation: number;
  answerRate: number | null;
  medianAnswerSeconds: number | null;
}

export interface StationReportFileInput {
  period: { from: string; to: string };
  categories: StationServiceCategory[];
  byStation: StationReportFileRow[];
  byTownship: StationReportFileRow[];
  total: StationReportFileRow;
}

const CATEGORY_LABELS: Record<Locale, Record<StationServiceCategory, string>> = {
  zh: {
    POLICY: '政策咨询',
    ERRANDS: '代办服务',
    HEALTH: '医疗健康',
    LEGAL: '法律援助',
    ELDERLY: '养老助老',
    CHILDREN: '关爱儿童',
    EMPLOYMENT: '就业帮扶',
    OTHER: '其他',
  },
  en: {
    POLICY: 'Policy advice',
    ERRANDS: 'Paperwork',
    HEALTH: 'Health',
    LEGAL: 'Legal aid',
    ELDERLY: 'Elderly care',
    CHILDREN: 'Children',
    EMPLOYMENT: 'Employment',
    OTHER: 'Other',
  },
};

const ZH_LABELS = {
  stationSheet: '按服务站',
  townshipSheet: '按乡镇',
  month: '月份',
  township: '乡镇',
  station: '服务站',
  village: '村（社区）',
  stations: '服务站数',
  visits: '来访人次',
  hours: '服务时长（小时）',
  referred: '转办',
  sent: '随机打卡次数',
  answered: '已应答',
  unanswered: '未应答',
  late: '超时应答',
  away: '不在站',
  rate: '应答率',
  median: '应答用时中位数（秒）',
  total: '合计',
};

const LABELS: Record<Locale, typeof ZH_LABELS> = {
  zh: ZH_LABELS,
  en: {
    stationSheet: 'By station',
    townshipSheet: 'By township',
    month: 'Month',
    township: 'Township',
    station: 'Station',
    village: 'Village',
    stations: 'Stations',
    visits: 'Visits',
    hours: 'Hours of service',
    referred: 'Referred',
    sent: 'Spot checks',
    answered: 'Answered',
    unanswered: 'Unanswered',
    late: 'Answered late',
    away: 'Away from station',
    rate: 'Answer rate',
    median: 'Median answer time (s)',
    total: 'Total',
  },
};

/** `station-report-2026-01-01-2026-06-30.xlsx` */
export function stationReportFileName(period: { from: string; to: string }): string {
  return `station-report-${period.from}-${period.to}.xlsx`;
}

function sheetOf(locale: Locale, input: StationReportFileInput, by: 'station' | 'township'): XLSX.WorkSheet {
  const labels = LABELS[locale];
  const place =
    by === 'station' ? [labels.township, labels.station, labels.village] : [labels.township, labels.stations];
  const header = [
    labels.month,
    ...place,
    labels.visits,
    labels.hours,
    labels.referred,
    ...input.categories.map((category) => CATEGORY_LABELS[locale][category]),
    labels.sent,
    labels.answered,
    labels.unanswered,
    labels.late,
    labels.away,
    labels.rate,
    labels.median,
  ];
  const line = (row: StationReportFileRow, total: boolean): (string | number | null)[] => [
    total ? labels.total : row.month,
    ...(by === 'station' ? [row.township, row.station, row.village] : [row.township, row.stations]),
    row.visits,
    minutesToHours(row.minutes),
    row.referred,
    ...row.byCategory,
    row.spotChecksSent,
    row.spotChecksAnswered,
    row.spotChecksUnanswered,
    row.spotChecksLate,
    row.spotChecksAwayFromStation,
    row.answerRate,
    row.medianAnswerSeconds,
  ];
  const rows = by === 'station' ? input.byStation : input.byTownship;
  const totalRow = line(input.total, true);
  // The total's place columns: the township sheet says how many stations, the station sheet nothing.
  if (by === 'station') totalRow.splice(1, 3, '', '', '');
  const sheet = XLSX.utils.aoa_to_sheet([header, ...rows.map((row) => line(row, false)), totalRow]);
  const hoursColumn = 1 + place.length + 1;
  const rateColumn = header.length - 2;
  for (let index = 1; index <= rows.length + 1; index++) {
    const hours = sheet[XLSX.utils.encode_cell({ r: index, c: hoursColumn })] as XLSX.CellObject | undefined;
    if (hours) hours.z = '0.00';
    const rate = sheet[XLSX.utils.encode_cell({ r: index, c: rateColumn })] as XLSX.CellObject | undefined;
    if (rate) rate.z = '0.0%';
  }
  sheet['!cols'] = header.map((text, column) => ({
    wch: by === 'station' && column === 2 ? 24 : Math.max(8, Math.min(20, text.length * (locale === 'zh' ? 2 : 1) + 2)),
  }));
  return sheet;
}

export function writeStationReport(locale: Locale, input: StationReportFileInput): Buffer {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheetOf(locale, input, 'station'), LABELS[locale].stationSheet);
  XLSX.utils.book_append_sheet(workbook, sheetOf(locale, input, 'township'), LABELS[locale].townshipSheet);
  const written: unknown = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true });
  if (!Buffer.isBuffer(written)) throw new Error('SheetJS wrote no buffer');
  return written;
}
