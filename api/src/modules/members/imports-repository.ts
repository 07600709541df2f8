import {
  members,
  rosterImportRows,
  rosterImports,
  teamMemberships,
  type Db,
  type RosterImport,
  type RosterImportOutcome,
  type RosterImportRow,
} from '@qicai/db';
import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { EvaluatedRow, RowValues } from './roster-rows.ts';

/** Statements write this many rows at a time: well under PostgreSQL's 65,535 parameters. */
export const CHUNK = 1000;

export function chunks<Item>(items: Item[], size = CHUNK): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

export async function insertImport(db: Db, values: typeof rosterImports.$inferInsert): Promise<RosterImport> {
  const [row] = await db.insert(rosterImports).values(values).returning();
  if (!row) throw new Error('insert returned no import');
  return row;
}

export async function insertImportRows(
  db: Db,
  orgId: string,
  importId: string,
  rows: (EvaluatedRow & { source: string[] })[],
): Promise<void> {
  for (const part of chunks(rows)) {
    await db.insert(rosterImportRows).values(
      part.map((row) => ({
        orgId,
        importId,
        rowNumber: row.rowNumber,
        outcome: row.outcome,
        problems: row.problems,
        problemValues: row.problemValues,
        cells: row.cells,
        sourceCells: row.outcome === 'REJECT' ? row.source : null,
        changes: row.changes,
        memberId: row.memberId,
        duplicateOf: row.duplicateOf,
      })),
    );
  }
}

export async function findImport(db: Db, orgId: string, id: string): Promise<RosterImport | undefined> {
  const [row] = await db
    .select()
    .from(rosterImports)
    .where(and(eq(rosterImports.orgId, orgId), eq(rosterImports.id, id)));
  return row;
}

export async function findRecentImports(db: Db, orgId: string, limit: number): Promise<RosterImport[]> {
  return db
    .select()
    .from(rosterImports)
    .where(eq(rosterImports.orgId, orgId))
    .orderBy(desc(rosterImports.createdAt))
    .limit(limit);
}

/** Imports are kept for a month, then their rows go (a roster file holds personal data). */
export async function deleteImportsBefore(db: Db, orgId: string, before: Date): Promise<void> {
  await db.delete(rosterImports).where(and(eq(rosterImports.orgId, orgId), lt(rosterImports.createdAt, before)));
}

/** A page of an import's rows in file order, optionally of some outcomes only. */
export async function pageImportRows(
  db: Db,
  orgId: string,
  importId: string,
  options: { outcomes: RosterImportOutcome[] | undefined; afterRow: number; limit: number },
): Promise<RosterImportRow[]> {
  return db
    .select()
    .from(rosterImportRows)
    .where(
      and(
        eq(rosterImportRows.orgId, orgId),
        eq(rosterImportRows.importId, importId),
        options.outcomes ? inArray(rosterImportRows.outcome, options.outcomes) : undefined,
        gt(rosterImportRows.rowNumber, options.afterRow),
      ),
    )
    .orderBy(asc(rosterImportRows.rowNumber))
    .limit(options.limit);
}

/** An import's rejected rows in file order, for the file that gives them back to fix. */
export async function findRejectedRows(db: Db, orgId: string, importId: string): Promise<RosterImportRow[]> {
  return db
    .select()
    .from(rosterImportRows)
    .where(
      and(
        eq(rosterImportRows.orgId, orgId),
        eq(rosterImportRows.importId, importId),
        eq(rosterImportRows.outcome, 'REJECT'),
      ),
    )
    .orderBy(asc(rosterImportRows.rowNumber));
}

export async function findAllImportRows(
  db: Db,
  orgId: string,
  importId: string,
): Promise<Pick<RosterImportRow, 'rowNumber' | 'cells'>[]> {
  return db
    .select({ rowNumber: rosterImportRows.rowNumber, cells: rosterImportRows.cells })
    .from(rosterImportRows)
    .where(and(eq(rosterImportRows.orgId, orgId), eq(rosterImportRows.importId, importId)))
    .orderBy(asc(rosterImportRows.rowNumber));
}

/**
 * Starts applying an import that is ready (or failed, or whose apply died with
 * its process before `staleBefore`): only one apply of it runs at a time.
 */
export async function claimImport(
  db: Db,
  orgId: string,
  id: string,
  staleBefore: Date,
): Promise<RosterImport | undefined> {
  const [row] = await db
    .update(rosterImports)
    .set({ status: 'APPLYING', progressDone: 0, progressAt: sql`now()`, failureCode: null })
    .where(
      and(
        eq(rosterImports.orgId, orgId),
        eq(rosterImports.id, id),
        or(
          inArray(rosterImports.status, ['READY', 'FAILED']),
          and(eq(rosterImports.status, 'APPLYING'), lt(rosterImports.progressAt, staleBefore)),
        ),
      ),
    )
    .returning();
  return row;
}

