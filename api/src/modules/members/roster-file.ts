/**
 * Roster files: .xlsx (read and written with SheetJS, on the server) and
 * .csv (UTF-8, or GBK as Excel in China saves it), with the columns in
 * Chinese or English. An export is written with the same headers the import
 * reads, so it imports back unchanged.
 */
import * as XLSX from '@e965/xlsx';
import { excelSerialDate } from './profile.ts';

export const ROSTER_FIELDS = [
  'name',
  'phone',
  'gender',
  'politicalStatus',
  'partyStage',
  'workUnit',
  'teams',
  'skills',
  'joinDate',
  'email',
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** The headers an export writes, in this order. */
export const ROSTER_HEADERS: Record<'zh' | 'en', Record<RosterField, string>> = {
  zh: {
    name: '姓名',
    phone: '手机号',
    gender: '性别',
    politicalStatus: '政治面貌',
    partyStage: '入党阶段',
    workUnit: '工作单位',
    teams: '所属队伍',
    skills: '特长技能',
    joinDate: '入会时间',
    email: '邮箱',
  },
  en: {
    name: 'Name',
    phone: 'Mobile',
    gender: 'Gender',
    politicalStatus: 'Political status',
    partyStage: 'Party stage',
    workUnit: 'Work unit',
    teams: 'Teams',
    skills: 'Skills',
    joinDate: 'Join date',
    email: 'Email',
  },
};

/**
 * Every header the import recognises, as offices write them, compared after
 * headerKey (NFKC, no spaces or case, no required-mark or bracketed note).
 * 'idNumber' (身份证号) is recognised so that it is deliberately left out: the
 * roster does not need it and it is sensitive personal information.
 */
const HEADER_ALIASES: Record<RosterField | 'idNumber', string[]> = {
  name: ['姓名', '名字', '会员姓名', '志愿者姓名', '成员姓名', 'name', 'fullname', 'full name'],
  phone: [
    '手机',
    '手机号',
    '手机号码',
    '联系电话',
    '联系方式',
    '联系手机',
    '电话',
    '电话号码',
    '移动电话',
    'mobile',
    'phone',
    'mobile phone',
    'phone number',
    'mobile number',
    'tel',
    'telephone',
  ],
  gender: ['性别', 'gender', 'sex'],
  politicalStatus: ['政治面貌', '政治身份', '政治面目', 'political status', 'political affiliation', 'category'],
  partyStage: ['入党阶段', '发展阶段', '党员发展阶段', '入党情况', 'party stage', 'party development stage'],
  workUnit: [
    '工作单位',
    '单位',
    '所在单位',
    '单位名称',
    '职能部门',
    '工作单位/职能部门',
    '工作单位（职能部门）',
    'work unit',
    'workplace',
    'employer',
    'department',
  ],
  teams: [
    '所属队伍',
    '队伍',
    '服务队',
    '所在队',
    '所在队伍',
    '所属服务队',
    '志愿服务队',
    '所属分队',
    '队别',
    'team',
    'teams',
    'volunteer team',
  ],
  skills: [
    '特长',
    '技能',
    '特长技能',
    '技能特长',
    '专长',
    '专业特长',
    '个人特长',
    'skills',
    'skill',
    'specialties',
    'expertise',
  ],
  joinDate: [
    '入会时间',
    '加入时间',
    '入队时间',
    '注册时间',
    '入会日期',
    '加入日期',
    '入队日期',
    '注册日期',
    'join date',
    'joined',
    'joined on',
    'date joined',
    'registration date',
  ],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'mail'],
  idNumber: [
    '身份证号',
    '身份证号码',
    '身份证',
    '公民身份号码',
    '身份证件号码',
    'id number',
    'id card number',
    'id no',
  ],
};

/** A header cell as compared: NFKC, lower case, no spaces, no "*" or trailing colon or (必填)-style note. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/^\*|\*$/g, '')
    .replace(/[:：]$/, '')
    .replace(/\((?:必填|选填|required|optional)\)$/, '');
}

const HEADER_INDEX = new Map(
  (Object.entries(HEADER_ALIASES) as [RosterField | 'idNumber', string[]][]).flatMap(([field, aliases]) =>
    aliases.map((alias) => [headerKey(alias), field] as const),
  ),
);

/** The field a header names: as written, else without a bracketed note ("手机号码（11位）", "入会时间(年/月/日)"). */
function fieldOfHeader(text: string): RosterField | 'idNumber' | undefined {
  const key = headerKey(text);
  if (!key) return undefined;
  return HEADER_INDEX.get(key) ?? HEADER_INDEX.get(key.replace(/\(.*?\)|\[.*?\]|【.*?】/g, ''));
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
    readonly code: 'UNREADABLE' | 'EMPTY' | 'NO_DATA_ROWS' | 'MISSING_COLUMNS' | 'TOO_MANY_ROWS',
    readonly missing: RosterField[] = [],
  ) {
    super(code);
  }
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** Whether an Excel number format shows a date (yyyy-mm-dd, m/d/yy, yyyy"年"m"月"d"日"), once its literals are set aside. */
function isDateFormat(format: string): boolean {
  const tokens = format
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '');
  return !/general/i.test(tokens) && /[yd]/i.test(tokens);
}

