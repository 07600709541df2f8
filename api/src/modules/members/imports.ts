/**
 * Roster import and export. An import is read and checked row by row into a
 * preview (nothing changes), then applied in one transaction: a failure
 * anywhere leaves the roster as it was. Progress is committed apart from that
 * transaction, so the page can show it while a large file runs.
 */
import {
  pgError,
  PG_UNIQUE_VIOLATION,
  withTenant,
  type RosterImport,
  type RosterImportOutcome,
  type Team,
} from '@qicai/db';
import type { MercuriusContext } from 'mercurius';
import { requireAdmin } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { requireId } from './ids.ts';
import * as imports from './imports-repository.ts';
import type { RosterFileParent } from './mappers.ts';
import { CATEGORY_LABELS, GENDER_LABELS } from './profile.ts';
import * as repository from './repository.ts';
import { RosterFileError, type RosterField, type RosterFileFormat } from './roster-file.ts';
import { countOutcomes, evaluateRows, nameReadsBack, phonesOf } from './roster-rows.ts';
import { rosterQueryFor, type RosterArgs } from './service.ts';

/** A county roster is about 31,000 people; this leaves room. */
export const MAX_IMPORT_ROWS = 60_000;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
const KEEP_IMPORTS_DAYS = 30;
/** An apply that has reported no progress for this long died with its process; it may be started again. */
export const STALE_APPLY_MS = 10 * 60 * 1000;

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
  return ctx.tenant(async (tx) => {
    await imports.deleteImportsBefore(
      tx,
      admin.orgId,
      new Date(ctx.clock.now().getTime() - KEEP_IMPORTS_DAYS * 24 * 60 * 60 * 1000),
    );
    const teams = await repository.findTeams(tx, admin.orgId);
    const matches = await repository.findMembersByPhones(tx, admin.orgId, phonesOf(parsed));
    const rows = evaluateRows(parsed, teams, matches);
    const counts = countOutcomes(rows);
    const created = await imports.insertImport(tx, {
      orgId: admin.orgId,
      createdByMemberId: admin.id,
      fileName: file.name.slice(0, 200) || 'roster',
      format: parsed.format,
      columns: parsed.columns,
      totalRows: rows.length,
      createCount: counts.create,
      updateCount: counts.update,
      unchangedCount: counts.unchanged,
      rejectCount: counts.reject,
    });
    await imports.insertImportRows(tx, admin.orgId, created.id, rows);
    return created;
  });
}

export async function getRosterImport(ctx: RequestContext, id: string): Promise<RosterImport> {
  const admin = await requireAdmin(ctx);
  requireId(id, 'Roster import');
  const found = await ctx.tenant((tx) => imports.findImport(tx, admin.orgId, id));
  if (!found) throw notFound('Roster import');
  return found;
}

export async function listRosterImports(ctx: RequestContext): Promise<RosterImport[]> {
  const admin = await requireAdmin(ctx);
  return ctx.tenant((tx) => imports.findRecentImports(tx, admin.orgId, 20));
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
  const nodes = rows.slice(0, first);
  return { nodes, hasNextPage: rows.length > first, endRow: nodes.at(-1)?.rowNumber ?? null };
}

/**
 * Applies a previewed import in ONE transaction. The rows are decided again
 * against the roster as it is under the import lock (someone may have edited
 * it since the preview). Returns the import: APPLIED, or FAILED with the
 * roster untouched.
 */
