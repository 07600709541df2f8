/**
 * Roster import and export. An import is read (in a worker thread) and
 * checked row by row into a preview (nothing changes), then applied in one
 * transaction: a failure anywhere — an error, a cut connection, a killed
 * process — leaves the roster as it was, and the import can be applied again
 * at once. The apply writes set-based (a statement per few thousand rows) and
 * defers the members' search grams, most of its work, to short transactions
 * after it commits (migration 0026), so that on PGlite, whose one connection
 * the apply's transaction holds, other requests wait seconds, not minutes.
 * Progress: in this process always, and on PostgreSQL committed apart from
 * the apply's transaction for other instances, believed only while the
 * apply's lock is held.
 */
import {
  databaseFailure,
  pgError,
  PG_UNIQUE_VIOLATION,
  withTenant,
  type RosterImport,
  type RosterImportOutcome,
  type Team,
  type Tx,
} from '@qicai/db';
import type { FastifyInstance } from 'fastify';
import type { MercuriusContext } from 'mercurius';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { requireId } from './ids.ts';
import * as imports from './imports-repository.ts';
import type { RosterFileParent, RosterImportRowParent } from './mappers.ts';
import { GENDER_LABELS, PARTY_STAGE_LABELS, POLITICAL_STATUS_LABELS } from './profile.ts';
import { problemReason } from './import-reasons.ts';
import * as repository from './repository.ts';
import { headerOf, RosterFileError, type RosterField, type RosterFileFormat } from './roster-file.ts';
import {
  countOutcomes,
  evaluateRows,
  nameReadsBack,
  phonesOf,
  ROW_PROBLEM_FIELDS,
  isRowProblem,
  type EvaluatedRow,
} from './roster-rows.ts';

import { requireAdmin, requireOrganization } from '../../shared/access.ts';
import { rosterQueryFor, type RosterArgs } from './service.ts';
import { localDateAt } from '../../kernel/time.ts';
import * as teamRepository from '../teams/repository.ts';

/** A county roster is about 31,000 people; this leaves room. */
export const MAX_IMPORT_ROWS = 60_000;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const KEEP_IMPORTS_DAYS = 30;
/** An import that writes this many members analyzes the roster's tables after it (the planner's statistics). */
const ANALYZE_AFTER_ROWS = 1000;
/** Rows per statement of the apply: a few statements per county file, each well under a second. */
const APPLY_CHUNK = 5000;

function fileError(error: RosterFileError): AppError {
  return new AppError('VALIDATION', 'The file cannot be imported.', {
    fields: { file: error.code },
    ...(error.missing.length > 0 && { missingColumns: error.missing }),
  });
}

/** Reads a roster file and records what each row would do; writes nothing to the roster. */
export async function previewRosterImport(
  ctx: RequestContext,
  file: { name: string; bytes: Uint8Array },
): Promise<RosterImport> {
  const admin = await requireAdmin(ctx);
  if (file.bytes.length > MAX_IMPORT_BYTES) throw fileError(new RosterFileError('TOO_MANY_ROWS'));
  let table;
  try {
    // A county workbook takes seconds of CPU and a few hundred MB to read: in a worker thread, whose memory goes when it ends.
    table = await ctx.work('readRoster', { bytes: file.bytes, maxRows: MAX_IMPORT_ROWS });
  } catch (error) {
    if (error instanceof RosterFileError) throw fileError(error);
    throw error;
  }
  const parsed = table;
  const today = localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone);
  return ctx.tenant(async (tx) => {
    await imports.deleteImportsBefore(
      tx,
      admin.orgId,
      new Date(ctx.clock.now().getTime() - KEEP_IMPORTS_DAYS * 24 * 60 * 60 * 1000),
    );
    const teams = await teamRepository.findTeamsOfOrganizations(tx, [admin.orgId]);
    const matches = await repository.findMembersByPhones(tx, admin.orgId, phonesOf(parsed));
    const rows = evaluateRows(parsed, teams, matches, today);
    const counts = countOutcomes(rows);
    const created = await imports.insertImport(tx, {
      orgId: admin.orgId,
      createdByMemberId: admin.id,
      fileName: file.name.slice(0, 200) || 'roster',
      format: parsed.format,
      columns: parsed.columns,
      headerRow: parsed.headerRow,
      headerCells: parsed.headerCells,
      ignoredColumns: parsed.ignoredColumns,
      idNumberColumn: parsed.idNumberColumn,
      totalRows: rows.length,
      createCount: counts.create,
      updateCount: counts.update,
      unchangedCount: counts.unchanged,
      rejectCount: counts.reject,
    });
    await imports.insertImportRows(
      tx,
      admin.orgId,
      created.id,
      rows.map((row, index) => ({ ...row, source: parsed.rows[index]?.source ?? [] })),
    );
    return created;
  });
}

