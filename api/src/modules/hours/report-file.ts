/**
 * Hours reports as files (.xlsx and .csv), written the way the roster export
 * writes them: SheetJS on the server for .xlsx, UTF-8 CSV with a BOM so Excel
 * in China opens it as UTF-8, and text cells guarded against formulas.
 */
import * as XLSX from '@e965/xlsx';
import { csvField } from '../members/roster-file.ts';
import { minutesToHours } from '../../kernel/hours.ts';

export type ReportFileFormat = 'XLSX' | 'CSV';
export type ReportGrouping = 'MEMBER' | 'TEAM' | 'MONTH' | 'POLITICAL_STATUS';
type Locale = 'zh' | 'en';

export interface ReportFileRow {
  /** The member's name, the team's name, or the month (`YYYY-MM`). */
  label: string;
  minutes: number;
  /** Approved service records counted. */
  records: number;
}

export interface ReportFileInput {
  grouping: ReportGrouping;
  /** `YYYY-MM-DD`, both days included. */
  period: { from: string; to: string };
  rows: ReportFileRow[];
}

const HEADERS: Record<Locale, Record<ReportGrouping | 'hours' | 'records' | 'total', string>> = {
  zh: {
    MEMBER: '志愿者',
    TEAM: '队伍',
    MONTH: '月份',
    POLITICAL_STATUS: '政治面貌',
    hours: '服务时长（小时）',
    records: '记录数',
    total: '合计',
  },
  en: {
    MEMBER: 'Member',
    TEAM: 'Team',
    MONTH: 'Month',
    POLITICAL_STATUS: 'Political status',
    hours: 'Hours',
    records: 'Records',
    total: 'Total',
  },
};

const SHEET_NAMES: Record<Locale, Record<ReportGrouping, string>> = {
  zh: { MEMBER: '按志愿者', TEAM: '按队伍', MONTH: '按月份', POLITICAL_STATUS: '按政治面貌' },
  en: { MEMBER: 'By member', TEAM: 'By team', MONTH: 'By month', POLITICAL_STATUS: 'By political status' },
};

export const REPORT_CONTENT_TYPES: Record<ReportFileFormat, string> = {
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  CSV: 'text/csv; charset=utf-8',
};

/** The file name a report downloads as: `hours-by-team-2026-01-01-2026-06-30.xlsx`. */
export function reportFileName(input: Omit<ReportFileInput, 'rows'>, format: ReportFileFormat): string {
  return `hours-by-${input.grouping.toLowerCase()}-${input.period.from}-${input.period.to}.${format.toLowerCase()}`;
}

/** One table: a row per member, team or month, then the total. */
export function writeHoursReport(format: ReportFileFormat, locale: Locale, input: ReportFileInput): Buffer {
  const labels = HEADERS[locale];
  const header = [labels[input.grouping], labels.hours, labels.records];
  const total = input.rows.reduce(
    (sum, row) => ({ minutes: sum.minutes + row.minutes, records: sum.records + row.records }),
    { minutes: 0, records: 0 },
  );
  const lines: [string, number, number][] = [
    ...input.rows.map((row): [string, number, number] => [row.label, minutesToHours(row.minutes), row.records]),
    [labels.total, minutesToHours(total.minutes), total.records],
  ];
  if (format === 'CSV') {
    const text = [header.map(csvField).join(','), ...lines.map(([label, h, r]) => `${csvField(label)},${h},${r}`)].join(
      '\r\n',
    );
    return Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
  }
  const sheet = XLSX.utils.aoa_to_sheet([header, ...lines]);
  sheet['!cols'] = [{ wch: input.grouping === 'MONTH' ? 10 : 24 }, { wch: 16 }, { wch: 10 }];
  // Hours show two decimals; they stay numbers, so the sheet can sum and chart them.
  for (let row = 1; row <= lines.length; row++) {
    const cell = sheet[XLSX.utils.encode_cell({ r: row, c: 1 })] as XLSX.CellObject | undefined;
    if (cell) cell.z = '0.00';
  }
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, SHEET_NAMES[locale][input.grouping]);
  const written: unknown = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true });
  if (!Buffer.isBuffer(written)) throw new Error('SheetJS wrote no buffer');
  return written;
}
