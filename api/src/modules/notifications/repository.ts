import {
  accounts,
  members,
  notificationDeliveries,
  notificationOptOuts,
  notifications,
  organizations,
  queryRows,
  type Db,
  type DeliveryChannel,
  type Notification,
  type NotificationDetail,
  type NotificationChannel,
  type NotificationKind,
  type Organization,
} from '@qicai/db';
import { and, count, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';

export async function insertNotifications(
  db: Db,
  rows: {
    orgId: string;
    memberId: string;
    kind: NotificationKind;
    activityId: string | null;
    detail: NotificationDetail;
    inApp: boolean;
  }[],
): Promise<Notification[]> {
  if (rows.length === 0) return [];
  return db.insert(notifications).values(rows).returning();
}

/** Where members can be reached outside the app: their account's mobile number, else its email. */
export async function findContactsOfMembers(
  db: Db,
  orgId: string,
  memberIds: string[],
): Promise<{ memberId: string; phone: string | null; email: string | null }[]> {
  if (memberIds.length === 0) return [];
  return db
    .select({ memberId: members.id, phone: accounts.phone, email: accounts.email })
    .from(members)
    .innerJoin(accounts, eq(accounts.id, members.accountId))
    .where(and(eq(members.orgId, orgId), inArray(members.id, memberIds), eq(members.active, true)));
}

/** The channels each of these members turned off for a kind. */
export async function findOptOutsOfKind(
  db: Db,
  orgId: string,
  memberIds: string[],
  kind: NotificationKind,
): Promise<{ memberId: string; channel: NotificationChannel }[]> {
  if (memberIds.length === 0) return [];
  return db
    .select({ memberId: notificationOptOuts.memberId, channel: notificationOptOuts.channel })
    .from(notificationOptOuts)
    .where(
      and(
        eq(notificationOptOuts.orgId, orgId),
        inArray(notificationOptOuts.memberId, memberIds),
        eq(notificationOptOuts.kind, kind),
      ),
    );
}

/** Every kind and channel a member turned off. */
export async function findOptOutsOfMember(
  db: Db,
  orgId: string,
  memberId: string,
): Promise<{ kind: NotificationKind; channel: NotificationChannel }[]> {
  return db
    .select({ kind: notificationOptOuts.kind, channel: notificationOptOuts.channel })
    .from(notificationOptOuts)
    .where(and(eq(notificationOptOuts.orgId, orgId), eq(notificationOptOuts.memberId, memberId)));
}

/** Replaces a member's opt-outs with these. */
export async function replaceOptOutsOfMember(
  db: Db,
  orgId: string,
  memberId: string,
  optOuts: { kind: NotificationKind; channel: NotificationChannel }[],
): Promise<void> {
  await db
    .delete(notificationOptOuts)
    .where(and(eq(notificationOptOuts.orgId, orgId), eq(notificationOptOuts.memberId, memberId)));
  if (optOuts.length === 0) return;
  await db.insert(notificationOptOuts).values(optOuts.map((optOut) => ({ orgId, memberId, ...optOut })));
}

export async function findOrganization(db: Db, orgId: string): Promise<Organization | undefined> {
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, orgId));
  return organization;
}

/** Sets the organization's quiet hours in its settings, or removes them (null). */
export async function updateQuietHours(
  db: Db,
  orgId: string,
  quietHours: { start: string; end: string } | null,
): Promise<Organization> {
  const settings = quietHours
    ? sql`${organizations.settings} || ${JSON.stringify({ quietHours })}::jsonb`
    : sql`${organizations.settings} - 'quietHours'`;
  const [organization] = await db
    .update(organizations)
    .set({ settings, updatedAt: sql`now()` })
    .where(eq(organizations.id, orgId))
    .returning();
  if (!organization) throw new Error('update found no organization');
  return organization;
}

export interface NewDelivery {
  orgId: string;
  notificationId: string;
  channel: DeliveryChannel;
  recipient: string;
  nextAttemptAt: Date;
}

export async function insertDeliveries(db: Db, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(notificationDeliveries).values(rows);
}

