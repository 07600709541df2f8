/**
 * The whole-association archive as a file: one CSV per table (UTF-8 with a
 * byte-order mark, so Excel opens Chinese text as it is; RFC 4180 quoting)
 * and a README naming each file's columns, zipped. A pure function of the
 * rows, run in a worker thread (api/src/workers/tasks.ts): a county's
 * archive is megabytes of text to write and compress.
 */
import { strToU8, zipSync, type Zippable } from 'fflate';

export interface ExportColumn {
  /** The column's name in the database and the CSV header. */
  name: string;
  /** Its SQL type, as the README states it. */
  type: string;
  nullable: boolean;
}

export interface ExportTable {
  /** The table's name in the database; the file is `<name>.csv`. */
  name: string;
  description: { zh: string; en: string };
  columns: ExportColumn[];
  /** Left out of this archive (secrets, or children's personal fields not asked for), named in the README. */
  omitted: string[];
  rows: Record<string, unknown>[];
}

export interface ExportArchiveInput {
  organizationName: string;
  /** When it was made, ISO 8601 (the clock's, not the worker's). */
  madeAt: string;
  includesChildren: boolean;
  tables: ExportTable[];
}

/** A cell as text: dates in ISO 8601 (UTC), bytes in base64, JSON values and arrays as JSON. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tableCsv(table: Pick<ExportTable, 'columns' | 'rows'>): string {
  const lines = [table.columns.map((column) => csvField(column.name)).join(',')];
  for (const row of table.rows) {
    lines.push(table.columns.map((column) => csvField(cellText(row[column.name]))).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

function readme(input: ExportArchiveInput): string {
  const lines = [
    `${input.organizationName} — 数据导出 / Data export`,
    `生成时间 Made at: ${input.madeAt}`,
    '',
    '每个 CSV 文件是本会的一张数据表（UTF-8 编码）。时间为 UTC（ISO 8601），日期为本会时区的日期；' +
      '空白表示没有值；JSON 列为 JSON 文本。',
    'Each CSV file is one table of the association (UTF-8). Times are UTC (ISO 8601), dates are days in the ' +
      "association's time zone; an empty cell has no value; JSON columns hold JSON text.",
    input.includesChildren
      ? '本导出包含儿童的个人信息（经管理员明确确认并记入审计日志）：请依《个人信息保护法》妥善保管。\n' +
        "This export holds children's personal data (confirmed by an admin and audited): keep it as the " +
        'Personal Information Protection Law requires.'
      : '本导出不含儿童的个人信息。\nThis export holds no personal data of children.',
    '',
  ];
  for (const table of input.tables) {
    lines.push(`## ${table.name}.csv — ${table.description.zh} / ${table.description.en} (${table.rows.length})`);
    for (const column of table.columns) {
      lines.push(`- ${column.name}: ${column.type}${column.nullable ? '' : ', not null'}`);
    }
    if (table.omitted.length > 0) lines.push(`  未导出 Left out: ${table.omitted.join(', ')}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The archive: README.txt and one CSV per table. */
export function writeExportArchive(input: ExportArchiveInput): Uint8Array {
  const files: Zippable = { 'README.txt': strToU8(readme(input)) };
  for (const table of input.tables) files[`${table.name}.csv`] = strToU8(tableCsv(table));
  return zipSync(files, { level: 6, mtime: new Date(input.madeAt) });
}
