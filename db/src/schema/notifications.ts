/**
 * Notifications: what a member is told (an in-app list with unread state) and
 * the outbox of deliveries (SMS or email) a worker sends, retrying failures.
 * A change writes its notifications in its own transaction, so none is lost;
 * delivering them never holds the change up.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { activities } from './activities.ts';
import { members } from './people.ts';
import { organizations, tenantIsolation } from './tenancy.ts';

export const notificationKindEnum = pgEnum('notification_kind', [
  'ACTIVITY_CANCELLED',
  'ACTIVITY_MOVED',
  'WAITLIST_PROMOTED',
  'ACTIVITY_REMINDER',
  'SPOT_CHECK_REQUESTED',
]);
export const deliveryChannelEnum = pgEnum('delivery_channel', ['SMS', 'EMAIL']);

/** What a notification says, kept as it was when it was made (the activity may change later). */
export interface NotificationDetail {
  title: string;
  startsAt: string;
  endsAt: string;
  placeName: string;
  /** ACTIVITY_MOVED: where it was before. */
  previousStartsAt?: string;
  previousEndsAt?: string;
  /** ACTIVITY_CANCELLED: the lead's reason, if given. */
  reason?: string;
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
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.id] }),
    foreignKey({ columns: [t.orgId, t.memberId], foreignColumns: [members.orgId, members.id] }).onDelete('cascade'),
    foreignKey({ columns: [t.orgId, t.activityId], foreignColumns: [activities.orgId, activities.id] }),
    index('notifications_member_idx').on(t.orgId, t.memberId, t.createdAt.desc(), t.id),
    index('notifications_unread_idx')
      .on(t.orgId, t.memberId)
      .where(sql`${t.readAt} is null`),
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

export type Notification = typeof notifications.$inferSelect;
export type NotificationKind = (typeof notificationKindEnum.enumValues)[number];
export type NotificationDelivery = typeof notificationDeliveries.$inferSelect;
export type DeliveryChannel = (typeof deliveryChannelEnum.enumValues)[number];
