/**
 * Stations from an office's workbook: one station per row, headers found as
 * the roster import finds them (members/roster-file.ts: the same reading of
 * .xlsx/.csv, title rows above the header, full-width digits, notes in
 * brackets), matched by name — an existing station is updated. Rows with a
 * problem are reported with their row number and skipped; the rest are
 * written in one transaction. A dry run (the web page's preview) reads the
 * same and writes nothing: what each row would create or update.
 */
import type { StationImportProblem, StationImportResult, StationImportRow } from '../../__generated__/resolvers.ts';
import { requireAdmin } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, FieldChecker, ValidationError } from '../../shared/errors.ts';
import { headerKey, RosterFileError } from '../members/roster-file.ts';
import * as repository from './repository.ts';
import {
  checkStationInput,
  DEFAULT_CLOSES_AT,
  DEFAULT_OPENS_AT,
  DEFAULT_RADIUS_METRES,
  type StationInput,
} from './service.ts';

/** A county has 100+ stations; a sheet far past that is not a station list. */
export const STATION_IMPORT_MAX_ROWS = 2000;
const HEADER_SEARCH_ROWS = 10;

type StationColumn = 'name' | 'township' | 'village' | 'address' | 'latitude' | 'longitude' | 'radius' | 'hours';

const ALIASES: Record<StationColumn, string[]> = {
  name: ['名称', '站点名称', '服务站名称', '服务站', '服务平台名称', '站名', 'name', 'station'],
  township: ['乡镇', '所属乡镇', '乡镇(街道)', '乡镇街道', '镇', 'township', 'town'],
  village: ['村', '村(社区)', '村社区', '村/社区', '所属村', '社区', 'village'],
  address: ['地址', '详细地址', '站点地址', 'address'],
  latitude: ['纬度', 'latitude', 'lat'],
  longitude: ['经度', 'longitude', 'lng', 'lon'],
  radius: ['半径', '打卡半径', '半径(米)', '打卡半径(米)', 'radius', 'radius(m)'],
  hours: ['开放时间', '服务时间', '办公时间', 'opening hours', 'hours'],
};

const COLUMN_OF = new Map(
  (Object.entries(ALIASES) as [StationColumn, string[]][]).flatMap(([column, aliases]) =>
    aliases.map((alias) => [headerKey(alias), column] as const),
  ),
);

function columnOf(cell: string): StationColumn | undefined {
  const key = headerKey(cell);
  if (!key) return undefined;
  return COLUMN_OF.get(key) ?? COLUMN_OF.get(key.replace(/\(.*?\)|\[.*?\]|【.*?】/g, ''));
}

/** "8:30-17:30", "08:30～17:30", "8:30至17:30" → ['08:30', '17:30']. */
function parseHours(text: string): [string, string] | undefined {
  const match = /^(\d{1,2})[:：](\d{2})\s*(?:-|~|～|—|–|至|到)\s*(\d{1,2})[:：](\d{2})$/.exec(
    text.normalize('NFKC').trim(),
  );
  if (!match) return undefined;
  const [, h1 = '', m1 = '', h2 = '', m2 = ''] = match;
  return [`${h1.padStart(2, '0')}:${m1}`, `${h2.padStart(2, '0')}:${m2}`];
}

const FIELD_OF_INPUT: Record<string, string> = {
  name: 'NAME',
  township: 'TOWNSHIP',
  village: 'VILLAGE',
  address: 'ADDRESS',
  latitude: 'POSITION',
  radiusMetres: 'RADIUS',
  opensAt: 'HOURS',
  closesAt: 'HOURS',
};

type Problem = StationImportProblem;

