/**
 * Seed builders for the members tests: roster entries made through the API,
 * roster files, and the import's upload → preview → apply.
 */
import * as XLSX from '@e965/xlsx';
import { members, teamMemberships, withTenant, type PoliticalStatus } from '@qicai/db';
import { count, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { expectNoErrors, type Client, type GraphQLResponse, type TestApp } from './helper.ts';

export const CREATE_MEMBER = `mutation ($input: CreateMemberInput!) { createMember(input: $input) { id } }`;
export const UPDATE_MEMBER = `mutation ($input: UpdateMemberInput!) { updateMember(input: $input) { id displayName phone email gender politicalStatus partyStage workUnit skills } }`;
export const SET_ROLE = `mutation ($input: SetMemberRoleInput!) { setMemberRole(input: $input) { id role } }`;

export interface RosterEntry {
  displayName: string;
  phone: string;
  email?: string;
  gender?: 'MALE' | 'FEMALE';
  politicalStatus?: PoliticalStatus;
  partyStage?: 'ACTIVIST' | 'CANDIDATE';
  joinedOn?: string;
  workUnit?: string;
  skills?: string[];
  teamIds?: string[];
}

/** An admin adds someone to the roster; returns the member's id. */
export async function addRosterMember(admin: Client, entry: RosterEntry): Promise<string> {
  const result = await admin.gql<{ createMember: { id: string } }>(CREATE_MEMBER, { input: entry });
  expectNoErrors(result);
  return result.data?.createMember.id ?? '';
}

/** An account that is a member with a phone on its profile, signed in; returns the client and its member id. */
export async function signedInMember(
  testApp: TestApp,
  admin: Client,
  orgId: string,
  role: 'MEMBER' | 'ADMIN' = 'MEMBER',
): Promise<{ client: Client; memberId: string }> {
  const client = (await testApp.signUp()).in(admin.org);
  const memberId = await testApp.addMember(orgId, client, role);
  return { client, memberId };
}

/** An .xlsx workbook of these rows (the first is the header), every cell as text unless it is a number. */
export function workbook(rows: (string | number)[][]): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '花名册');
  const written: unknown = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true });
  if (!Buffer.isBuffer(written)) throw new Error('no workbook');
  return written;
}

export function csv(rows: string[][]): string {
  return rows
    .map((row) => row.map((cell) => (/[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(','))
    .join('\r\n');
}

export interface ImportView {
  id: string;
  status: string;
  format: string;
  columns: string[];
  headerRow: number;
  ignoredColumns: string[];
  idNumberColumn: string | null;
  totalRows: number;
  createCount: number;
  updateCount: number;
  unchangedCount: number;
  rejectCount: number;
  progressDone: number;
  failureCode: string | null;
}

const IMPORT_FIELDS = `id status format columns headerRow ignoredColumns idNumberColumn totalRows createCount updateCount unchangedCount rejectCount progressDone failureCode`;

/** Uploads a roster file through POST /imports/roster; the answer's JSON (data.id or errors). */
export async function uploadRoster(
  client: Client,
  file: Buffer,
  fileName = 'roster.xlsx',
): Promise<GraphQLResponse<{ id: string }>> {
  const response = await client.post('/imports/roster', file, {
    'content-type': 'application/octet-stream',
    'x-file-name': encodeURIComponent(fileName),
  });
  return response.json<GraphQLResponse<{ id: string }>>();
}

export async function importView(client: Client, id: string): Promise<ImportView> {
  const result = await client.gql<{ organization: { rosterImport: ImportView } }>(
    `query ($id: ID!) { organization { rosterImport(id: $id) { ${IMPORT_FIELDS} } } }`,
    { id },
  );
  expectNoErrors(result);
  const view = result.data?.organization.rosterImport;
  if (!view) throw new Error('no import');
  return view;
}

/** Uploads and previews; fails the test if the file is refused. */
export async function previewRoster(client: Client, file: Buffer, fileName?: string): Promise<ImportView> {
  const uploaded = await uploadRoster(client, file, fileName);
  expect(uploaded.errors).toBeUndefined();
  return importView(client, uploaded.data?.id ?? '');
}

export async function applyImport(client: Client, id: string): Promise<ImportView> {
  const result = await client.gql<{ applyRosterImport: ImportView }>(
    `mutation ($id: ID!) { applyRosterImport(id: $id) { ${IMPORT_FIELDS} } }`,
    { id },
  );
  expectNoErrors(result);
  const view = result.data?.applyRosterImport;
  if (!view) throw new Error('no import');
  return view;
}

export interface ImportRowView {
  rowNumber: number;
  outcome: string;
  problems: string[];
  duplicateOf: number | null;
  changes: string[];
  cells: Record<string, string | null>;
  problemDetails: { code: string; field: string; column: string | null; value: string }[];
}

/** Every row of an import with these outcomes, page by page. */
export async function importRows(client: Client, id: string, outcomes: string[]): Promise<ImportRowView[]> {
  const rows: ImportRowView[] = [];
  let after: number | null = null;
  for (;;) {
    const result: GraphQLResponse<{
      organization: { rosterImport: { rows: { nodes: ImportRowView[]; hasNextPage: boolean; endRow: number | null } } };
    }> = await client.gql(
      `query ($id: ID!, $outcomes: [RosterImportOutcome!], $after: Int) { organization { rosterImport(id: $id) {
        rows(outcomes: $outcomes, first: 200, after: $after) { nodes { rowNumber outcome problems duplicateOf changes
          cells { name phone gender politicalStatus partyStage workUnit teams skills joinDate email }
          problemDetails { code field column value } } hasNextPage endRow } } } }`,
      { id, outcomes, after },
    );
    expectNoErrors(result);
    const page = result.data?.organization.rosterImport.rows;
    rows.push(...(page?.nodes ?? []));
    if (!page?.hasNextPage) return rows;
    after = page.endRow;
  }
}

/** Members of the organization, straight from the database. */
export async function countMembers(testApp: TestApp, orgId: string): Promise<number> {
  const [row] = await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
    tx.select({ members: count() }).from(members).where(eq(members.orgId, orgId)),
  );
  return row?.members ?? 0;
}

/** The roster as a comparable snapshot: every member row (with updated_at) and every team membership. */
export async function rosterSnapshot(testApp: TestApp, orgId: string): Promise<string> {
  const { memberRows, membershipRows } = await withTenant(
    testApp.database.db,
    { orgId, accountId: null },
    async (tx) => ({
      memberRows: await tx.select().from(members).where(eq(members.orgId, orgId)).orderBy(members.id),
      membershipRows: await tx
        .select()
        .from(teamMemberships)
        .where(eq(teamMemberships.orgId, orgId))
        .orderBy(teamMemberships.memberId, teamMemberships.teamId),
    }),
  );
  return JSON.stringify({ memberRows, membershipRows });
}
