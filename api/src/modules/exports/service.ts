/**
 * Whole-association export (data portability, 数据导出): every table of the
 * association, its rows only, as one archive of CSV files with a README of
 * the columns. An admin asks; the archive is made in the background (the
 * rows read table by table under row-level security, the files written and
 * zipped in a worker thread) with its progress kept in organization_exports;
 * its admins download it.
 *
 * Children's personal fields (sponsorship, rule 12) are left out unless the
 * admin confirms explicitly by typing the association's name; then each
 * child's read is written to the audit log, as any other read of them is.
 * Secrets (token and code hashes) are never exported.
 */
import {
  children,
  organizationExports,
  queryRows,
  sponsorshipUpdates,
  withTenant,
  type OrganizationExport,
} from '@qicai/db';
import * as schema from '@qicai/db';
import { and, desc, eq, getTableColumns, is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import type { FastifyInstance } from 'fastify';
import { requireAdmin, requireOrganization } from '../../shared/access.ts';
import { recordAudit, recordAudits } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { AppError, notFound, ValidationError } from '../../shared/errors.ts';
import { ALL_PERSONAL_FIELDS, PERSONAL_READ } from '../sponsorship/personal-reads.ts';
import type { ExportTable } from './archive.ts';

/** Tables that are the application's machinery, not the association's data: indexes, queues, throttles. */
const NOT_EXPORTED = new Set([
  'organization_exports',
  'member_search_grams',
  'member_search_backlog',
  'roster_import_undo',
  'request_submission_attempts',
  'sign_in_failures',
  'sessions',
  'account_codes',
]);

/** What a table holds, for the README; a table not named here is described by its name. */
const DESCRIPTIONS: Record<string, { zh: string; en: string }> = {
  organizations: { zh: '协会', en: 'The association' },
  teams: { zh: '七支队伍', en: 'The seven teams' },
  members: { zh: '队员花名册', en: 'The roster' },
  team_memberships: { zh: '队员所在队伍', en: "Members' teams" },
  activities: { zh: '活动', en: 'Activities' },
  activity_series: { zh: '周期活动', en: 'Recurring activities' },
  sign_ups: { zh: '报名与签到', en: 'Sign-ups and check-ins' },
  service_records: { zh: '志愿服务记录', en: 'Service records' },
  service_record_corrections: { zh: '服务记录更正申请', en: 'Corrections of service records' },
  certificates: { zh: '志愿服务证明', en: 'Certificates' },
  certificate_seals: { zh: '证明上的公章', en: 'Seals on certificates' },
  children: { zh: '受助儿童', en: 'Children' },
  sponsors: { zh: '爱心人士与党组织', en: 'Sponsors' },
  sponsorships: { zh: '一对一帮扶', en: 'Sponsorships' },
  help_requests: { zh: '群众需求', en: 'Requests for help' },
  stations: { zh: '村级服务站', en: 'Service stations' },
  station_visits: { zh: '服务站来访记录', en: 'Station logbook' },
  audit_log: { zh: '审计日志', en: 'Audit log' },
};

/** A column that holds a secret (a token's or code's hash): never in an archive. */
const isSecret = (column: string) => column.endsWith('_hash');

/** How long a RUNNING export may go without progress before it counts as cut short. */
const STALLED_AFTER_MS = 10 * 60_000;

interface CatalogueTable {
  name: string;
  table: PgTable;
  columns: { name: string; type: string; nullable: boolean }[];
  /** The column that names the association: org_id, or id for the organizations table itself. */
  tenantColumn: string;
}

/** Every table of the schema that belongs to an association, in name order. */
function catalogue(): CatalogueTable[] {
  const exported: unknown[] = Object.values(schema);
  const tables = exported.filter((value): value is PgTable => is(value, PgTable));
  return tables
    .map((table) => {
      const config = getTableConfig(table);
      const columns = config.columns.map((column) => ({
        name: column.name,
        type: column.getSQLType(),
        nullable: !column.notNull,
      }));
      const tenantColumn =
        config.name === 'organizations' ? 'id' : columns.some((column) => column.name === 'org_id') ? 'org_id' : '';
      return { name: config.name, table, columns, tenantColumn };
    })
    .filter((entry) => entry.tenantColumn !== '' && !NOT_EXPORTED.has(entry.name))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The SQL names of the columns a child's personal data lives in (the audit log's names, mapped). */
function childrenPersonalColumns(): Map<string, string[]> {
  const childColumns = getTableColumns(children);
  return new Map([
    [getTableConfig(children).name, ALL_PERSONAL_FIELDS.map((field) => childColumns[field].name)],
    // A sponsor's news of a child: about the child.
    [getTableConfig(sponsorshipUpdates).name, [getTableColumns(sponsorshipUpdates).body.name]],
  ]);
}

interface ExportActivity {
  running: Map<string, Promise<void>>;
  closing: boolean;
}
const activities = new WeakMap<FastifyInstance, ExportActivity>();

function activityOf(app: FastifyInstance): ExportActivity {
  let activity = activities.get(app);
  if (!activity) {
    activity = { running: new Map(), closing: false };
    activities.set(app, activity);
  }
  return activity;
}

/** Waits for the exports being made in this process; those not finished are marked FAILED (the app is closing). */
export async function stopExportWork(app: FastifyInstance): Promise<void> {
  const activity = activityOf(app);
  activity.closing = true;
  await Promise.allSettled(activity.running.values());
}

/** An export as its admins see it: a RUNNING one that stopped moving (its process ended) is FAILED. */
export function presentExport(ctx: Pick<RequestContext, 'clock'>, row: OrganizationExport): OrganizationExport {
  if (row.status === 'RUNNING' && ctx.clock.now().getTime() - row.progressAt.getTime() > STALLED_AFTER_MS) {
    return { ...row, status: 'FAILED' };
  }
  return row;
}

type ExportContext = RequestContext & { app: FastifyInstance };

/**
 * Starts an export of the whole association (admins). With children's
 * personal data only when `confirmation` is the association's name, typed.
 * One at a time: while one is being made, asking again answers it.
 */
export async function startOrganizationExport(
  ctx: ExportContext,
  input: { includeChildren?: boolean | null | undefined; confirmation?: string | null | undefined },
): Promise<OrganizationExport> {
  const admin = await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  const includesChildren = input.includeChildren === true;
  if (includesChildren && (input.confirmation ?? '').trim() !== organization.name) {
    throw new ValidationError({ confirmation: 'MISMATCH' });
  }
  const tables = catalogue();
  const now = ctx.clock.now();
  const started = await ctx.tenant(async (tx) => {
    const [running] = await tx
      .select()
      .from(organizationExports)
      .where(and(eq(organizationExports.orgId, admin.orgId), eq(organizationExports.status, 'RUNNING')))
      .orderBy(desc(organizationExports.createdAt))
      .limit(1);
    if (running && presentExport(ctx, running).status === 'RUNNING') return { row: running, isNew: false };
    const [row] = await tx
      .insert(organizationExports)
      .values({
        orgId: admin.orgId,
        requestedByMemberId: admin.id,
        includesChildren,
        tablesTotal: tables.length,
        createdAt: now,
        progressAt: now,
      })
      .returning();
    if (!row) throw new Error('no export inserted');
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'organization.export_started',
      subjectType: 'organization_export',
      subjectId: row.id,
      detail: { includesChildren, tables: tables.length },
    });
    return { row, isNew: true };
  });
  if (started.isNew) {
    const activity = activityOf(ctx.app);
    const run = makeArchive(ctx, started.row, organization.name, tables)
      .catch(async (error: unknown) => {
        ctx.app.log.error({ err: error, exportId: started.row.id }, 'could not make the association export');
        await withTenant(ctx.db, { orgId: started.row.orgId, accountId: null }, (tx) =>
          tx
            .update(organizationExports)
            .set({ status: 'FAILED', finishedAt: ctx.clock.now() })
            .where(and(eq(organizationExports.orgId, started.row.orgId), eq(organizationExports.id, started.row.id))),
        ).catch(() => undefined);
      })
      .finally(() => activity.running.delete(started.row.id));
    activity.running.set(started.row.id, run);
  }
  return started.row;
}

