import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { readSpreadsheet } from '../src/modules/members/roster-file.ts';
import { reportFileName, writeHoursReport, type ReportFileInput } from '../src/modules/hours/report-file.ts';

const report: ReportFileInput = {
  grouping: 'MEMBER',
  period: { from: '2026-01-01', to: '2026-06-30' },
  rows: [
    { label: '王小红', minutes: 750, records: 3 },
    { label: '=HYPERLINK("http://evil")', minutes: 45, records: 1 },
    { label: 'Li, "Jianguo"', minutes: 60, records: 1 },
  ],
};

describe('hours report files', () => {
  it('write .csv in UTF-8 with a BOM, a total row, and no formula a spreadsheet would run', () => {
    const bytes = writeHoursReport('CSV', 'zh', report);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { rows } = readSpreadsheet(bytes);
    expect(rows.map((row) => row.cells)).toEqual([
      ['志愿者', '服务时长（小时）', '记录数'],
      ['王小红', '12.5', '3'],
      ['=HYPERLINK("http://evil")', '0.75', '1'],
      ['Li, "Jianguo"', '1', '1'],
      ['合计', '14.25', '5'],
    ]);
    // On disk the formula is quoted away; the reader above takes the guard off again.
    expect(bytes.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('write .xlsx with hours as numbers, in the chosen language', () => {
    const bytes = writeHoursReport('XLSX', 'en', {
      ...report,
      grouping: 'TEAM',
      rows: [{ label: 'Red', minutes: 90, records: 2 }],
    });
    const workbook = XLSX.read(bytes, { type: 'buffer' });
    expect(workbook.SheetNames).toEqual(['By team']);
    const sheet = workbook.Sheets['By team'];
    if (!sheet) throw new Error('no sheet');
    expect(XLSX.utils.sheet_to_json(sheet, { header: 1, raw: true })).toEqual([
      ['Team', 'Hours', 'Records'],
      ['Red', 1.5, 2],
      ['Total', 1.5, 2],
    ]);
  });

  it('are named after the grouping and the period', () => {
    expect(reportFileName(report, 'XLSX')).toBe('hours-by-member-2026-01-01-2026-06-30.xlsx');
  });
});
