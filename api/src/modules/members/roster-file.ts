/**
 * Roster files: .xlsx (read and written with SheetJS, on the server) and
 * .csv (UTF-8, or GBK as Excel in China saves it), with the columns in
 * Chinese or English. An export is written with the same headers the import
 * reads, so it imports back unchanged.
 */
import * as XLSX from '@e965/xlsx';

export const ROSTER_FIELDS = ['name', 'phone', 'gender', 'category', 'workUnit', 'teams', 'skills', 'email'] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** The headers an export writes, in this order. */
export const ROSTER_HEADERS: Record<'zh' | 'en', Record<RosterField, string>> = {
  zh: {
    name: '姓名',
    phone: '手机号',
    gender: '性别',
    category: '政治面貌',
    workUnit: '工作单位',
    teams: '所属队伍',
    skills: '技能',
    email: '邮箱',
  },
  en: {
    name: 'Name',
    phone: 'Mobile',
    gender: 'Gender',
    category: 'Category',
    workUnit: 'Work unit',
    teams: 'Teams',
    skills: 'Skills',
    email: 'Email',
  },
};

/** Every header the import recognises, compared without spaces, case or a required-mark (*, 必填). */
const HEADER_ALIASES: Record<RosterField, string[]> = {
  name: ['姓名', '名字', 'name', 'fullname'],
  phone: [
    '手机号',
    '手机',
    '手机号码',
    '联系电话',
    '电话',
    'mobile',
    'phone',
    'mobilephone',
    'phonenumber',
    'mobilenumber',
  ],
  gender: ['性别', 'gender', 'sex'],
  category: ['政治面貌', 'category', 'politicalstatus'],
  workUnit: [
    '工作单位',
    '单位',
    '职能部门',
    '工作单位/职能部门',
    '工作单位（职能部门）',
    'workunit',
    'employer',
    'department',
  ],
  teams: ['所属队伍', '队伍', '所在队伍', 'team', 'teams'],
  skills: ['技能', '特长', '技能特长', 'skills', 'skill'],
  email: ['邮箱', '电子邮箱', '电子邮件', 'email', 'e-mail'],
};

const HEADER_INDEX = new Map(
  ROSTER_FIELDS.flatMap((field) => HEADER_ALIASES[field].map((alias) => [alias, field] as const)),
);

function headerKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^\*|\*$/g, '')
    .replace(/[(（]必填[)）]$|\(required\)$/, '');
}

export interface SheetRow {
  /** The row's number in the spreadsheet (1 is the first row). */
  rowNumber: number;
  cells: string[];
}

export interface Spreadsheet {
  /** 'xlsx', 'csv (utf-8)' or 'csv (gbk)'. */
  format: string;
  rows: SheetRow[];
}

export class RosterFileError extends Error {
  constructor(
    readonly code: 'UNREADABLE' | 'EMPTY' | 'MISSING_COLUMNS' | 'TOO_MANY_ROWS',
    readonly missing: RosterField[] = [],
  ) {
    super(code);
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** A spreadsheet cell as text: numbers as Excel shows them in General format (a phone number stays 11 digits). */
function cellText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return '';
}

function readXlsx(bytes: Uint8Array): Spreadsheet {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, { type: 'buffer', dense: true, cellDates: false, cellFormula: false, cellHTML: false });
  } catch {
    throw new RosterFileError('UNREADABLE');
  }
  const sheetName = workbook.SheetNames[0];
  const sheet = sheetName ? workbook.Sheets[sheetName] : undefined;
  if (!sheet?.['!ref']) throw new RosterFileError('EMPTY');
  const firstRow = XLSX.utils.decode_range(sheet['!ref']).s.r;
  const values: unknown[][] = XLSX.utils.sheet_to_json(sheet, { header: 1, raw: true, defval: '', blankrows: true });
  return {
    format: 'xlsx',
    rows: values.map((cells, index) => ({ rowNumber: firstRow + index + 1, cells: cells.map(cellText) })),
  };
}

