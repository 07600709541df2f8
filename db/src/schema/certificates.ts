/**
 * Volunteer service certificates (志愿服务证明): what a member printed for a
 * period, kept so that anyone holding the paper can check it against the
 * record (rule 7: free, self-printed, numbered, verifiable by anyone).
 *
 * The snapshot holds exactly what the PDF states, so a certificate prints
 * the same every time and verifies against what it said on the day, even if
 * a record is corrected later (a new certificate then states the new hours).
 *
 * The number is the one unique key here without `org_id`: the public
 * verification page has no organization to narrow the search by, so a number
 * must name one certificate across every organization. That page reads
 * through the `verify_certificate` function of the certificates_rls
 * migration, which returns only the name, hours, period and organization.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { members } from './people.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

/** One line of a certificate's service table. */
export interface CertificateActivitySnapshot {
  name: string;
  /** `YYYY-MM-DD`, the day of service in the organization's time zone. */
  date: string;
  minutes: number;
}

/** What the certificate states, as printed. */
export interface CertificateSnapshot {
  memberName: string;
  organizationName: string;
  activities: CertificateActivitySnapshot[];
  /** `YYYY-MM-DD` in the organization's time zone. */
  issuedOn: string;
}

export const certificates = pgTable(
  'certificates',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** `QC-2026-7KQ2-M9XD-4TPA`: printed, typed and scanned (see api/src/modules/hours/certificate-number.ts). */
    number: text('number').notNull(),
    memberId: uuid('member_id').notNull(),
    periodFrom: date('period_from').notNull(),
    periodTo: date('period_to').notNull(),
    /** Approved service in the period when it was issued. */
    minutes: integer('minutes').notNull(),
    snapshot: jsonb('snapshot').$type<CertificateSnapshot>().notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }),
    uniqueIndex('certificates_number_key').on(t.number),
    // A member's certificates, newest first.
    index('certificates_member_idx').on(t.orgId, t.memberId, t.issuedAt),
    check('certificates_number_format', sql`${t.number} ~ '^QC-[0-9]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$'`),
    check('certificates_period', sql`${t.periodTo} >= ${t.periodFrom}`),
    check('certificates_minutes', sql`${t.minutes} > 0`),
    tenantIsolation(),
  ],
).enableRLS();

export type Certificate = typeof certificates.$inferSelect;