/**
 * A spreadsheet cell as text: numbers as Excel shows them in General format
 * (a phone number stays 11 digits), a cell formatted as a date as its date.
 */
function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell) return '';
  const value = cell.v;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (typeof cell.z === 'string' && isDateFormat(cell.z)) return excelSerialDate(value) ?? String(value);
    return Number.isInteger(value) ? value.toFixed(0) : String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return '';
}

function readXlsx(bytes: Uint8Array): Spreadsheet {
  let workbook: XLSX.WorkBook;
  try {
    workbook = XLSX.read(bytes, {
      type: 'buffer',
      dense: true,
      cellDates: false,
      cellNF: true,
      cellFormula: false,
      cellHTML: false,
    });
  } catch {
    throw new RosterFileError('UNREADABLE');
  }
  const sheetName = workbook.SheetNames[0];
  const sheet = sheetName ? workbook.Sheets[sheetName] : undefined;
  if (!sheet?.['!ref']) throw new RosterFileError('EMPTY');
  const range = XLSX.utils.decode_range(sheet['!ref']);
  const data = sheet['!data'] ?? [];
  const rows: string[][] = [];
  for (let r = range.s.r; r <= range.e.r; r++) {
    const cells = data[r] ?? [];
    const row: string[] = [];
    for (let c = range.s.c; c <= range.e.c; c++) row.push(cellText(cells[c]));
    rows.push(row);
  }
  // A merged cell stands for every cell it covers: a title over the columns, a
  // header over two header lines, a team written once beside its members.
  for (const merge of sheet['!merges'] ?? []) {
    const text = rows[merge.s.r - range.s.r]?.[merge.s.c - range.s.c] ?? '';
    for (let r = merge.s.r; r <= merge.e.r; r++) {
      const row = rows[r - range.s.r];
      if (!row) continue;
      for (let c = merge.s.c; c <= merge.e.c; c++) row[c - range.s.c] = text;
    }
  }
  return {
    format: 'xlsx',
    rows: rows.map((cells, index) => ({ rowNumber: range.s.r + index + 1, cells })),
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
  /** The spreadsheet row taken as the header (the lowest, for a header of two lines). */
  headerRow: number;
  /** The header's text, column by column, as the file has it. */
  headerCells: string[];
  /** Header texts of the columns not imported (序号, 备注, a second 手机 column, 身份证号). */
  ignoredColumns: string[];
  /** The header of the ID-number column, recognised and not imported; null if there is none. */
  idNumberColumn: string | null;
  rows: {
    rowNumber: number;
    cells: Partial<Record<RosterField, string>>;
    /** The row in the file's own columns, the ID-number column emptied (it is not kept). */
    source: string[];
  }[];
}

/** The file's header of a field's column: the first header cell that names it. */
export function headerOf(headerCells: readonly string[], field: RosterField): string | null {
  return headerCells.find((cell) => fieldOfHeader(cell) === field) ?? null;
}

/** Where a header is looked for: title rows, blank rows and notes come first in real rosters. */
const HEADER_SEARCH_ROWS = 10;

type ColumnField = RosterField | 'idNumber';

function headerFields(cells: string[]): (ColumnField | undefined)[] {
  return cells.map(fieldOfHeader);
}

/** How many different fields a row's cells name: the header is the row that names most. */
function headerScore(cells: string[]): number {
  return new Set(headerFields(cells).filter((field) => field !== undefined)).size;
}

const isBlank = (cells: string[]) => cells.every((cell) => cell.trim() === '');

/**
 * Reads a roster file. The header is the row among the first ten that names
 * most known columns; a header line just above or below it that names at
 * least two (a two-line header, or an English line under the Chinese one)
 * belongs to it and fills the columns it leaves unnamed. Data rows are the
 * rows below that are not blank.
 */
export function readRoster(bytes: Uint8Array, maxRows: number): RosterTable {
  const sheet = readSpreadsheet(bytes);
  const candidates = sheet.rows.slice(0, HEADER_SEARCH_ROWS);
  if (candidates.every((row) => isBlank(row.cells))) throw new RosterFileError('EMPTY');
  let best = 0;
  candidates.forEach((row, index) => {
    if (headerScore(row.cells) > headerScore(candidates[best]?.cells ?? [])) best = index;
  });
  const lines = [best];
  if (best > 0 && headerScore(sheet.rows[best - 1]?.cells ?? []) >= 2) lines.push(best - 1);
  if (headerScore(sheet.rows[best + 1]?.cells ?? []) >= 2) lines.push(best + 1);
  const header = sheet.rows[best];
  if (!header) throw new RosterFileError('EMPTY');

  const width = Math.max(...lines.map((line) => sheet.rows[line]?.cells.length ?? 0));
  const headerCells: string[] = [];
  const positions = new Map<ColumnField, number>();
  const ignoredColumns: string[] = [];
  for (let column = 0; column < width; column++) {
    let field: ColumnField | undefined;
    let text = '';
    for (const line of lines) {
      const cell = (sheet.rows[line]?.cells[column] ?? '').trim();
      text ||= cell;
      field ??= cell ? fieldOfHeader(cell) : undefined;
      if (field) {
        text = cell;
        break;
      }
    }
    headerCells.push(text);
    if (field && !positions.has(field)) positions.set(field, column);
    else if (text) ignoredColumns.push(text);
    if (field === 'idNumber' && positions.get('idNumber') === column) ignoredColumns.push(text);
  }
  const missing = (['name', 'phone'] as const).filter((field) => !positions.has(field));
  if (missing.length > 0) throw new RosterFileError('MISSING_COLUMNS', missing);

  const idColumn = positions.get('idNumber');
  const data = sheet.rows.slice(Math.max(...lines) + 1).filter((row) => !isBlank(row.cells));
  if (data.length === 0) throw new RosterFileError('NO_DATA_ROWS');
  if (data.length > maxRows) throw new RosterFileError('TOO_MANY_ROWS');
  const columns = ROSTER_FIELDS.filter((field) => positions.has(field));
  return {
    format: sheet.format,
    columns,
    headerRow: sheet.rows[Math.max(...lines)]?.rowNumber ?? header.rowNumber,
    headerCells,
    ignoredColumns,
    idNumberColumn: idColumn === undefined ? null : (headerCells[idColumn] ?? null),
    rows: data.map((row) => ({
      rowNumber: row.rowNumber,
      cells: Object.fromEntries(columns.map((field) => [field, row.cells[positions.get(field) ?? -1] ?? ''])),
      source: headerCells.map((_, column) => (column === idColumn ? '' : (row.cells[column] ?? ''))),
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
  sheet['!cols'] = [10, 14, 6, 14, 12, 24, 24, 24, 12, 26].map((width) => ({ wch: width }));
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, locale === 'zh' ? '花名册' : 'Roster');
  const written: unknown = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true });
  if (!Buffer.isBuffer(written)) throw new Error('SheetJS wrote no buffer');
  return written;
}

/**
 * The rejected rows of an import as .xlsx: the file's own header and cells
 * (every cell as text, so a phone stays a phone), without the ID-number
 * column, whose cells are not kept, and a last column with the reasons.
 */
export function writeRejectedRows(
  locale: 'zh' | 'en',
  headerCells: readonly string[],
  idNumberColumn: string | null,
  rows: { cells: readonly string[]; reason: string }[],
): Buffer {
  const kept = headerCells.flatMap((text, column) =>
    idNumberColumn !== null && text === idNumberColumn && fieldOfHeader(text) === 'idNumber' ? [] : [column],
  );
  const header = [
    ...kept.map((column) => headerCells[column] ?? ''),
    locale === 'zh' ? '未导入原因' : 'Why not imported',
  ];
  const lines = rows.map((row) => [...kept.map((column) => row.cells[column] ?? ''), row.reason]);
  const sheet = XLSX.utils.aoa_to_sheet([header, ...lines]);
  sheet['!cols'] = [...kept.map(() => ({ wch: 14 })), { wch: 40 }];
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, locale === 'zh' ? '未导入' : 'Rejected');
  const written: unknown = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx', compression: true });
  if (!Buffer.isBuffer(written)) throw new Error('SheetJS wrote no buffer');
  return written;
}