export async function importStations(
  ctx: RequestContext,
  fileName: string,
  contentBase64: string,
  options: { dryRun?: boolean | null | undefined } = {},
): Promise<StationImportResult> {
  const dryRun = options.dryRun === true;
  const admin = await requireAdmin(ctx);
  new FieldChecker().check(/\.(xlsx|xls|csv)$/i.test(fileName.trim()), 'fileName', 'UNSUPPORTED_TYPE').throwIfAny();
  let sheet;
  try {
    // Reading a workbook is CPU work: in a worker thread, as the roster's is (workers/tasks.ts).
    sheet = await ctx.work('readStationSheet', { bytes: Buffer.from(contentBase64, 'base64') });
  } catch (error) {
    if (error instanceof RosterFileError) throw new ValidationError({ file: error.code });
    // A refusal of the pool (busy, abandoned) is said as it is; anything else the reader threw is an unreadable file.
    if (error instanceof AppError) throw error;
    throw new ValidationError({ file: 'UNREADABLE' });
  }
  const candidates = sheet.rows.slice(0, HEADER_SEARCH_ROWS);
  const score = (cells: string[]) => new Set(cells.map(columnOf).filter(Boolean)).size;
  const header = candidates.reduce<(typeof candidates)[number] | undefined>(
    (best, row) => (score(row.cells) > score(best?.cells ?? []) ? row : best),
    undefined,
  );
  if (!header) throw new ValidationError({ file: 'EMPTY' });
  const positions = new Map<StationColumn, number>();
  header.cells.forEach((cell, index) => {
    const column = columnOf(cell);
    if (column && !positions.has(column)) positions.set(column, index);
  });
  if (
    !positions.has('name') ||
    !positions.has('township') ||
    !positions.has('latitude') ||
    !positions.has('longitude')
  ) {
    throw new ValidationError({ file: 'MISSING_COLUMNS' });
  }
  const rows = sheet.rows.filter(
    (row) => row.rowNumber > header.rowNumber && row.cells.some((cell) => cell.trim() !== ''),
  );
  if (rows.length === 0) throw new ValidationError({ file: 'NO_DATA_ROWS' });
  if (rows.length > STATION_IMPORT_MAX_ROWS) throw new ValidationError({ file: 'TOO_MANY_ROWS' });

  const problems: Problem[] = [];
  const valid = new Map<string, { rowNumber: number; values: ReturnType<typeof checkStationInput> }>();
  for (const row of rows) {
    const cell = (column: StationColumn) => (row.cells[positions.get(column) ?? -1] ?? '').normalize('NFKC').trim();
    const number = (text: string) => (text === '' ? Number.NaN : Number(text));
    const hoursText = cell('hours');
    const hours = hoursText ? parseHours(hoursText) : undefined;
    if (hoursText && !hours) {
      problems.push({ rowNumber: row.rowNumber, field: 'HOURS', code: 'INVALID_TIME' });
      continue;
    }
    const radius = cell('radius');
    const input: StationInput = {
      name: cell('name'),
      township: cell('township'),
      village: cell('village'),
      address: cell('address'),
      latitude: number(cell('latitude')),
      longitude: number(cell('longitude')),
      radiusMetres: radius ? number(radius) : null,
      opensAt: hours?.[0],
      closesAt: hours?.[1],
    };
    try {
      const values = checkStationInput(input);
      if (valid.has(values.name)) {
        problems.push({ rowNumber: row.rowNumber, field: 'NAME', code: 'DUPLICATE' });
        continue;
      }
      valid.set(values.name, { rowNumber: row.rowNumber, values });
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const [field, code] = Object.entries(error.fields)[0] ?? ['name', 'INVALID'];
      problems.push({ rowNumber: row.rowNumber, field: FIELD_OF_INPUT[field] ?? field.toUpperCase(), code });
    }
  }

  const result = await ctx.tenant(async (tx) => {
    const existing = new Map(
      (await repository.findStationsByNames(tx, admin.orgId, [...valid.keys()])).map((station) => [
        station.name,
        station,
      ]),
    );
    const written: StationImportRow[] = [];
    for (const { rowNumber, values } of valid.values()) {
      const station = existing.get(values.name);
      written.push({
        rowNumber,
        action: station ? 'UPDATE' : 'CREATE',
        name: values.name,
        township: values.township,
        village: values.village ?? '',
        address: values.address ?? '',
        latitude: values.latitude,
        longitude: values.longitude,
        radiusMetres: values.radiusMetres ?? DEFAULT_RADIUS_METRES,
        opensAt: values.opensAt ?? DEFAULT_OPENS_AT,
        closesAt: values.closesAt ?? DEFAULT_CLOSES_AT,
      });
      // A preview reads what is there and writes nothing.
      if (dryRun) continue;
      if (station) await repository.updateStation(tx, admin.orgId, station.id, values);
      else await repository.insertStation(tx, admin.orgId, values);
    }
    if (!dryRun) {
      await recordAudit(tx, ctx, admin.orgId, {
        action: 'station.imported',
        subjectType: 'organization',
        subjectId: admin.orgId,
        detail: {
          fileName,
          created: written.filter((row) => row.action === 'CREATE').length,
          updated: written.filter((row) => row.action === 'UPDATE').length,
          problems: problems.length,
        },
      });
    }
    return written;
  });
  return {
    dryRun,
    created: result.filter((row) => row.action === 'CREATE').length,
    updated: result.filter((row) => row.action === 'UPDATE').length,
    rows: result.sort((a, b) => a.rowNumber - b.rowNumber),
    problems: problems.sort((a, b) => a.rowNumber - b.rowNumber),
  };
}