/** What this process knows of imports being applied now and of search grams being written. */
interface ImportActivity {
  /** Import id → rows written so far. */
  applying: Map<string, { done: number }>;
  /** Organization id → its backlog drain, one at a time. */
  drains: Map<string, Promise<void>>;
  closing: boolean;
}

const activities = new WeakMap<FastifyInstance, ImportActivity>();

function activityOf(app: FastifyInstance): ImportActivity {
  let activity = activities.get(app);
  if (!activity) {
    activity = { applying: new Map(), drains: new Map(), closing: false };
    activities.set(app, activity);
  }
  return activity;
}

/** Applies running and search-index drains in this process (for `pnpm bench`). */
export function importWorkInProgress(app: FastifyInstance): { applying: number; searchIndexing: number } {
  const activity = activityOf(app);
  return { applying: activity.applying.size, searchIndexing: activity.drains.size };
}

/** Stops the backlog drains after their current batch and waits for them (the app is closing). */
export async function stopImportWork(app: FastifyInstance): Promise<void> {
  const activity = activityOf(app);
  activity.closing = true;
  await Promise.allSettled(activity.drains.values());
}

/**
 * An import as a client sees it: APPLYING while an apply runs (here, or on
 * PostgreSQL on any instance, as its lock says), with its progress; otherwise
 * as stored, without the progress of an apply that died.
 */
async function present(ctx: MercuriusContext, tx: Tx, row: RosterImport): Promise<RosterImport> {
  const here = activityOf(ctx.app).applying.get(row.id);
  if (here) return { ...row, status: 'APPLYING', progressDone: here.done };
  if (row.status === 'APPLIED') return row;
  const elsewhere =
    ctx.app.database.driver === 'postgres' && row.progressAt !== null && (await imports.applyIsRunning(tx, row.id));
  if (elsewhere) return { ...row, status: 'APPLYING' };
  // Not applying: an APPLYING left by an apply that died (before migration 0026) is ready again.
  return { ...row, status: row.status === 'APPLYING' ? 'READY' : row.status, progressDone: 0 };
}

export async function getRosterImport(ctx: MercuriusContext, id: string): Promise<RosterImport> {
  const admin = await requireAdmin(ctx);
  requireId(id, 'Roster import');
  const found = await ctx.tenant(async (tx) => {
    const row = await imports.findImport(tx, admin.orgId, id);
    return row && present(ctx, tx, row);
  });
  if (!found) throw notFound('Roster import');
  return found;
}

export async function listRosterImports(ctx: MercuriusContext): Promise<RosterImport[]> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant(async (tx) => {
    const rows = await imports.findRecentImports(tx, admin.orgId, 20);
    return Promise.all(rows.map((row) => present(ctx, tx, row)));
  });
}

export async function pageImportRows(
  ctx: RequestContext,
  rosterImport: RosterImport,
  args: { outcomes?: readonly RosterImportOutcome[] | null; first: number; after?: number | null },
) {
  const admin = await requireAdmin(ctx);
  const first = Math.min(Math.max(args.first, 1), 200);
  const rows = await ctx.tenant((tx) =>
    imports.pageImportRows(tx, admin.orgId, rosterImport.id, {
      outcomes: args.outcomes?.length ? [...args.outcomes] : undefined,
      afterRow: args.after ?? 0,
      limit: first + 1,
    }),
  );
  const nodes = rows.slice(0, first).map((row) => ({ ...row, headerCells: rosterImport.headerCells }));
  return { nodes, hasNextPage: rows.length > first, endRow: nodes.at(-1)?.rowNumber ?? null };
}

