/**
 * The big screen (信息中心大屏幕): display tokens let a wall screen show an
 * organization's board without anyone's sign-in. Only the token's SHA-256 is
 * kept; the token itself is shown once, to the admin who makes it.
 */
import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { members } from './people.ts';
import { teams } from './teams.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

export const displayTokens = pgTable(
  'display_tokens',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** Where the screen hangs ("大厅大屏"), so an admin knows which one to revoke. */
    name: text('name').notNull(),
    /** SHA-256 of the token, hex. */
    tokenHash: text('token_hash').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.createdBy], foreignColumns: [members.orgId, members.id] }),
    foreignKey({ columns: [t.orgId, t.revokedBy], foreignColumns: [members.orgId, members.id] }),
    unique('display_tokens_org_hash_unique').on(t.orgId, t.tokenHash),
    index('display_tokens_org_created_idx').on(t.orgId, t.createdAt),
    check('display_tokens_name_length', sql`char_length(${t.name}) between 1 and 60`),
    check('display_tokens_hash_format', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    check('display_tokens_revoked', sql`(${t.revokedAt} is null) = (${t.revokedBy} is null)`),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * A rollup: each team's active members, kept by triggers on team_memberships
 * and members (migration dashboard_rls), so the big screen reads seven rows
 * instead of counting a county roster on every refresh.
 */
export const teamMemberCounts = pgTable(
  'team_member_counts',
  {
    orgId: uuid('org_id').notNull(),
    teamId: uuid('team_id').notNull(),
    activeMembers: integer('active_members').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.teamId] }),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }).onDelete('cascade'),
    check('team_member_counts_not_negative', sql`${t.activeMembers} >= 0`),
    tenantIsolation(),
  ],
).enableRLS();

export type DisplayToken = typeof displayTokens.$inferSelect;