/** A page of a member's notifications, newest first, after the cursor (createdAt, id). */
export async function pageNotifications(
  db: Db,
  orgId: string,
  memberId: string,
  limit: number,
  after: { createdAt: string; id: string } | undefined,
): Promise<Notification[]> {
  return db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, orgId),
        eq(notifications.memberId, memberId),
        eq(notifications.inApp, true),
        after
          ? sql`(${notifications.createdAt}, ${notifications.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit);
}

export async function countUnread(db: Db, orgId: string, memberId: string): Promise<number> {
  const [row] = await db
    .select({ unread: count() })
    .from(notifications)
    .where(
      and(
        eq(notifications.orgId, orgId),
        eq(notifications.memberId, memberId),
        eq(notifications.inApp, true),
        isNull(notifications.readAt),
      ),
    );
  return row?.unread ?? 0;
}

/** Marks a member's notifications read (these, or all of them); returns how many changed. */
export async function markRead(db: Db, orgId: string, memberId: string, ids: string[] | null): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(
      and(
        eq(notifications.orgId, orgId),
        eq(notifications.memberId, memberId),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}

export async function findNotificationsByIds(db: Db, orgId: string, ids: string[]): Promise<Notification[]> {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.orgId, orgId), inArray(notifications.id, ids)));
}

/** Organizations with deliveries due by `dueBy` (a function that sees across organizations, ids only). */
export async function findOrganizationsWithDueDeliveries(db: Db, dueBy: Date): Promise<string[]> {
  const rows = await queryRows<{ org_id: string }>(
    db,
    sql`select org_id from organizations_with_due_deliveries(${dueBy.toISOString()}::timestamptz) as org_id`,
  );
  return rows.map((row) => row.org_id);
}

export interface OutboxBacklog {
  /** Deliveries neither sent nor given up. */
  pending: number;
  /** Of those, the ones due by the instant asked. */
  due: number;
  /** When the longest-waiting due delivery became due; null: none is due. */
  oldestDueAt: Date | null;
}

/** The outbox across organizations, in counts (operators' metrics): see migration 0023. */
export async function outboxBacklog(db: Db, dueBy: Date): Promise<OutboxBacklog> {
  const [row] = await queryRows<{ pending: string; due: string; oldest_due: string | null }>(
    db,
    sql`select pending::text, due::text, oldest_due::text from outbox_backlog(${dueBy.toISOString()}::timestamptz)`,
  );
  return {
    pending: Number(row?.pending ?? 0),
    due: Number(row?.due ?? 0),
    oldestDueAt: row?.oldest_due ? new Date(row.oldest_due) : null,
  };
}

export interface DueDelivery {
  id: number;
  channel: DeliveryChannel;
  recipient: string;
  attempts: number;
  notificationId: string;
  kind: NotificationKind;
  detail: NotificationDetail;
  timeZone: string;
  locale: 'zh' | 'en';
  organizationName: string;
  /** The organization's quiet hours: an SMS retry due in them waits for their end. */
  quietHours: { start: string; end: string } | null;
}

/**
 * Claims up to `limit` due deliveries of an organization: locked until the
 * transaction ends, and skipped by any other worker meanwhile (SKIP LOCKED),
 * so several API instances share the outbox without sending anything twice.
 */
export async function claimDueDeliveries(db: Db, orgId: string, dueBy: Date, limit: number): Promise<DueDelivery[]> {
  return db
    .select({
      id: notificationDeliveries.id,
      channel: notificationDeliveries.channel,
      recipient: notificationDeliveries.recipient,
      attempts: notificationDeliveries.attempts,
      notificationId: notifications.id,
      kind: notifications.kind,
      detail: notifications.detail,
      timeZone: organizations.timeZone,
      // The member's own language, else the association's.
      locale: sql<'zh' | 'en'>`coalesce(${accounts.locale}, ${organizations.defaultLocale})`,
      organizationName: organizations.name,
      quietHours: sql<{ start: string; end: string } | null>`${organizations.settings} -> 'quietHours'`,
    })
    .from(notificationDeliveries)
    .innerJoin(
      notifications,
      and(
        eq(notifications.orgId, notificationDeliveries.orgId),
        eq(notifications.id, notificationDeliveries.notificationId),
      ),
    )
    .innerJoin(organizations, eq(organizations.id, notificationDeliveries.orgId))
    .leftJoin(members, and(eq(members.orgId, notifications.orgId), eq(members.id, notifications.memberId)))
    .leftJoin(accounts, eq(accounts.id, members.accountId))
    .where(
      and(
        eq(notificationDeliveries.orgId, orgId),
        isNull(notificationDeliveries.sentAt),
        isNull(notificationDeliveries.failedAt),
        lte(notificationDeliveries.nextAttemptAt, dueBy),
      ),
    )
    .orderBy(notificationDeliveries.nextAttemptAt, notificationDeliveries.id)
    .limit(limit)
    .for('update', { of: notificationDeliveries, skipLocked: true });
}

export async function markDelivered(db: Db, orgId: string, id: number, at: Date): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({ sentAt: at, attempts: sql`${notificationDeliveries.attempts} + 1`, lastError: null })
    .where(and(eq(notificationDeliveries.orgId, orgId), eq(notificationDeliveries.id, id)));
}

/** A failed attempt: due again at `nextAttemptAt`, or (null) given up at `at`. */
export async function markDeliveryFailed(
  db: Db,
  orgId: string,
  id: number,
  failure: { error: string; nextAttemptAt: Date | null; at: Date },
): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({
      attempts: sql`${notificationDeliveries.attempts} + 1`,
      lastError: failure.error.slice(0, 500),
      ...(failure.nextAttemptAt ? { nextAttemptAt: failure.nextAttemptAt } : { failedAt: failure.at }),
    })
    .where(and(eq(notificationDeliveries.orgId, orgId), eq(notificationDeliveries.id, id)));
}

/** Not attempted: due again later (the number is held back), or (null) given up at `at` as too late. */
export async function postponeDelivery(
  db: Db,
  orgId: string,
  id: number,
  postponed: { reason: string; nextAttemptAt: Date | null; at: Date },
): Promise<void> {
  await db
    .update(notificationDeliveries)
    .set({
      lastError: postponed.reason.slice(0, 500),
      ...(postponed.nextAttemptAt ? { nextAttemptAt: postponed.nextAttemptAt } : { failedAt: postponed.at }),
    })
    .where(and(eq(notificationDeliveries.orgId, orgId), eq(notificationDeliveries.id, id)));
}
