/**
 * The CPU-heavy work that runs in worker threads (see plugins/workers.ts):
 * reading roster files, writing workbooks, rendering certificates. Each task
 * is the same pure function the module exports, called here unchanged; only
 * what crosses the thread boundary is shaped here (structured clone keeps an
 * Error's message, not its class or fields, so a roster file's refusal comes
 * back as data and is thrown again on the main thread).
 */
import { writeExportArchive, type ExportArchiveInput } from '../modules/exports/archive.ts';
import { renderCertificatePdf, type CertificateContent } from '../modules/hours/certificate-pdf.ts';
import { writeHoursReport, type ReportFileFormat, type ReportFileInput } from '../modules/hours/report-file.ts';
import {
  readRoster,
  readSpreadsheet,
  RosterFileError,
  writeRejectedRows,
  writeRoster,
  type RosterField,
  type RosterFileFormat,
} from '../modules/members/roster-file.ts';
import { writeStationReport, type StationReportFileInput } from '../modules/stations/report-file.ts';

type Locale = 'zh' | 'en';

export const tasks = {
  readRoster: (input: { bytes: Uint8Array; maxRows: number }) => readRoster(input.bytes, input.maxRows),
  /** A list of service stations: the sheet's rows as the roster's reading finds them (the stations' import picks the columns). */
  readStationSheet: (input: { bytes: Uint8Array }) => readSpreadsheet(input.bytes),
  writeRoster: (input: { format: RosterFileFormat; locale: Locale; rows: Record<RosterField, string>[] }) =>
    writeRoster(input.format, input.locale, input.rows),
  writeRejectedRows: (input: {
    locale: Locale;
    headerCells: string[];
    idNumberColumn: string | null;
    rows: { cells: string[]; reason: string }[];
  }) => writeRejectedRows(input.locale, input.headerCells, input.idNumberColumn, input.rows),
  renderCertificatePdf: (input: CertificateContent) => renderCertificatePdf(input),
  writeExportArchive: (input: ExportArchiveInput) => writeExportArchive(input),
  writeHoursReport: (input: { format: ReportFileFormat; locale: Locale; report: ReportFileInput }) =>
    writeHoursReport(input.format, input.locale, input.report),
  writeStationReport: (input: { locale: Locale; report: StationReportFileInput }) =>
    writeStationReport(input.locale, input.report),
  /** For the tests of the pool itself: holds a thread for `milliseconds` of CPU, as a long render would. */
  spin: (input: { milliseconds: number }) => {
    const until = performance.now() + input.milliseconds;
    let turns = 0;
    while (performance.now() < until) turns++;
    return turns;
  },
};

type Tasks = typeof tasks;
export type TaskName = keyof Tasks;

declare module '../shared/context.ts' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the tasks above, by name
  interface WorkerTasks extends Tasks {}
}

export interface TaskRequest {
  name: TaskName;
  input: unknown;
}

export type TaskAnswer =
  | { ok: true; value: unknown }
  | { ok: false; rosterFileError: { code: RosterFileError['code']; missing: RosterField[] } };

/** The worker's handler: one task by name. */
export async function runTask(request: TaskRequest): Promise<TaskAnswer> {
  const task = tasks[request.name] as (input: unknown) => unknown;
  try {
    return { ok: true, value: await task(request.input) };
  } catch (error) {
    if (error instanceof RosterFileError) {
      return { ok: false, rosterFileError: { code: error.code, missing: error.missing } };
    }
    throw error;
  }
}