/**
 * Members whose search grams one short transaction writes: on PGlite, whose
 * one connection other requests wait for meanwhile, a fraction of a second;
 * on PostgreSQL, where they do not wait, more.
 */
const SEARCH_BATCH = { pglite: 500, postgres: 2000 } as const;

/**
 * Writes the search grams an apply deferred, a batch per transaction, one
 * drain per organization at a time; it also finishes what a crash left.
 */
/** What the import's background work needs: the app (its log, its database's driver) and the database. */
type ImportWorker = Pick<MercuriusContext, 'app' | 'db'>;

function drainSearchBacklog(ctx: ImportWorker, orgId: string): void {
  const activity = activityOf(ctx.app);
  if (activity.drains.has(orgId) || activity.closing) return;
  const drain = (async () => {
    while (!activity.closing) {
      const done = await withTenant(ctx.db, { orgId, accountId: null }, (tx) =>
        imports.drainSearchBacklog(tx, orgId, SEARCH_BATCH[ctx.app.database.driver]),
      );
      if (done === 0) return;
      // Let the requests that queued behind this batch go first.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })()
    .catch((error: unknown) => {
      // The members stay on the backlog: the search still finds them, and the next drain writes them.
      ctx.app.log.error({ err: error, orgId }, 'could not write the roster search index');
    })
    .finally(() => activity.drains.delete(orgId));
  activity.drains.set(orgId, drain);
}

type StoredRow = Awaited<ReturnType<typeof imports.findAllImportRows>>[number];

/** Whether a row would now do something else than its preview said (the roster changed since). */
function differs(now: EvaluatedRow, previewed: StoredRow): boolean {
  return (
    now.outcome !== previewed.outcome ||
    now.memberId !== previewed.memberId ||
    now.changes.length !== previewed.changes.length ||
    now.changes.some((change, index) => change !== previewed.changes[index])
  );
}

const staleError = (staleRows: number, firstStaleRow: number | undefined) =>
  new AppError('IMPORT_STALE', 'The roster has changed since this preview; upload the file again.', {
    staleRows,
    firstStaleRow,
  });

/**
 * The import's rows decided again against the roster as it is now; IMPORT_STALE if any would
 * now do something else than its preview showed, or its member was changed since the preview
 * (by another import or an edit).
 */
async function decideAgain(tx: Tx, orgId: string, id: string, today: string): Promise<EvaluatedRow[]> {
  const stored = await imports.findAllImportRows(tx, orgId, id);
  const table = { rows: stored.map((row) => ({ rowNumber: row.rowNumber, cells: row.cells })) };
  const teams = await teamRepository.findTeamsOfOrganizations(tx, [orgId]);
  const matches = await repository.findMembersByPhones(tx, orgId, phonesOf(table));
  const rows = evaluateRows(table, teams, matches, today);
  const changed = await imports.membersChangedSincePreview(
    tx,
    orgId,
    id,
    matches.map((member) => member.id),
  );
  const stale = rows.filter((row, index) => {
    const previewed = stored[index];
    return !previewed || differs(row, previewed) || (row.memberId !== null && changed.has(row.memberId));
  });
  if (stale.length > 0) throw staleError(stale.length, stale[0]?.rowNumber);
  return rows;
}

const notReady = (status: string) =>
  new AppError('IMPORT_NOT_READY', `This import is ${status.toLowerCase()}.`, { status });

/**
 * Applies a previewed import in ONE transaction, at most once: an apply
 * running (here or on another instance) answers IMPORT_NOT_READY at once.
 * Under the organization's import lock, the rows are decided again against
 * the roster as it is; if any would now do something else than the preview
 * showed, or its member was changed since the preview (by another import or
 * an edit), nothing is applied and the admin is told IMPORT_STALE. Returns the import: APPLIED, or
 * FAILED with the roster untouched.
 */
export async function applyRosterImport(ctx: MercuriusContext, id: string): Promise<RosterImport> {
  const admin = await requireAdmin(ctx);
  requireId(id, 'Roster import');
  const orgId = admin.orgId;
  const today = localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone);
  const { applying } = activityOf(ctx.app);
  if (applying.has(id)) throw notReady('APPLYING');
  const existing = await ctx.tenant((tx) => imports.findImport(tx, orgId, id));
  if (!existing) throw notFound('Roster import');
  if (existing.status === 'APPLIED') throw notReady('APPLIED');

  const progress = { done: 0 };
  applying.set(id, progress);
  // PostgreSQL: committed on another connection, for other instances to read. PGlite is one
  // connection, which the apply's transaction holds: there the progress is this process's own.
  const onPostgres = ctx.app.database.driver === 'postgres';
  const report = async (done: number) => {
    progress.done = done;
    if (onPostgres) {
      await withTenant(ctx.db, { orgId, accountId: null }, (tx) => imports.recordProgress(tx, orgId, id, done));
    }
  };
  try {
    if (!onPostgres) return await applyInBatches(ctx, id, today, progress);
    // Past the request's deadline the apply goes on and commits (see the README, Importing the roster).
    const applied = await ctx.tenantWithoutDeadline(async (tx) => {
      if (!(await imports.tryLockApply(tx, id))) throw notReady('APPLYING');
      await imports.lockRosterImports(tx, orgId);
      const current = await imports.findImport(tx, orgId, id);
      if (!current) throw notFound('Roster import');
      if (current.status === 'APPLIED') throw notReady('APPLIED');
      await report(0);
      await imports.deferSearchGrams(tx);
      await imports.planForBulkWrites(tx);

      const rows = await decideAgain(tx, orgId, id, today);
      const columns = new Set<string>(current.columns);
      let done = 0;

      for (const part of imports.chunks(
        rows.filter((row) => row.outcome === 'CREATE'),
        APPLY_CHUNK,
      )) {
        const values = part.flatMap((row) => (row.values ? [row.values] : []));
        const ids = await imports.insertImportedMembers(tx, orgId, values, { joinedOn: today });
        await imports.insertMemberships(
          tx,
          orgId,
          values.flatMap((row) =>
            (row.teamIds ?? []).map((teamId) => ({ teamId, memberId: ids.get(row.phone) ?? '' })),
          ),
        );
        done += part.length;
        await report(done);
      }
      for (const part of imports.chunks(
        rows.filter((row) => row.outcome === 'UPDATE'),
        APPLY_CHUNK,
      )) {
        const updates = part.flatMap((row) =>
          row.values && row.memberId ? [{ memberId: row.memberId, values: row.values }] : [],
        );
        await imports.updateImportedMembers(tx, orgId, updates, columns);
        if (columns.has('teams')) {
          await imports.setTeamsOfImportedMembers(
            tx,
            orgId,
            updates.map(({ memberId, values }) => ({ memberId, teamIds: values.teamIds ?? [] })),
          );
        }
        done += part.length;
        await report(done);
      }

      const counts = countOutcomes(rows);
      const result = await imports.updateImport(tx, orgId, id, {
        status: 'APPLIED',
        appliedAt: ctx.clock.now(),
        progressDone: done,
        progressAt: ctx.clock.now(),
        failureCode: null,
        createCount: counts.create,
        updateCount: counts.update,
        unchangedCount: counts.unchanged,
        rejectCount: counts.reject,
      });
      await recordAudit(tx, ctx, orgId, {
        action: 'roster.imported',
        subjectType: 'roster_import',
        subjectId: id,
        detail: { ...counts, fileName: current.fileName },
      });
      return result;
    });
    if (applied.createCount + applied.updateCount >= ANALYZE_AFTER_ROWS) {
      await imports.analyzeRosterTables(ctx.db).catch((error: unknown) => {
        ctx.app.log.warn({ err: error, importId: id }, 'could not analyze the roster tables after an import');
      });
    }
    drainSearchBacklog(ctx, orgId);
    return applied;
  } catch (error) {
    // Refused before anything was written (running, applied, stale), or the database is out of reach
    // (the transaction is gone with its connection: nothing was applied, and nothing can be recorded).
    if (error instanceof AppError || databaseFailure(error) === 'unavailable') throw error;
    const conflict = pgError(error)?.code === PG_UNIQUE_VIOLATION;
    if (!conflict) ctx.app.log.error({ err: error, importId: id }, 'roster import failed and was rolled back');
    return await ctx.tenantWithoutDeadline((tx) =>
      imports.updateImport(tx, orgId, id, { status: 'FAILED', failureCode: conflict ? 'CONFLICT' : 'INTERNAL' }),
    );
  } finally {
    applying.delete(id);
  }
}

/**
 * Members per committed batch of an apply on PGlite: a fraction of a second each, so that the
 * requests waiting for PGlite's one connection are answered between batches.
 */
const PGLITE_BATCH = 500;

/** One apply at a time per organization in this process (PGlite is one process): the second waits. */
const organizationApplies = new Map<string, Promise<unknown>>();

async function oneApplyPerOrganization<T>(orgId: string, work: () => Promise<T>): Promise<T> {
  const before = organizationApplies.get(orgId) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(work);
  organizationApplies.set(orgId, run);
  try {
    return await run;
  } finally {
    if (organizationApplies.get(orgId) === run) organizationApplies.delete(orgId);
  }
}

/** Lets the requests queued behind a batch go first. */
const yieldToOthers = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Undoes what an apply of this import changed and had committed (roster_import_undo), a batch per
 * transaction; true if there was something to undo.
 */
async function undoApply(ctx: ImportWorker, orgId: string, id: string): Promise<boolean> {
  let undid = false;
  for (;;) {
    const undone = await withTenant(ctx.db, { orgId, accountId: null }, async (tx) => {
      await imports.deferSearchGrams(tx);
      await imports.planForBulkWrites(tx);
      return imports.undoBatch(tx, orgId, id, PGLITE_BATCH);
    });
    if (undone === 0) break;
    undid = true;
    await yieldToOthers();
  }
  if (undid) drainSearchBacklog(ctx, orgId);
  return undid;
}

/**
 * Undoes, at start, what applies cut short by the end of their process left (PGlite): the roster
 * is then as before them, and each import can be applied again.
 */
export async function undoInterruptedApplies(app: FastifyInstance): Promise<void> {
  const ctx = { app, db: app.database.db };
  for (const { orgId, importId } of await imports.importsWithUndo(ctx.db)) {
    await undoApply(ctx, orgId, importId);
    app.log.warn({ importId }, 'undid a roster import whose apply had been cut short');
  }
}

/**
 * The apply on PGlite: PGlite has one connection, which one transaction over the whole file would
 * hold for the minute it takes, and every other request would wait that long. So the apply
 * writes in committed batches of a few hundred members, each recording what it changed
 * (roster_import_undo), and the requests waiting go between batches. A failure half-way (an
 * error, a member edited meanwhile: IMPORT_STALE) undoes what the batches wrote, from that
 * record; a process that died half-way is undone when it starts again (undoInterruptedApplies)
 * or, at the latest, when the import is applied again. Either way nothing of it stays applied.
 */
async function applyInBatches(
  ctx: MercuriusContext,
  id: string,
  today: string,
  progress: { done: number },
): Promise<RosterImport> {
  const admin = await requireAdmin(ctx);
  const orgId = admin.orgId;
  return oneApplyPerOrganization(orgId, async () => {
    await undoApply(ctx, orgId, id);
    const { current, rows } = await ctx.tenantWithoutDeadline(async (tx) => {
      const found = await imports.findImport(tx, orgId, id);
      if (!found) throw notFound('Roster import');
      if (found.status === 'APPLIED') throw notReady('APPLIED');
      return { current: found, rows: await decideAgain(tx, orgId, id, today) };
    });
    const columns = new Set<string>(current.columns);
    const batch = (work: (tx: Tx) => Promise<void>) =>
      ctx.tenantWithoutDeadline(async (tx) => {
        await imports.deferSearchGrams(tx);
        await imports.planForBulkWrites(tx);
        await work(tx);
      });
    try {
      for (const part of imports.chunks(
        rows.filter((row) => row.outcome === 'CREATE'),
        PGLITE_BATCH,
      )) {
        await batch(async (tx) => {
          const values = part.flatMap((row) => (row.values ? [row.values] : []));
          const ids = await imports.insertImportedMembers(tx, orgId, values, { joinedOn: today });
          await imports.recordCreatedForUndo(tx, orgId, id, [...ids.values()]);
          await imports.insertMemberships(
            tx,
            orgId,
            values.flatMap((row) =>
              (row.teamIds ?? []).map((teamId) => ({ teamId, memberId: ids.get(row.phone) ?? '' })),
            ),
          );
        });
        progress.done += part.length;
        await yieldToOthers();
      }
      for (const part of imports.chunks(
        rows.filter((row) => row.outcome === 'UPDATE'),
        PGLITE_BATCH,
      )) {
        await batch(async (tx) => {
          const updates = part.flatMap((row) =>
            row.values && row.memberId ? [{ memberId: row.memberId, values: row.values }] : [],
          );
          // Members edited since the preview (between two batches, too) are not overwritten.
          const changed = await imports.recordUpdatedForUndo(
            tx,
            orgId,
            id,
            updates.map((update) => update.memberId),
          );
          if (changed.size > 0) {
            const first = part.find((row) => row.memberId !== null && changed.has(row.memberId));
            throw staleError(changed.size, first?.rowNumber);
          }
          await imports.updateImportedMembers(tx, orgId, updates, columns);
          if (columns.has('teams')) {
            await imports.setTeamsOfImportedMembers(
              tx,
              orgId,
              updates.map(({ memberId, values }) => ({ memberId, teamIds: values.teamIds ?? [] })),
            );
          }
        });
        progress.done += part.length;
        await yieldToOthers();
      }
      const counts = countOutcomes(rows);
      const applied = await ctx.tenantWithoutDeadline(async (tx) => {
        const result = await imports.updateImport(tx, orgId, id, {
          status: 'APPLIED',
          appliedAt: ctx.clock.now(),
          progressDone: progress.done,
          progressAt: ctx.clock.now(),
          failureCode: null,
          createCount: counts.create,
          updateCount: counts.update,
          unchangedCount: counts.unchanged,
          rejectCount: counts.reject,
        });
        await recordAudit(tx, ctx, orgId, {
          action: 'roster.imported',
          subjectType: 'roster_import',
          subjectId: id,
          detail: { ...counts, fileName: current.fileName },
        });
        // Applied: what the batches changed stands, and is no longer to undo.
        await imports.forgetUndo(tx, orgId, id);
        return result;
      });
      if (applied.createCount + applied.updateCount >= ANALYZE_AFTER_ROWS) {
        await imports.analyzeRosterTables(ctx.db).catch((error: unknown) => {
          ctx.app.log.warn({ err: error, importId: id }, 'could not analyze the roster tables after an import');
        });
      }
      drainSearchBacklog(ctx, orgId);
      return applied;
    } catch (error) {
      progress.done = 0;
      await undoApply(ctx, orgId, id);
      throw error;
    }
  });
}

function teamLabel(team: Team, locale: 'zh' | 'en'): string {
  const name = locale === 'zh' ? team.nameZh : team.nameEn;
  if (nameReadsBack(name)) return name;
  return locale === 'zh' ? `${CATEGORY_COLOUR_ZH[team.colour]}队` : `${team.colour.toLowerCase()} team`;
}

const CATEGORY_COLOUR_ZH: Record<Team['colour'], string> = {
  RED: '红',
  GREEN: '绿',
  WHITE: '白',
  ORANGE: '橙',
  PURPLE: '紫',
  GOLD: '金',
  BLUE: '蓝',
};

const CONTENT_TYPES: Record<RosterFileFormat, string> = {
  XLSX: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  CSV: 'text/csv; charset=utf-8',
};

/** The roster under the current search and filter, as a file the import reads back unchanged. Admins only; audited. */
export async function exportRoster(
  ctx: RequestContext,
  input: RosterArgs & { format: RosterFileFormat; locale?: 'zh' | 'en' | null },
): Promise<RosterFileParent> {
  const admin = await requireAdmin(ctx);
  const query = rosterQueryFor(ctx, admin, input);
  const locale = input.locale ?? 'zh';
  const { rows, teams } = await ctx.tenant(async (tx) => {
    const found = await repository.listRosterWithTeams(tx, admin.orgId, query);
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'roster.exported',
      subjectType: 'organization',
      subjectId: admin.orgId,
      detail: { format: input.format, members: found.length, search: query.search ?? null },
    });
    return { rows: found, teams: await teamRepository.findTeamsOfOrganizations(tx, [admin.orgId]) };
  });
  const labels = new Map(teams.map((team) => [team.id, teamLabel(team, locale)]));
  const separator = locale === 'zh' ? '、' : ', ';
  const records = rows.map((member): Record<RosterField, string> => ({
    name: member.displayName,
    phone: member.phone ?? '',
    gender: member.gender ? GENDER_LABELS[locale][member.gender] : '',
    politicalStatus: POLITICAL_STATUS_LABELS[locale][member.politicalStatus],
    partyStage: member.partyStage ? PARTY_STAGE_LABELS[locale][member.partyStage] : '',
    workUnit: member.workUnit ?? '',
    teams: member.teamIds.map((teamId) => labels.get(teamId) ?? '').join(separator),
    skills: member.skills.join(separator),
    joinDate: member.joinedOn,
    email: member.email ?? '',
  }));
  const file = await ctx.work('writeRoster', { format: input.format, locale, rows: records });
  const date = ctx.clock.now().toISOString().slice(0, 10);
  return {
    fileName: `roster-${date}.${input.format.toLowerCase()}`,
    contentType: CONTENT_TYPES[input.format],
    base64: file.toString('base64'),
    rowCount: records.length,
  };
}

