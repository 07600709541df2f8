import {
  members,
  memberSearchBacklog,
  memberSearchGrams,
  queryRows,
  rosterImportRows,
  rosterImports,
  rosterImportUndo,
  teamMemberships,
  type Db,
  type Tx,
  type RosterImport,
  type RosterImportOutcome,
  type RosterImportRow,
} from '@qicai/db';
import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { RosterField } from './roster-file.ts';
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

/** The preview's rows, a few thousand per statement as one JSON document. */
export async function insertImportRows(
  db: Db,
  orgId: string,
  importId: string,
  rows: (EvaluatedRow & { source: string[] })[],
): Promise<void> {
  for (const part of chunks(rows, 5000)) {
    const document = JSON.stringify(
      part.map((row) => ({
        row_number: row.rowNumber,
        outcome: row.outcome,
        problems: row.problems,
        problem_values: row.problemValues,
        cells: row.cells,
        source_cells: row.outcome === 'REJECT' ? row.source : null,
        changes: row.changes,
        member_id: row.memberId,
        duplicate_of: row.duplicateOf,
      })),
    );
    await db.execute(sql`
      insert into ${rosterImportRows} (org_id, import_id, row_number, outcome, problems, problem_values, cells,
        source_cells, changes, member_id, duplicate_of)
      select ${orgId}::uuid, ${importId}::uuid, v.row_number, v.outcome, v.problems, v.problem_values, v.cells,
        v.source_cells, v.changes, v.member_id, v.duplicate_of
      from jsonb_to_recordset(${document}::jsonb) as v(row_number integer, outcome roster_import_outcome,
        problems text[], problem_values text[], cells jsonb, source_cells text[], changes text[], member_id uuid,
        duplicate_of integer)`);
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

/** Every row of an import as the preview decided it: what the apply checks the roster still agrees with. */
export async function findAllImportRows(
  db: Db,
  orgId: string,
  importId: string,
): Promise<Pick<RosterImportRow, 'rowNumber' | 'cells' | 'outcome' | 'memberId' | 'changes'>[]> {
  return db
    .select({
      rowNumber: rosterImportRows.rowNumber,
      cells: rosterImportRows.cells,
      outcome: rosterImportRows.outcome,
      memberId: rosterImportRows.memberId,
      changes: rosterImportRows.changes,
    })
    .from(rosterImportRows)
    .where(and(eq(rosterImportRows.orgId, orgId), eq(rosterImportRows.importId, importId)))
    .orderBy(asc(rosterImportRows.rowNumber));
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

/**
 * Written apart from the apply's transaction (PostgreSQL), so other requests
 * and instances see how far it is; only believed while the apply's lock is
 * held (`applyIsRunning`), so an apply that died shows no progress.
 */
export async function recordProgress(db: Db, orgId: string, id: string, done: number): Promise<void> {
  await db
    .update(rosterImports)
    .set({ progressDone: done, progressAt: sql`now()` })
    .where(and(eq(rosterImports.orgId, orgId), eq(rosterImports.id, id)));
}

const applyLockKey = (id: string) => sql`hashtextextended(${`qicai.roster_import_apply:${id}`}, 0)`;

/**
 * One apply of an import at a time, across instances: a lock held by the
 * apply's transaction, so it ends with it — committed, rolled back, or its
 * connection or process gone — and never outlives a dead apply.
 */
export async function tryLockApply(db: Db, id: string): Promise<boolean> {
  const [row] = await queryRows<{ locked: boolean }>(
    db,
    sql`select pg_try_advisory_xact_lock(${applyLockKey(id)}) as locked`,
  );
  return row?.locked === true;
}

/** Whether some transaction (of any instance) is applying the import now: its lock is held. */
export async function applyIsRunning(db: Db, id: string): Promise<boolean> {
  // A bigint advisory key shows in pg_locks as its high (classid) and low (objid) 32 bits, objsubid 1.
  const [row] = await queryRows<{ held: boolean }>(
    db,
    sql`select exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.granted and l.objsubid = 1
      and l.database = (select oid from pg_database where datname = current_database())
      and ((l.classid::int8 << 32) | l.objid::int8) = ${applyLockKey(id)}) as held`,
  );
  return row?.held === true;
}

/** Which of these members were changed (by an import or an edit) after the import was previewed. */
export async function membersChangedSincePreview(
  db: Db,
  orgId: string,
  importId: string,
  memberIds: string[],
): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set();
  // Compared in SQL: both times are the database's, to the microsecond.
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select m.id from ${members} as m
      where m.org_id = ${orgId} and m.id = any(${sql.param(memberIds)}::uuid[])
        and m.updated_at > (select i.created_at from ${rosterImports} as i where i.org_id = ${orgId} and i.id = ${importId})`,
  );
  return new Set(rows.map((row) => row.id));
}

/** Serialises imports of one organization: the second waits and then sees the first's members. */
export async function lockRosterImports(db: Db, orgId: string): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`qicai.roster_import:${orgId}`}, 0))`);
}

/**
 * The members' search grams are written after this transaction commits
 * (migration 0026: the members go to member_search_backlog instead).
 */
export async function deferSearchGrams(db: Db): Promise<void> {
  await db.execute(sql`select set_config('app.defer_search_grams', 'on', true)`);
}

/**
 * Plans this transaction's statements — and the foreign-key checks and triggers they fire — for
 * any organization, not for the values at hand. An import into a new organization writes tens of
 * thousands of rows the statistics have never seen: planned for the value, `org_id = <the new
 * organization>` is estimated at one row, and each membership's foreign-key check on its member
 * (`select 1 from members where org_id = $1 and id = $2`) then took an index on `org_id` alone,
 * scanning every member written so far, once per membership (quadratic: the first membership
 * insert of a 31,172-row roster ran past the statement timeout). Planned generically, the lookup
 * uses the primary key. Every transaction asks for plans by value (APPLICATION_SESSION,
 * db/src/client.ts: right for reading one organization's lists); the apply's, not.
 */
export async function planForBulkWrites(db: Db): Promise<void> {
  await db.execute(sql`select set_config('plan_cache_mode', 'force_generic_plan', true)`);
}

/**
 * Brings the planner's statistics of the roster's tables up to date after a large import, so that
 * the next requests (the teams' member counts, the roster list) are planned for the organization's
 * real size, not as if it had none (PostgreSQL's autovacuum would analyze them within a minute or
 * so; PGlite has no autovacuum). Outside any tenant transaction: run as the database's owner (the
 * application role may not analyze); where the connection is not the owner, PostgreSQL skips the
 * tables with a warning.
 */
export async function analyzeRosterTables(db: Db): Promise<void> {
  await asConnectionRole(db, (tx) => tx.execute(sql`analyze ${members}, ${teamMemberships}`));
}

/**
 * Maintenance, not a tenant's request: runs as the role the connection signed in as (the
 * tables' owner; PGlite's superuser), not as the application role every request runs as.
 */
function asConnectionRole<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local role none`);
    return work(tx);
  });
}

/**
 * How a row's values become a member's columns: THE mapping for inserts and
 * updates. `field` is the roster column that decides whether an update writes
 * it (a field the file has no column for keeps the member's value). A new
 * imported field is one entry here.
 */
interface ImportedColumn {
  column: string;
  /** Its SQL type, as the rows' JSON document is read (jsonb_to_recordset). */
  type: string;
  field: RosterField;
  value(values: RowValues): unknown;
  /** SQL for a row's null on insert (an update keeps the member's value when `keepWhenNull`). */
  insertDefault?: string;
  /** A null in the row means "the file says nothing": an update keeps the member's value. */
  keepWhenNull?: boolean;
  /** The update's own assignment, where "given" is not "has a column". */
  assign?: string;
  /** Carried in the document for another column's `assign`, never written itself. */
  documentOnly?: boolean;
  /** The key rows are matched by: inserted, never updated. */
  key?: boolean;
}

const IMPORTED_COLUMNS: ImportedColumn[] = [
  { column: 'display_name', type: 'text', field: 'name', value: (row) => row.displayName },
  { column: 'phone', type: 'text', field: 'phone', value: (row) => row.phone, key: true },
  { column: 'gender', type: 'gender', field: 'gender', value: (row) => row.gender ?? null },
  {
    column: 'political_status',
    type: 'political_status',
    field: 'politicalStatus',
    value: (row) => row.politicalStatus ?? null,
    insertDefault: `'MASSES'`,
    keepWhenNull: true,
  },
  {
    column: 'party_stage',
    type: 'party_stage',
    field: 'partyStage',
    value: (row) => row.partyStage ?? null,
    // Set by a stage column and cleared by a party member's status: the row says whether it sets it.
    assign: 'case when v.party_stage_given then v.party_stage else m.party_stage end',
  },
  {
    column: 'party_stage_given',
    type: 'boolean',
    field: 'partyStage',
    value: (row) => row.partyStage !== undefined,
    documentOnly: true,
  },
  { column: 'work_unit', type: 'text', field: 'workUnit', value: (row) => row.workUnit ?? null },
  { column: 'skills', type: 'text[]', field: 'skills', value: (row) => row.skills ?? [] },
  // An empty join date keeps the member's; a new member without one joins on the import's day (the caller's).
  { column: 'joined_on', type: 'date', field: 'joinDate', value: (row) => row.joinedOn ?? null, keepWhenNull: true },
  { column: 'email', type: 'text', field: 'email', value: (row) => row.email ?? null },
];

const WRITTEN_COLUMNS = IMPORTED_COLUMNS.filter((column) => !column.documentOnly);

/** Rows as one JSON document: one parameter per statement, whatever the number of rows. */
function rowsDocument(rows: { id?: string; values: RowValues }[]): string {
  return JSON.stringify(
    rows.map(({ id, values }) => ({
      ...(id && { id }),
      ...Object.fromEntries(IMPORTED_COLUMNS.map((column) => [column.column, column.value(values)])),
    })),
  );
}

const recordsetColumns = (withId: boolean) =>
  sql.raw(
    [...(withId ? ['id uuid'] : []), ...IMPORTED_COLUMNS.map((column) => `${column.column} ${column.type}`)].join(', '),
  );

/** Adds new members in one statement; returns their ids by phone. */
export async function insertImportedMembers(
  db: Db,
  orgId: string,
  rows: RowValues[],
  defaults: { joinedOn: string },
): Promise<Map<string, string>> {
  if (rows.length === 0) return new Map();
  const names = sql.raw(WRITTEN_COLUMNS.map((column) => column.column).join(', '));
  const values = sql.raw(
    WRITTEN_COLUMNS.map((column) =>
      column.insertDefault ? `coalesce(v.${column.column}, ${column.insertDefault})` : `v.${column.column}`,
    ).join(', '),
  );
  const document = rowsDocument(
    rows.map((row) => ({ values: { ...row, joinedOn: row.joinedOn ?? defaults.joinedOn } })),
  );
  const inserted = await queryRows<{ id: string; phone: string }>(
    db,
    sql`insert into ${members} (org_id, role, ${names})
      select ${orgId}::uuid, 'MEMBER', ${values}
      from jsonb_to_recordset(${document}::jsonb) as v(${recordsetColumns(false)})
      returning id, phone`,
  );
  return new Map(inserted.map((row) => [row.phone, row.id]));
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
  const assignments = sql.raw(
    WRITTEN_COLUMNS.filter((column) => !column.key)
      .map(({ column, field, keepWhenNull, assign }) => {
        if (assign) return `${column} = ${assign}`;
        if (!columns.has(field)) return `${column} = m.${column}`;
        return keepWhenNull ? `${column} = coalesce(v.${column}, m.${column})` : `${column} = v.${column}`;
      })
      .join(', '),
  );
  await db.execute(sql`
    update ${members} as m set ${assignments}, updated_at = now()
    from jsonb_to_recordset(${rowsDocument(rows.map(({ memberId, values }) => ({ id: memberId, values })))}::jsonb)
      as v(${recordsetColumns(true)})
    where m.org_id = ${orgId} and m.id = v.id`);
}

/** Adds team memberships in one statement (those that exist already stay). */
export async function insertMemberships(db: Db, orgId: string, pairs: { memberId: string; teamId: string }[]) {
  if (pairs.length === 0) return;
  await db.execute(sql`
    insert into ${teamMemberships} (org_id, team_id, member_id)
    select ${orgId}::uuid, v.team_id, v.member_id
    from jsonb_to_recordset(${JSON.stringify(pairs.map((pair) => ({ team_id: pair.teamId, member_id: pair.memberId })))}::jsonb)
      as v(team_id uuid, member_id uuid)
    on conflict do nothing`);
}

/**
 * Gives each member exactly these teams, besides the teams they lead (kept
 * whatever the file says): two statements for any number of members.
 */
export async function setTeamsOfImportedMembers(
  db: Db,
  orgId: string,
  wanted: { memberId: string; teamIds: string[] }[],
): Promise<void> {
  if (wanted.length === 0) return;
  const document = JSON.stringify(wanted.map((entry) => ({ member_id: entry.memberId, team_ids: entry.teamIds })));
  await db.execute(sql`
    delete from ${teamMemberships} as t
    using jsonb_to_recordset(${document}::jsonb) as v(member_id uuid, team_ids uuid[])
    where t.org_id = ${orgId} and t.member_id = v.member_id and not t.is_lead and t.team_id <> all(v.team_ids)`);
  await db.execute(sql`
    insert into ${teamMemberships} (org_id, team_id, member_id)
    select ${orgId}::uuid, unnest(v.team_ids), v.member_id
    from jsonb_to_recordset(${document}::jsonb) as v(member_id uuid, team_ids uuid[])
    on conflict do nothing`);
}

/**
 * Writes the search grams of up to `limit` members of the backlog (migration
 * 0026) and takes them off it; returns how many. Members another drain holds
 * are skipped.
 */
export async function drainSearchBacklog(db: Db, orgId: string, limit: number): Promise<number> {
  const batch = await queryRows<{ member_id: string }>(
    db,
    sql`select member_id from ${memberSearchBacklog} where org_id = ${orgId}
      order by member_id limit ${limit} for update skip locked`,
  );
  if (batch.length === 0) return 0;
  const ids = batch.map((row) => row.member_id);
  await db.execute(
    sql`delete from ${memberSearchGrams} where org_id = ${orgId} and member_id = any(${sql.param(ids)}::uuid[])`,
  );
  // Joined from the ids, so each member is found by its key (a plain `= any` may scan the organization).
  await db.execute(sql`
    insert into ${memberSearchGrams} (org_id, gram, member_id)
    select m.org_id, gram, m.id
    from unnest(${sql.param(ids)}::uuid[]) as b(id)
    join ${members} as m on m.org_id = ${orgId} and m.id = b.id
    cross join lateral member_search_grams_of(m.search_text) as gram
    order by 1, 2, 3`);
  await db.execute(
    sql`delete from ${memberSearchBacklog} where org_id = ${orgId} and member_id = any(${sql.param(ids)}::uuid[])`,
  );
  return ids.length;
}

/*
 * The undo of an apply in committed batches (PGlite): each batch records, in its own transaction,
 * what it changes (roster_import_undo); the completed apply forgets it; a failed or interrupted
 * one is undone from it, a batch per transaction too.
 */

/** Records the members a batch created. */
export async function recordCreatedForUndo(db: Db, orgId: string, importId: string, memberIds: string[]) {
  if (memberIds.length === 0) return;
  await db.execute(sql`
    insert into ${rosterImportUndo} (org_id, import_id, member_id)
    select ${orgId}::uuid, ${importId}::uuid, unnest(${sql.param(memberIds)}::uuid[])
    on conflict do nothing`);
}

/**
 * Records the members a batch is about to update as they are (their columns and the teams they
 * do not lead); returns those changed since the preview (by another import or an edit), which the
 * apply must not overwrite.
 */
export async function recordUpdatedForUndo(
  db: Db,
  orgId: string,
  importId: string,
  memberIds: string[],
): Promise<Set<string>> {
  if (memberIds.length === 0) return new Set();
  const changed = await membersChangedSincePreview(db, orgId, importId, memberIds);
  if (changed.size > 0) return changed;
  await db.execute(sql`
    insert into ${rosterImportUndo} (org_id, import_id, member_id, previous)
    select m.org_id, ${importId}::uuid, m.id, to_jsonb(m) || jsonb_build_object('memberships', coalesce((
      select jsonb_agg(to_jsonb(t)) from ${teamMemberships} as t
      where t.org_id = m.org_id and t.member_id = m.id and not t.is_lead), '[]'::jsonb))
    from ${members} as m
    where m.org_id = ${orgId} and m.id = any(${sql.param(memberIds)}::uuid[])
    on conflict do nothing`);
  return new Set();
}

/** Whether an apply left something to undo (it failed, or its process died, half-way). */
export async function hasUndo(db: Db, orgId: string, importId: string): Promise<boolean> {
  const [row] = await queryRows<{ found: boolean }>(
    db,
    sql`select exists (select 1 from ${rosterImportUndo} where org_id = ${orgId} and import_id = ${importId}) as found`,
  );
  return row?.found === true;
}

/** The imports some apply left something to undo of, in every organization (run as the owner, at start). */
export async function importsWithUndo(db: Db): Promise<{ orgId: string; importId: string }[]> {
  const rows = await asConnectionRole(db, (tx) =>
    queryRows<{ org_id: string; import_id: string }>(
      tx,
      sql`select distinct org_id, import_id from ${rosterImportUndo}`,
    ),
  );
  return rows.map((row) => ({ orgId: row.org_id, importId: row.import_id }));
}

/**
 * Undoes up to `limit` of what an apply changed: deletes the members it created (their team
 * memberships and search grams go with them), gives the members it updated back their columns
 * and teams, and forgets those; returns how many it undid (0: nothing is left).
 */
export async function undoBatch(db: Db, orgId: string, importId: string, limit: number): Promise<number> {
  const batch = await queryRows<{ member_id: string }>(
    db,
    sql`select member_id from ${rosterImportUndo} where org_id = ${orgId} and import_id = ${importId}
      order by member_id limit ${limit}`,
  );
  if (batch.length === 0) return 0;
  const ids = sql.param(batch.map((row) => row.member_id));
  const these = sql`u.org_id = ${orgId} and u.import_id = ${importId} and u.member_id = any(${ids}::uuid[])`;
  await db.execute(sql`
    delete from ${members} as m using ${rosterImportUndo} as u
    where ${these} and u.previous is null and m.org_id = u.org_id and m.id = u.member_id`);
  const restored = sql.raw(
    [...WRITTEN_COLUMNS.filter((column) => !column.key).map(({ column }) => column), 'updated_at']
      .map((column) => `${column} = p.${column}`)
      .join(', '),
  );
  await db.execute(sql`
    update ${members} as m set ${restored}
    from ${rosterImportUndo} as u cross join lateral jsonb_populate_record(null::members, u.previous) as p
    where ${these} and u.previous is not null and m.org_id = u.org_id and m.id = u.member_id`);
  await db.execute(sql`
    delete from ${teamMemberships} as t using ${rosterImportUndo} as u
    where ${these} and u.previous is not null and t.org_id = u.org_id and t.member_id = u.member_id and not t.is_lead
      and t.team_id not in (select p.team_id from jsonb_populate_recordset(null::team_memberships, u.previous -> 'memberships') as p)`);
  // The memberships the apply removed come back as they were (since when, too).
  await db.execute(sql`
    insert into ${teamMemberships}
    select p.*
    from ${rosterImportUndo} as u cross join lateral jsonb_populate_recordset(null::team_memberships, u.previous -> 'memberships') as p
    where ${these} and u.previous is not null
    on conflict do nothing`);
  await db.execute(sql`delete from ${rosterImportUndo} as u where ${these}`);
  return batch.length;
}

/** Forgets what a completed apply changed (it stands). */
export async function forgetUndo(db: Db, orgId: string, importId: string): Promise<void> {
  await db
    .delete(rosterImportUndo)
    .where(and(eq(rosterImportUndo.orgId, orgId), eq(rosterImportUndo.importId, importId)));
}