/** UTF-8 when it decodes as such (with or without a BOM), else GBK (GB 18030), as Excel in China writes CSV. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gbk' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk' };
  }
}

/** RFC 4180: quoted fields may hold separators, quotes ("") and line breaks. Comma- or tab-separated. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const separator = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text.charAt(index);
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index++;
        } else quoted = false;
      } else field += character;
    } else if (character === '"' && field === '') quoted = true;
    else if (character === separator) {
      row.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += character;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Undoes the export's guard against spreadsheet formulas ('=…). */
function unguard(text: string): string {
  return /^'[=+\-@]/.test(text) ? text.slice(1) : text;
}

export function readSpreadsheet(bytes: Uint8Array): Spreadsheet {
  if (bytes.length === 0) throw new RosterFileError('EMPTY');
  if (isZip(bytes)) return readXlsx(bytes);
  const { text, encoding } = decodeCsv(bytes);
  if (text.includes('\u0000')) throw new RosterFileError('UNREADABLE');
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  return {
    format: `csv (${encoding})`,
    rows: rows.map((cells, index) => ({ rowNumber: index + 1, cells: cells.map(unguard) })),
  };
}

export interface RosterTable {
  format: string;
  /** The roster fields the file has a column for. */
  columns: RosterField[];
  rows: { rowNumber: number; cells: Partial<Record<RosterField, string>> }[];
}

/** Reads a roster file: finds its header row (the first that is not blank), maps the columns, keeps the rows that are not blank. */
export function readRoster(bytes: Uint8Array, maxRows: number): RosterTable {
  const sheet = readSpreadsheet(bytes);
  const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === '');
  const headerAt = sheet.rows.findIndex((row) => !isBlank(row.cells));
  const header = sheet.rows[headerAt];
  if (!header) throw new RosterFileError('EMPTY');
  const positions = new Map<RosterField, number>();
  header.cells.forEach((cell, index) => {
    const field = HEADER_INDEX.get(headerKey(cell));
    if (field && !positions.has(field)) positions.set(field, index);
  });
  const missing = (['name', 'phone'] as const).filter((field) => !positions.has(field));
  if (missing.length > 0) throw new RosterFileError('MISSING_COLUMNS', missing);
  const data = sheet.rows.slice(headerAt + 1).filter((row) => !isBlank(row.cells));
  if (data.length > maxRows) throw new RosterFileError('TOO_MANY_ROWS');
  const columns = ROSTER_FIELDS.filter((field) => positions.has(field));
  return {
    format: sheet.format,
    columns,
    rows: data.map((row) => ({
      rowNumber: row.rowNumber,
      cells: Object.fromEntries(columns.map((field) => [field, (row.cells[positions.get(field) ?? -1] ?? '').trim()])),
    })),
  };
}

/** Keeps a spreadsheet from running a cell as a formula (CSV injection); the import takes the mark off again. */
function guard(text: string): string {
  return /^[=+\-@]/.test(text) ? `'${text}` : text;
}

/** One CSV field: guarded, and quoted when it holds a separator, quote or line break (RFC 4180). */
export function csvField(text: string): string {
  const guarded = guard(text);
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

export type RosterFileFormat = 'XLSX' | 'CSV';

/** Writes rows under the roster headers: .xlsx with every cell as text, or UTF-8 CSV with a BOM (so Excel reads it as UTF-8). */
export function writeRoster(
  format: RosterFileFormat,
  locale: 'zh' | 'en',
  rows: Record<RosterField, string>[],
): Buffer {
  const headers = ROSTER_FIELDS.map((field) => ROSTER_HEADERS[locale][field]);
  const lines = rows.map((row) => ROSTER_FIELDS.map((field) => row[field]));
  if (format === 'CSV') {
    const text = [headers, ...lines].map((line) => line.map(csvField).join(',')).join('\r\n');
    return Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
  }
  const sheet = XLSX.utils.aoa_to_sheet([headers, ...lines]);
  sheet['!cols'] = [10, 14, 6, 12, 24, 24, 24, 26].map((width) => ({ wch: width }));
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, locale === 'zh' ? '花名册' : 'Roster');
  const written: unknown = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true });
  if (!Buffer.isBuffer(written)) throw new Error('SheetJS wrote no buffer');
  return written;
}