export async function updateImport(
  db: Db,
  orgId: string,
  id: string,
  changes: Partial<Omit<RosterImport, 'orgId' | 'id'>>,
): Promise<RosterImport> {
  const [row] = await db
    .update(rosterImports)
    .set(changes)
    .where(and(eq(rosterImports.orgId, orgId), eq(rosterImports.id, id)))
    .returning();
  if (!row) throw new Error('import vanished');
  return row;
}

export async function recordProgress(db: Db, orgId: string, id: string, done: number): Promise<void> {
  await db
    .update(rosterImports)
    .set({ progressDone: done, progressAt: sql`now()` })
    .where(and(eq(rosterImports.orgId, orgId), eq(rosterImports.id, id), eq(rosterImports.status, 'APPLYING')));
}

/** Serialises imports of one organization: the second waits and then sees the first's members. */
export async function lockRosterImports(db: Db, orgId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`qicai.roster_import:${orgId}`}, 0))`);
}

/**
 * THE place a row's values become member columns, for new members and for
 * updates alike (a set-based writer takes these). null for the status and
 * join date means "the file says nothing": an update keeps the member's
 * value, an insert takes the default (群众, the import's day).
 */
export function memberColumns(values: RowValues) {
  return {
    display_name: values.displayName,
    phone: values.phone,
    gender: values.gender ?? null,
    political_status: values.politicalStatus ?? null,
    party_stage: values.partyStage ?? null,
    /** Whether the row sets the stage (null included: becoming a party member clears it). */
    party_stage_given: values.partyStage !== undefined,
    work_unit: values.workUnit ?? null,
    skills: values.skills ?? [],
    joined_on: values.joinedOn ?? null,
    email: values.email ?? null,
  };
}

/** Adds new members; returns their ids by phone. */
export async function insertImportedMembers(
  db: Db,
  orgId: string,
  rows: RowValues[],
  defaults: { joinedOn: string },
): Promise<Map<string, string>> {
  const inserted = await db
    .insert(members)
    .values(
      rows.map((row) => {
        const columns = memberColumns(row);
        return {
          orgId,
          displayName: columns.display_name,
          phone: columns.phone,
          gender: columns.gender,
          politicalStatus: columns.political_status ?? 'MASSES',
          partyStage: columns.party_stage,
          workUnit: columns.work_unit,
          skills: columns.skills,
          joinedOn: columns.joined_on ?? defaults.joinedOn,
          email: columns.email,
          role: 'MEMBER' as const,
        };
      }),
    )
    .returning({ id: members.id, phone: members.phone });
  return new Map(inserted.map((row) => [row.phone ?? '', row.id]));
}

/**
 * Updates many members in one statement: the rows travel as one JSON
 * document; a field the file has no column for keeps its value, and so do an
 * empty join date and a stage the row does not set.
 */
export async function updateImportedMembers(
  db: Db,
  orgId: string,
  rows: { memberId: string; values: RowValues }[],
  columns: ReadonlySet<string>,
): Promise<void> {
  if (rows.length === 0) return;
  const document = JSON.stringify(
    rows.map(({ memberId, values }) => {
      return { id: memberId, ...memberColumns(values) };
    }),
  );
  const keep = (column: string, field: string) =>
    columns.has(field) ? sql.raw(`v.${column}`) : sql.raw(`m.${column}`);
  await db.execute(sql`
    update ${members} as m set
      display_name = v.display_name,
      gender = ${keep('gender', 'gender')},
      political_status = coalesce(v.political_status, m.political_status),
      party_stage = case when v.party_stage_given then v.party_stage else m.party_stage end,
      work_unit = ${keep('work_unit', 'workUnit')},
      skills = ${keep('skills', 'skills')},
      joined_on = coalesce(v.joined_on, m.joined_on),
      email = ${keep('email', 'email')},
      updated_at = now()
    from jsonb_to_recordset(${document}::jsonb) as v(
      id uuid, display_name text, gender gender, political_status political_status, party_stage party_stage,
      party_stage_given boolean, work_unit text, skills text[], joined_on date, email text)
    where m.org_id = ${orgId} and m.id = v.id`);
}

export async function insertMemberships(db: Db, orgId: string, pairs: { memberId: string; teamId: string }[]) {
  for (const part of chunks(pairs, 5000)) {
    await db
      .insert(teamMemberships)
      .values(part.map((pair) => ({ orgId, ...pair })))
      .onConflictDoNothing();
  }
}