/** Reads every table, table by table (each its own transaction, its progress committed), then zips in a thread. */
async function makeArchive(
  ctx: ExportContext,
  job: OrganizationExport,
  organizationName: string,
  tables: CatalogueTable[],
): Promise<void> {
  const activity = activityOf(ctx.app);
  const tenant = { orgId: job.orgId, accountId: ctx.account?.id ?? null };
  const personal = job.includesChildren ? new Map<string, string[]>() : childrenPersonalColumns();
  const exported: ExportTable[] = [];
  let rowCount = 0;
  let childIds: string[] = [];
  for (const [index, entry] of tables.entries()) {
    // Let the requests queued behind this read go first.
    await new Promise((resolve) => setImmediate(resolve));
    if (activity.closing) throw new AppError('UNAVAILABLE', 'The server is closing.');
    const omitted = [
      ...entry.columns.filter((column) => isSecret(column.name)).map((column) => column.name),
      ...(personal.get(entry.name) ?? []),
    ];
    const columns = entry.columns.filter((column) => !omitted.includes(column.name));
    const rows = await withTenant(ctx.db, tenant, async (tx) => {
      const found = await queryRows<Record<string, unknown>>(
        tx,
        sql`select ${sql.join(
          columns.map((column) => sql.identifier(column.name)),
          sql`, `,
        )} from ${entry.table} where ${sql.identifier(entry.tenantColumn)} = ${job.orgId}::uuid`,
      );
      await tx
        .update(organizationExports)
        .set({ tablesDone: index + 1, rowCount: rowCount + found.length, progressAt: ctx.clock.now() })
        .where(and(eq(organizationExports.orgId, job.orgId), eq(organizationExports.id, job.id)));
      return found;
    });
    rowCount += rows.length;
    if (entry.name === getTableConfig(children).name) childIds = rows.map((row) => String(row['id']));
    exported.push({
      name: entry.name,
      description: DESCRIPTIONS[entry.name] ?? { zh: entry.name, en: entry.name },
      columns,
      omitted,
      rows,
    });
  }
  const archive = await ctx.app.workers.run('writeExportArchive', {
    organizationName,
    madeAt: ctx.clock.now().toISOString(),
    includesChildren: job.includesChildren,
    tables: exported,
  });
  await withTenant(ctx.db, tenant, async (tx) => {
    await tx
      .update(organizationExports)
      .set({ status: 'READY', archive: Buffer.from(archive), finishedAt: ctx.clock.now(), progressAt: ctx.clock.now() })
      .where(and(eq(organizationExports.orgId, job.orgId), eq(organizationExports.id, job.id)));
    // Every child whose personal fields went into the archive: a read of them (rule 12), field names only.
    if (job.includesChildren) {
      await recordAudits(
        tx,
        ctx,
        job.orgId,
        childIds.map((childId) => ({
          action: PERSONAL_READ,
          subjectType: 'child',
          subjectId: childId,
          detail: { fields: [...ALL_PERSONAL_FIELDS].sort(), via: ['export'], exportId: job.id },
        })),
      );
    }
  });
}

