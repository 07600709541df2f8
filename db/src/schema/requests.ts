/**
 * Requests from the public (群众需求, "whatever the public needs, volunteers
 * provide"): anyone submits one on an organization's public page without
 * signing in, an admin routes it to a team, the team's leads turn it into
 * work and close it with feedback the requester reads by a tracking code.
 *
 * Row-level security (policies below, and migration requests_rls):
 * - Anyone may add a RECEIVED request (and its first history entry) to the
 *   organization named for the transaction — the public form has no sign-in.
 * - Only the organization's active members read or change requests: the
 *   contact phone and description are the requester's personal data.
 * - The public status page reads through a SECURITY DEFINER function that
 *   returns, for one tracking code, only the public fields; the counts for
 *   the big screen and the home page come from another that returns numbers.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  foreignKey,
  index,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { activities } from './activities.ts';
import { stations } from './stations.ts';
import { teams } from './teams.ts';
import { appRole, organizations } from './tenancy.ts';

/** 居家帮扶 help at home, 医疗健康 health, 环境 environment, 法律 legal, 儿童 children, 老人 elderly, other. */
export const requestCategoryEnum = pgEnum('request_category', [
  'HOME_HELP',
  'HEALTH',
  'ENVIRONMENT',
  'LEGAL',
  'CHILDREN',
  'ELDERLY',
  'OTHER',
]);
export const REQUEST_CATEGORIES = requestCategoryEnum.enumValues;

/** RECEIVED → ASSIGNED (to a team) → IN_PROGRESS (e.g. an activity) → RESOLVED; or DECLINED with a reason. */
export const requestStatusEnum = pgEnum('request_status', [
  'RECEIVED',
  'ASSIGNED',
  'IN_PROGRESS',
  'RESOLVED',
  'DECLINED',
]);
export const REQUEST_STATUSES = requestStatusEnum.enumValues;

/** The viewer is an active member of the organization set for the transaction. */
const viewerIsMember = sql`exists (select 1 from members m where m.org_id = app_current_org()
  and m.account_id = app_current_account() and m.active)`;

export const helpRequests = pgTable(
  'requests',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** What the requester types on the status page: random, unique in the organization. */
    trackingCode: text('tracking_code').notNull(),
    category: requestCategoryEnum('category').notNull(),
    place: text('place').notNull(),
    description: text('description').notNull(),
    /** Mainland mobile, 11 digits. */
    contactPhone: text('contact_phone').notNull(),
    /** The requester agreed to be contacted (同意联系); nothing is stored without it. */
    consentToContact: boolean('consent_to_contact').notNull(),
    status: requestStatusEnum('status').notNull().default('RECEIVED'),
    teamId: uuid('team_id'),
    dueOn: date('due_on'),
    declineReason: text('decline_reason'),
    /** What the requester reads on the status page once it is resolved. */
    feedback: text('feedback'),
    activityId: uuid('activity_id'),
    /** The service station the request names, if any. */
    stationId: uuid('station_id'),
    submittedAt: timestamp('submitted_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When it was resolved or declined. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    unique('requests_org_tracking_code_unique').on(t.orgId, t.trackingCode),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }),
    foreignKey({ columns: [t.orgId, t.activityId], foreignColumns: [activities.orgId, activities.id] }),
    foreignKey({ columns: [t.orgId, t.stationId], foreignColumns: [stations.orgId, stations.id] }),
    index('requests_org_station_idx').on(t.orgId, t.stationId, t.submittedAt),
    index('requests_org_status_idx').on(t.orgId, t.status, t.submittedAt),
    index('requests_org_team_idx').on(t.orgId, t.teamId, t.status),
    check('requests_consent_given', sql`${t.consentToContact}`),
    check('requests_phone_format', sql`${t.contactPhone} ~ '^1[3-9][0-9]{9}$'`),
    check('requests_code_format', sql`${t.trackingCode} ~ '^[0-9A-Z]{10}$'`),
    check(
      'requests_text_length',
      sql`char_length(${t.place}) between 1 and 200 and char_length(${t.description}) between 1 and 2000
        and char_length(coalesce(${t.declineReason}, '')) <= 500 and char_length(coalesce(${t.feedback}, '')) <= 2000`,
    ),
    check('requests_assigned_has_team', sql`${t.status} in ('RECEIVED', 'DECLINED') or ${t.teamId} is not null`),
    check('requests_declined_has_reason', sql`${t.status} <> 'DECLINED' or ${t.declineReason} is not null`),
    check('requests_resolved_has_feedback', sql`${t.status} <> 'RESOLVED' or ${t.feedback} is not null`),
    pgPolicy('requests_submit', {
      for: 'insert',
      to: appRole,
      withCheck: sql`org_id = app_current_org() and status = 'RECEIVED'`,
    }),
    pgPolicy('requests_members', {
      for: 'all',
      to: appRole,
      using: sql`org_id = app_current_org() and ${viewerIsMember}`,
      withCheck: sql`org_id = app_current_org() and ${viewerIsMember}`,
    }),
  ],
).enableRLS();

/** Every change of a request's state: who (a member; none for the public submission), when, and a note. */
export const requestHistory = pgTable(
  'request_history',
  {
    orgId: uuid('org_id').notNull(),
    id: bigint('id', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    requestId: uuid('request_id').notNull(),
    /** Null for the submission. */
    fromStatus: requestStatusEnum('from_status'),
    toStatus: requestStatusEnum('to_status').notNull(),
    /** Null for the public submission (foreign key in migration requests_rls). */
    actorMemberId: uuid('actor_member_id'),
    /** The team assigned, the decline reason, the feedback… Internal: the status page never shows it. */
    note: text('note'),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.requestId], foreignColumns: [helpRequests.orgId, helpRequests.id] }).onDelete(
      'cascade',
    ),
    index('request_history_request_idx').on(t.orgId, t.requestId, t.at),
    check('request_history_note_length', sql`char_length(coalesce(${t.note}, '')) <= 2000`),
    pgPolicy('request_history_submit', {
      for: 'insert',
      to: appRole,
      withCheck: sql`org_id = app_current_org() and from_status is null and to_status = 'RECEIVED' and actor_member_id is null`,
    }),
    pgPolicy('request_history_members', {
      for: 'all',
      to: appRole,
      using: sql`org_id = app_current_org() and ${viewerIsMember}`,
      withCheck: sql`org_id = app_current_org() and ${viewerIsMember}`,
    }),
  ],
).enableRLS();

/** Public submissions per client address (hashed), so the limit holds across every API instance. */
export const requestSubmissionAttempts = pgTable(
  'request_submission_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** SHA-256 of the client address: the address itself is not kept. */
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('request_submission_attempts_key_at_idx').on(t.key, t.at)],
);

export type HelpRequest = typeof helpRequests.$inferSelect;
export type RequestCategory = (typeof REQUEST_CATEGORIES)[number];
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export type RequestHistoryEntry = typeof requestHistory.$inferSelect;
