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
  customType,
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
  /**
   * The association's seal (公章) the certificate was issued under, and the
   * signing person's title: the seal by id, so a later seal or its removal
   * does not change a certificate already printed. Absent: issued unsealed.
   */
  seal?: { id: string; signerTitle: string | null };
}

/** PostgreSQL's bytea as a Buffer (postgres.js and PGlite both give bytes). */
const bytes = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * The association's seal (公章) as certificates carry it: a PNG with
 * transparency an admin uploaded, and the title of the person who signs
 * (e.g. 会长). The current one has no `removed_at`; replaced or removed seals
 * stay, because certificates issued under them still print them.
 */
export const certificateSeals = pgTable(
  'certificate_seals',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    png: bytes('png').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    signerTitle: text('signer_title'),
    uploadedByMemberId: uuid('uploaded_by_member_id').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.uploadedByMemberId], foreignColumns: [members.orgId, members.id] }),
    // One current seal per association.
    uniqueIndex('certificate_seals_current_key')
      .on(t.orgId)
      .where(sql`${t.removedAt} is null`),
    check('certificate_seals_size', sql`octet_length(${t.png}) <= 524288`),
    tenantIsolation(),
  ],
).enableRLS();

export type CertificateSeal = typeof certificateSeals.$inferSelect;

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
