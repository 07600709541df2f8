/**
 * Joining an organization and keeping its roster: invitations (by phone or
 * email, a single-use link), requests to join from the public page, and
 * roster imports from Excel or CSV with their per-row preview.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { accounts, members } from './people.ts';
import { appRole, organizations, tenantIsolation } from './tenancy.ts';

export const invitations = pgTable(
  'invitations',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** SHA-256 of the token in the link: the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    phone: text('phone'),
    email: text('email'),
    /** How the admin named the person; the member takes it if they are new to the roster. */
    displayName: text('display_name'),
    /** The roster entry the invitation is for (a member without an account), if any. */
    memberId: uuid('member_id'),
    invitedByMemberId: uuid('invited_by_member_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedAccountId: uuid('accepted_account_id').references(() => accounts.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('invitations_org_token_unique').on(t.orgId, t.tokenHash),
    // Accepting looks the invitation up by its token alone, before the organization is known.
    index('invitations_token_idx').on(t.tokenHash),
    index('invitations_org_created_idx').on(t.orgId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.invitedByMemberId], foreignColumns: [members.orgId, members.id] }),
    check('invitations_phone_or_email', sql`${t.phone} is not null or ${t.email} is not null`),
    tenantIsolation(),
    // Whoever holds the link may read that one invitation: the transaction names its token's hash.
    pgPolicy('invitation_by_token', {
      for: 'select',
      to: appRole,
      using: sql`token_hash = nullif(current_setting('app.invitation_token_hash', true), '')`,
    }),
  ],
).enableRLS();

export const joinRequestStatusEnum = pgEnum('join_request_status', ['PENDING', 'APPROVED', 'DECLINED']);

/** A signed-in person asks, from the organization's public page, to become a member. */
export const joinRequests = pgTable(
  'join_requests',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    message: text('message').notNull().default(''),
    status: joinRequestStatusEnum('status').notNull().default('PENDING'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedByMemberId: uuid('decided_by_member_id'),
    /** The member the approval made (or linked). */
    memberId: uuid('member_id'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    // One open request per person and organization.
    uniqueIndex('join_requests_one_pending')
      .on(t.orgId, t.accountId)
      .where(sql`status = 'PENDING'`),
    index('join_requests_org_status_idx').on(t.orgId, t.status, t.createdAt),
    foreignKey({ columns: [t.orgId, t.decidedByMemberId], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    check('join_requests_message_length', sql`char_length(${t.message}) <= 500`),
    tenantIsolation(),
  ],
).enableRLS();

/** READY: previewed, nothing written; APPLYING: the one transaction is running; APPLIED: committed; FAILED: rolled back. */
export const rosterImportStatusEnum = pgEnum('roster_import_status', ['READY', 'APPLYING', 'APPLIED', 'FAILED']);
export const rosterImportOutcomeEnum = pgEnum('roster_import_outcome', ['CREATE', 'UPDATE', 'UNCHANGED', 'REJECT']);

export const rosterImports = pgTable(
  'roster_imports',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    createdByMemberId: uuid('created_by_member_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    fileName: text('file_name').notNull(),
    /** xlsx, or csv with the encoding it was read in (utf-8, gbk). */
    format: text('format').notNull(),
    /** The roster fields the file has columns for; only those are written. */
    columns: text('columns').array().notNull(),
    /** The spreadsheet row taken as the header (title rows above it are skipped). */
    headerRow: integer('header_row').notNull().default(1),
    /** The header as the file has it, column by column (for the rejected rows' file). */
    headerCells: text('header_cells')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Header texts of the columns not imported (序号, 备注, 身份证号, …). */
    ignoredColumns: text('ignored_columns')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The file's ID-number column (身份证号), recognised and deliberately not imported; its cells are not kept. */
    idNumberColumn: text('id_number_column'),
    status: rosterImportStatusEnum('status').notNull().default('READY'),
    totalRows: integer('total_rows').notNull(),
    createCount: integer('create_count').notNull(),
    updateCount: integer('update_count').notNull(),
    unchangedCount: integer('unchanged_count').notNull(),
    rejectCount: integer('reject_count').notNull(),
    /** Rows written so far while APPLYING (committed apart from the import's own transaction). */
    progressDone: integer('progress_done').notNull().default(0),
    progressAt: timestamp('progress_at', { withTimezone: true }),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    failureCode: text('failure_code'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('roster_imports_org_created_idx').on(t.orgId, t.createdAt),
    foreignKey({ columns: [t.orgId, t.createdByMemberId], foreignColumns: [members.orgId, members.id] }),
    tenantIsolation(),
  ],
).enableRLS();

/** One row of an import's file, as read and as it will be (or was) applied. */
export const rosterImportRows = pgTable(
  'roster_import_rows',
  {
    orgId: uuid('org_id').notNull(),
    importId: uuid('import_id').notNull(),
    /** The row's number in the spreadsheet (the header is row 1). */
    rowNumber: integer('row_number').notNull(),
    outcome: rosterImportOutcomeEnum('outcome').notNull(),
    /** Why a row is rejected: INVALID_PHONE, UNKNOWN_TEAM, DUPLICATE_IN_FILE, … */
    problems: text('problems').array().notNull(),
    /** For each problem, the value that caused it (the cell as written, or the part of it that did not match). */
    problemValues: text('problem_values')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** A rejected row's cells in the file's own columns (ID numbers left out), to give the rows back to fix. */
    sourceCells: text('source_cells').array(),
    /** The cells as they were in the file, by roster field. */
    cells: jsonb('cells').$type<Record<string, string>>().notNull(),
    /** The fields an UPDATE changes. */
    changes: text('changes').array().notNull(),
    /** The member the row matched by phone. */
    memberId: uuid('member_id'),
    /** For a duplicate phone: the row that has it first. */
    duplicateOf: integer('duplicate_of'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.importId, t.rowNumber] }),
    foreignKey({ columns: [t.orgId, t.importId], foreignColumns: [rosterImports.orgId, rosterImports.id] }).onDelete(
      'cascade',
    ),
    index('roster_import_rows_outcome_idx').on(t.orgId, t.importId, t.outcome, t.rowNumber),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * What an import applied in committed batches (on PGlite, whose one connection the other
 * requests share) has changed so far, to undo it: a member it created (`previous` null), or a
 * member it updated with the columns and teams it had before (`previous`). An apply that fails —
 * or a process that dies — half-way is undone from here; an apply that completes deletes its rows.
 */
export const rosterImportUndo = pgTable(
  'roster_import_undo',
  {
    orgId: uuid('org_id').notNull(),
    importId: uuid('import_id').notNull(),
    memberId: uuid('member_id').notNull(),
    previous: jsonb('previous').$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.importId, t.memberId] }),
    foreignKey({ columns: [t.orgId, t.importId], foreignColumns: [rosterImports.orgId, rosterImports.id] }).onDelete(
      'cascade',
    ),
    tenantIsolation(),
  ],
).enableRLS();

export type Invitation = typeof invitations.$inferSelect;
export type JoinRequest = typeof joinRequests.$inferSelect;
export type JoinRequestStatus = (typeof joinRequestStatusEnum.enumValues)[number];
export type RosterImport = typeof rosterImports.$inferSelect;
export type RosterImportStatus = (typeof rosterImportStatusEnum.enumValues)[number];
export type RosterImportRow = typeof rosterImportRows.$inferSelect;
export type RosterImportOutcome = (typeof rosterImportOutcomeEnum.enumValues)[number];