/** The association's exports, newest first (the last ten). Admins only. */
export async function listExports(ctx: RequestContext): Promise<OrganizationExport[]> {
  const admin = await requireAdmin(ctx);
  const rows = await ctx.tenant((tx) =>
    tx
      .select({ ...getTableColumns(organizationExports), archive: sql<null>`null` })
      .from(organizationExports)
      .where(eq(organizationExports.orgId, admin.orgId))
      .orderBy(desc(organizationExports.createdAt))
      .limit(10),
  );
  return rows.map((row) => presentExport(ctx, row));
}

export async function getExport(ctx: RequestContext, id: string): Promise<OrganizationExport> {
  const admin = await requireAdmin(ctx);
  const [row] = await ctx.tenant((tx) =>
    tx
      .select({ ...getTableColumns(organizationExports), archive: sql<null>`null` })
      .from(organizationExports)
      .where(and(eq(organizationExports.orgId, admin.orgId), eq(organizationExports.id, id))),
  );
  if (!row) throw notFound('Export');
  return presentExport(ctx, row);
}

/** The archive of a READY export, for its association's admins; each download audited. */
export async function exportArchiveFile(
  ctx: RequestContext,
  id: string,
): Promise<{ fileName: string; contentType: string; base64: string }> {
  const admin = await requireAdmin(ctx);
  const organization = requireOrganization(ctx);
  return ctx.tenant(async (tx) => {
    const [row] = await tx
      .select()
      .from(organizationExports)
      .where(and(eq(organizationExports.orgId, admin.orgId), eq(organizationExports.id, id)));
    if (!row) throw notFound('Export');
    if (row.status !== 'READY' || !row.archive) {
      throw new AppError('INVALID_STATE', 'This export is not ready.', { status: presentExport(ctx, row).status });
    }
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'organization.export_downloaded',
      subjectType: 'organization_export',
      subjectId: row.id,
      detail: { includesChildren: row.includesChildren },
    });
    const day = row.createdAt.toISOString().slice(0, 10);
    return {
      fileName: `${organization.slug}-export-${day}.zip`,
      contentType: 'application/zip',
      base64: row.archive.toString('base64'),
    };
  });
}
