/**
 * The whole-association export: one .zip with a CSV of every table of the
 * association and a README of the columns, made in the background with its
 * progress; this association's rows only — another association's never —
 * with row-level security in force; children's personal fields only after
 * the association's name is typed, and then each child's read audited.
 */
import { auditLog, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityOrganization, errorOf, type ActivityOrganization } from './activities-seed.ts';
import { serviceRecord } from './certificates-seed.ts';
import { testClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { renameMember } from './certificates-seed.ts';
import { parseCsv } from './csv.ts';
import { registerChild } from './sponsorship-seed.ts';

const START = `mutation ($input: StartOrganizationExportInput!) {
  startOrganizationExport(input: $input) { id status includesChildren tablesDone tablesTotal requestedBy { displayName } } }`;
const PROGRESS = `query ($id: ID!) { organizationExport(id: $id) { id status tablesDone tablesTotal rowCount finishedAt } }`;
const FILE = `query ($id: ID!) { organizationExportFile(id: $id) { fileName contentType base64 } }`;

interface Progress {
  id: string;
  status: 'RUNNING' | 'READY' | 'FAILED';
  tablesDone: number;
  tablesTotal: number;
  rowCount: number;
}

let testApp: TestApp;
let ours: ActivityOrganization;
let theirs: ActivityOrganization;
const year = testClock.now().getUTCFullYear() - 1;

/** Starts an export and follows its progress until it is made; answers the archive's files. */
async function exportOf(admin: Client, input: Record<string, unknown>) {
  const started = await admin.gql<{
    startOrganizationExport: Progress & { includesChildren: boolean; requestedBy: { displayName: string } };
  }>(START, {
    input,
  });
  expectNoErrors(started);
  const id = started.data?.startOrganizationExport.id ?? '';
  const seen: Progress[] = [];
  // Polled as the page does; the export runs beside these requests, not in them.
  await expect
    .poll(
      async () => {
        const result = await admin.gql<{ organizationExport: Progress }>(PROGRESS, { id });
        expectNoErrors(result);
        const progress = result.data?.organizationExport;
        if (progress) seen.push(progress);
        return progress?.status;
      },
      { timeout: 60_000, interval: 100 },
    )
    .toBe('READY');
  const file = await admin.gql<{ organizationExportFile: { fileName: string; contentType: string; base64: string } }>(
    FILE,
    { id },
  );
  expectNoErrors(file);
  const archive = file.data?.organizationExportFile;
  const entries = unzipSync(Buffer.from(archive?.base64 ?? '', 'base64'));
  const files = new Map(Object.entries(entries).map(([name, bytes]) => [name, strFromU8(bytes)]));
  return { id, started: started.data?.startOrganizationExport, seen, archive, files };
}

beforeAll(async () => {
  testApp = await TestApp.start();
  ours = await activityOrganization(testApp, 2);
  theirs = await activityOrganization(testApp, 2);
  const [first] = ours.members;
  const [other] = theirs.members;
  if (!first || !other) throw new Error('no members');
  await renameMember(testApp, ours.orgId, first.memberId, '欧阳晓燕');
  await renameMember(testApp, theirs.orgId, other.memberId, '司马青云');
  // A name with the quote and comma an office's spreadsheet holds.
  await serviceRecord(testApp, ours.orgId, {
    memberId: first.memberId,
    date: `${year}-05-12`,
    minutes: 90,
    activityName: '“七彩之光”义诊, 第二场',
  });
  await serviceRecord(testApp, theirs.orgId, {
    memberId: other.memberId,
    date: `${year}-05-12`,
    minutes: 60,
    activityName: '别会的活动',
  });
  await registerChild(ours.admin, { familyName: '欧阳', givenName: '小雨' });
  await registerChild(theirs.admin, { familyName: '诸葛', givenName: '明月' });
});
afterAll(async () => {
  await testApp.close();
});

describe('the whole-association export', () => {
  it('holds every table of the association, its rows only, with a README of the columns', async () => {
    const made = await exportOf(ours.admin, {});
    expect(made.started).toMatchObject({ status: 'RUNNING', includesChildren: false, tablesDone: 0 });
    expect(made.started?.requestedBy.displayName).toBe('周管理');
    const last = made.seen.at(-1);
    expect(last?.tablesDone).toBe(last?.tablesTotal);
    expect(made.archive?.contentType).toBe('application/zip');
    expect(made.archive?.fileName).toMatch(/-export-\d{4}-\d{2}-\d{2}\.zip$/);

    const csvNames = [...made.files.keys()].filter((name) => name.endsWith('.csv'));
    expect(csvNames.length).toBe(last?.tablesTotal);
    for (const table of ['members', 'teams', 'activities', 'service_records', 'children', 'audit_log', 'organizations'])
      expect(csvNames).toContain(`${table}.csv`);
    // Machinery and secrets are not the association's data.
    expect(csvNames).not.toContain('member_search_grams.csv');
    expect(csvNames).not.toContain('organization_exports.csv');

    const readme = made.files.get('README.txt') ?? '';
    for (const name of csvNames) expect(readme).toContain(`## ${name}`);
    expect(readme).toContain('- display_name: text, not null');
    expect(readme).toContain('未导出 Left out: token_hash');

    // Every row of every file is this association's; nothing of the other's is anywhere in it.
    for (const name of csvNames) {
      const rows = parseCsv(made.files.get(name) ?? '');
      const key = name === 'organizations.csv' ? 'id' : 'org_id';
      expect(
        rows.filter((row) => row[key] !== ours.orgId),
        name,
      ).toEqual([]);
    }
    const everything = [...made.files.values()].join('\n');
    expect(everything).not.toContain(theirs.orgId);
    expect(everything).not.toContain('司马青云');
    expect(everything).not.toContain('别会的活动');
    const members = parseCsv(made.files.get('members.csv') ?? '');
    expect(members.map((member) => member.display_name)).toContain('欧阳晓燕');
    const records = parseCsv(made.files.get('service_records.csv') ?? '');
    expect(records.map((record) => record.activity_name)).toEqual(['“七彩之光”义诊, 第二场']);

    // Children: their records, without a single personal field.
    const children = parseCsv(made.files.get('children.csv') ?? '');
    expect(children).toHaveLength(1);
    expect(Object.keys(children[0] ?? {})).not.toContain('family_name');
    expect(Object.keys(children[0] ?? {})).not.toContain('guardian_phone');
    expect(made.files.get('children.csv')).not.toContain('欧阳');
    expect(readme).toContain('本导出不含儿童的个人信息');
  });

  it('holds children’s personal data only when the association’s name is typed, and audits each child’s read', async () => {
    const refused = await ours.admin.gql(START, { input: { includeChildren: true, confirmation: '确认' } });
    expect(errorOf(refused)?.['fields']).toEqual({ confirmation: 'MISMATCH' });
    const organization = await ours.admin.gql<{ organization: { name: string } }>(`{ organization { name } }`);
    const name = organization.data?.organization.name ?? '';
    const made = await exportOf(ours.admin, { includeChildren: true, confirmation: ` ${name} ` });
    expect(made.started?.includesChildren).toBe(true);
    const children = parseCsv(made.files.get('children.csv') ?? '');
    expect(children.map((child) => `${child.family_name}${child.given_name}`)).toEqual(['欧阳小雨']);
    expect(made.files.get('children.csv')).not.toContain('诸葛');

    const audited = await withTenant(testApp.database.db, { orgId: ours.orgId, accountId: null }, (tx) =>
      tx
        .select({ action: auditLog.action, subjectType: auditLog.subjectType, detail: auditLog.detail })
        .from(auditLog)
        .where(and(eq(auditLog.orgId, ours.orgId), eq(auditLog.action, 'child.personal_read'))),
    );
    const viaExport = audited.filter((entry) => JSON.stringify(entry.detail).includes('"export"'));
    expect(viaExport).toHaveLength(1);
    expect(viaExport[0]?.detail).toMatchObject({ via: ['export'], exportId: made.id });
    // Field names, never the values.
    expect(JSON.stringify(viaExport)).not.toContain('欧阳');
  });

  it('is for admins only, and another association’s admin cannot reach it', async () => {
    const [member] = ours.members;
    if (!member) throw new Error('no member');
    expect(errorCode(await member.client.gql(START, { input: {} }))).toBe('FORBIDDEN');
    const made = await exportOf(ours.admin, {});
    expect(errorCode(await member.client.gql(FILE, { id: made.id }))).toBe('FORBIDDEN');
    expect(errorCode(await theirs.admin.gql(FILE, { id: made.id }))).toBe('NOT_FOUND');
    expect(errorCode(await theirs.admin.gql(PROGRESS, { id: made.id }))).toBe('NOT_FOUND');
    const listed = await theirs.admin.gql<{ organizationExports: { id: string }[] }>(`{ organizationExports { id } }`);
    expect(listed.data?.organizationExports.map((entry) => entry.id)).not.toContain(made.id);
  });
});
