/**
 * Notifications: what a member is told (an in-app list with unread state) and
 * the outbox of deliveries (SMS or email) a worker sends, retrying failures.
 * A change writes its notifications in its own transaction, so none is lost;
 * delivering them never holds the change up.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { activities } from './activities.ts';
import { members } from './people.ts';
import { teams } from './teams.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

export const notificationKindEnum = pgEnum('notification_kind', [
  'ACTIVITY_CANCELLED',
  'ACTIVITY_MOVED',
  'WAITLIST_PROMOTED',
  'ACTIVITY_REMINDER',
  /** Two hours before the start (ACTIVITY_REMINDER is the day before). */
  'ACTIVITY_STARTING_SOON',
  'HOURS_APPROVED',
  'HOURS_DECLINED',
  /** A correction the member asked for was accepted or refused (`detail.accepted`). */
  'HOURS_CORRECTION_DECIDED',
  /** To the person who asked to join: approved or declined (`detail.accepted`). */
  'JOIN_REQUEST_DECIDED',
  /** To the leads of the team a request for help (群众需求) was assigned to. */
  'REQUEST_ASSIGNED',
  /** To a sponsor who is a member: proposed for, confirmed with, or no longer sponsoring a child. */
  'SPONSORSHIP_PROPOSED',
  'SPONSORSHIP_CONFIRMED',
  'SPONSORSHIP_ENDED',
  /** 随机打卡: a spot check asks the member to check in (stations). */
  'SPOT_CHECK_REQUESTED',
]);
export const deliveryChannelEnum = pgEnum('delivery_channel', ['SMS', 'EMAIL']);
/** Where a member may be told: in the app's list, or delivered (the outbox's channels). */
export const notificationChannelEnum = pgEnum('notification_channel', ['IN_APP', 'SMS', 'EMAIL']);

/**
 * What a notification says, kept as it was when it was made (the activity may change later).
 * `title` is what it is about: the activity (or the service record's activity name), the
 * organization for a join request, the request's place, or the sponsor's name — never a child's
 * personal data, which is audited on every read (sponsorship).
 */
export interface NotificationDetail {
  title: string;
  /** An activity's (or a service record's) times and place. */
  startsAt?: string;
  endsAt?: string;
  placeName?: string;
  /** ACTIVITY_MOVED: when and where it was before. */
  previousStartsAt?: string;
  previousEndsAt?: string;
  previousPlaceName?: string;
  /** ACTIVITY_CANCELLED, HOURS_DECLINED, HOURS_CORRECTION_DECIDED (refused), SPONSORSHIP_ENDED: why. */
  reason?: string;
  /** HOURS_*: the service minutes. */
  minutes?: number;
  /** *_DECIDED: accepted (approved) or not. */
  accepted?: boolean;
}

export const notifications = pgTable(
  'notifications',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    memberId: uuid('member_id').notNull(),
    kind: notificationKindEnum('kind').notNull(),
    activityId: uuid('activity_id'),
    detail: jsonb('detail').$type<NotificationDetail>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
    /** False when the member turned the app's list off for this kind: kept only for its deliveries. */
    inApp: boolean('in_app').notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.activityId], foreignColumns: [activities.orgId, activities.id] }),
    index('notifications_member_idx')
      .on(t.orgId, t.memberId, t.createdAt.desc(), t.id)
      .where(sql`${t.inApp}`),
    index('notifications_unread_idx')
      .on(t.orgId, t.memberId)
      .where(sql`${t.readAt} is null and ${t.inApp}`),
    tenantIsolation(),
  ],
).enableRLS();

/** The outbox: one row per notification to send outside the app. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    notificationId: uuid('notification_id').notNull(),
    channel: deliveryChannelEnum('channel').notNull(),
    /** The phone number or email address, as it was when the notification was made. */
    recipient: text('recipient').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Given up after too many attempts. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({
      columns: [t.orgId, t.notificationId],
      foreignColumns: [notifications.orgId, notifications.id],
    }).onDelete('cascade'),
    index('notification_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} is null and ${t.failedAt} is null`),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * The kinds a member turned off, per channel: every kind reaches every channel the member can be
 * reached on unless a row here says otherwise (so a new kind is on for everyone).
 */
export const notificationOptOuts = pgTable(
  'notification_opt_outs',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').notNull(),
    kind: notificationKindEnum('kind').notNull(),
    channel: notificationChannelEnum('channel').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.memberId, t.kind, t.channel] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    tenantIsolation(),
  ],
).enableRLS();

/**
 * Calendar feeds (iCalendar): a member's own sign-ups, or a team's published activities, at a secret
 * URL a calendar app polls without signing in. Only the token's SHA-256 is kept; revoking ends it.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull().defaultRandom(),
    /** Whose feed it is: theirs to see and revoke. */
    memberId: uuid('member_id').notNull(),
    /** A team's feed; null: the member's own sign-ups. */
    teamId: uuid('team_id'),
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.teamId], foreignColumns: [teams.orgId, teams.id] }).onDelete('cascade'),
    unique('calendar_feeds_org_hash_unique').on(t.orgId, t.tokenHash),
    index('calendar_feeds_member_idx').on(t.orgId, t.memberId),
    check('calendar_feeds_hash_format', sql`${t.tokenHash} ~ '^[0-9a-f]{64}$'`),
    tenantIsolation(),
  ],
).enableRLS();

export type Notification = typeof notifications.$inferSelect;
export type NotificationKind = (typeof notificationKindEnum.enumValues)[number];
export type NotificationDelivery = typeof notificationDeliveries.$inferSelect;
export type DeliveryChannel = (typeof deliveryChannelEnum.enumValues)[number];
export type NotificationChannel = (typeof notificationChannelEnum.enumValues)[number];
export type CalendarFeed = typeof calendarFeeds.$inferSelect;
