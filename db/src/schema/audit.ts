/**
 * The audit log: append-only. The application role may insert and read, never
 * update or delete (revoked in migration 0002, and a trigger refuses it for
 * every role).
 */
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations, tenantIsolation } from './tenancy.ts';

export const auditLog = pgTable(
  'audit_log',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** No foreign key: the entry outlives the account. */
    actorAccountId: uuid('actor_account_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    index('audit_log_subject_idx').on(t.orgId, t.subjectType, t.subjectId),
    tenantIsolation(),
  ],
).enableRLS();

export type AuditEntry = typeof auditLog.$inferSelect;