/** Each problem of a row with the column at fault, that column's header in the file, and the value at fault. */
export function problemDetails(row: RosterImportRowParent) {
  return row.problems.map((code, index) => {
    const field = isRowProblem(code) ? ROW_PROBLEM_FIELDS[code] : 'name';
    return { code, field, column: headerOf(row.headerCells, field), value: row.problemValues[index] ?? '' };
  });
}

/** The rejected rows as .xlsx in the file's own columns, plus why each was not imported: fix and upload again. Admins only. */
export async function rejectedRowsFile(
  ctx: RequestContext,
  rosterImport: RosterImport,
  locale: 'zh' | 'en',
): Promise<RosterFileParent> {
  const admin = await requireAdmin(ctx);
  const rows = await ctx.tenant(async (tx) => {
    const found = await imports.findRejectedRows(tx, admin.orgId, rosterImport.id);
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'roster.rejected_rows_exported',
      subjectType: 'roster_import',
      subjectId: rosterImport.id,
      detail: { rows: found.length },
    });
    return found;
  });
  const file = await ctx.work('writeRejectedRows', {
    locale,
    headerCells: rosterImport.headerCells,
    idNumberColumn: rosterImport.idNumberColumn,
    rows: rows.map((row) => ({
      cells: row.sourceCells ?? [],
      reason: row.problems
        .map((code, index) => problemReason(locale, code, row.problemValues[index] ?? '', row.duplicateOf))
        .join(locale === 'zh' ? '；' : '; '),
    })),
  });
  const base = rosterImport.fileName.replace(/\.(xlsx|csv)$/i, '');
  return {
    fileName: `${base}-${locale === 'zh' ? '未导入' : 'rejected'}.xlsx`,
    contentType: CONTENT_TYPES.XLSX,
    base64: file.toString('base64'),
    rowCount: rows.length,
  };
}
