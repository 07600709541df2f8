/**
 * Whole-association exports (data portability): an admin asks for every
 * table of the association as one archive; it is made in the background,
 * with its progress here, and kept for its admins to download.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { members } from './people.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

/** PostgreSQL's bytea as a Buffer (postgres.js and PGlite both give bytes). */
const bytes = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const organizationExports = pgTable(
  'organization_exports',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    requestedByMemberId: uuid('requested_by_member_id').notNull(),
    /** Children's personal fields are in it: asked for with an explicit confirmation, audited per child. */
    includesChildren: boolean('includes_children').notNull(),
    /** RUNNING, then READY (the archive is here) or FAILED. */
    status: text('status', { enum: ['RUNNING', 'READY', 'FAILED'] })
      .notNull()
      .default('RUNNING'),
    tablesDone: integer('tables_done').notNull().default(0),
    tablesTotal: integer('tables_total').notNull(),
    rowCount: integer('row_count').notNull().default(0),
    archive: bytes('archive'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Last progress: a RUNNING export that stops moving was cut short (the process ended). */
    progressAt: timestamp('progress_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.requestedByMemberId], foreignColumns: [members.orgId, members.id] }),
    index('organization_exports_recent_idx').on(t.orgId, t.createdAt),
    check('organization_exports_archive', sql`(${t.status} = 'READY') = (${t.archive} is not null)`),
    tenantIsolation(),
  ],
).enableRLS();

export type OrganizationExport = typeof organizationExports.$inferSelect;