export async function applyRosterImport(ctx: MercuriusContext, id: string): Promise<RosterImport> {
  const admin = await requireAdmin(ctx);
  requireId(id, 'Roster import');
  const orgId = admin.orgId;
  const claimed = await ctx.tenant((tx) =>
    imports.claimImport(tx, orgId, id, new Date(ctx.clock.now().getTime() - STALE_APPLY_MS)),
  );
  if (!claimed) {
    const existing = await ctx.tenant((tx) => imports.findImport(tx, orgId, id));
    if (!existing) throw notFound('Roster import');
    throw new AppError('IMPORT_NOT_READY', `This import is ${existing.status.toLowerCase()}.`);
  }
  // PGlite is one connection, busy with the import's transaction: progress is reported on PostgreSQL only.
  const progress =
    ctx.app.database.driver === 'postgres'
      ? (done: number) =>
          withTenant(ctx.db, { orgId, accountId: null }, (tx) => imports.recordProgress(tx, orgId, id, done))
      : async () => {};

  try {
    return await ctx.tenant(async (tx) => {
      await imports.lockRosterImports(tx, orgId);
      const stored = await imports.findAllImportRows(tx, orgId, id);
      const table = {
        format: claimed.format,
        columns: claimed.columns as RosterField[],
        rows: stored.map((row) => ({ rowNumber: row.rowNumber, cells: row.cells })),
      };
      const teams = await repository.findTeams(tx, orgId);
      const matches = await repository.findMembersByPhones(tx, orgId, phonesOf(table));
      const rows = evaluateRows(table, teams, matches);
      const columns = new Set<string>(claimed.columns);
      let done = 0;

      for (const part of imports.chunks(rows.filter((row) => row.outcome === 'CREATE'))) {
        const values = part.flatMap((row) => (row.values ? [row.values] : []));
        const ids = await imports.insertImportedMembers(tx, orgId, values);
        await imports.insertMemberships(
          tx,
          orgId,
          values.flatMap((row) =>
            (row.teamIds ?? []).map((teamId) => ({ teamId, memberId: ids.get(row.phone) ?? '' })),
          ),
        );
        done += part.length;
        await progress(done);
      }
      for (const part of imports.chunks(rows.filter((row) => row.outcome === 'UPDATE'))) {
        const updates = part.flatMap((row) =>
          row.values && row.memberId ? [{ memberId: row.memberId, values: row.values }] : [],
        );
        await imports.updateImportedMembers(tx, orgId, updates, columns);
        if (columns.has('teams')) {
          await repository.setTeamsOfMembers(
            tx,
            orgId,
            updates.map(({ memberId, values }) => ({ memberId, teamIds: values.teamIds ?? [] })),
          );
        }
        done += part.length;
        await progress(done);
      }

      const counts = countOutcomes(rows);
      const applied = await imports.updateImport(tx, orgId, id, {
        status: 'APPLIED',
        appliedAt: ctx.clock.now(),
        progressDone: done,
        progressAt: ctx.clock.now(),
        createCount: counts.create,
        updateCount: counts.update,
        unchangedCount: counts.unchanged,
        rejectCount: counts.reject,
      });
      await recordAudit(tx, ctx, orgId, {
        action: 'roster.imported',
        subjectType: 'roster_import',
        subjectId: id,
        detail: { ...counts, fileName: claimed.fileName },
      });
      return applied;
    });
  } catch (error) {
    const conflict = pgError(error)?.code === PG_UNIQUE_VIOLATION;
    if (!conflict) ctx.app.log.error({ err: error, importId: id }, 'roster import failed and was rolled back');
    return ctx.tenant((tx) =>
      imports.updateImport(tx, orgId, id, { status: 'FAILED', failureCode: conflict ? 'CONFLICT' : 'INTERNAL' }),
    );
  }
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
  const query = rosterQueryFor(admin, input);
  const locale = input.locale ?? 'zh';
  const { rows, teams } = await ctx.tenant(async (tx) => {
    const found = await repository.listRosterWithTeams(tx, admin.orgId, query);
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'roster.exported',
      subjectType: 'organization',
      subjectId: admin.orgId,
      detail: { format: input.format, members: found.length, search: query.search ?? null },
    });
    return { rows: found, teams: await repository.findTeams(tx, admin.orgId) };
  });
  const labels = new Map(teams.map((team) => [team.id, teamLabel(team, locale)]));
  const separator = locale === 'zh' ? '、' : ', ';
  const records = rows.map((member): Record<RosterField, string> => ({
    name: member.displayName,
    phone: member.phone ?? '',
    gender: member.gender ? GENDER_LABELS[locale][member.gender] : '',
    category: CATEGORY_LABELS[locale][member.category],
    workUnit: member.workUnit ?? '',
    teams: member.teamIds.map((teamId) => labels.get(teamId) ?? '').join(separator),
    skills: member.skills.join(separator),
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
