/**
 * Notifications: telling members what changed for them. Another domain's
 * change calls `notifyMembers` in its own transaction; the in-app list and
 * the outbox rows commit with the change or not at all, and delivery
 * happens later (outbox.ts), so a slow or failing SMS gateway never holds a
 * change up.
 */
import {
  notificationChannelEnum,
  notificationKindEnum,
  type DeliveryChannel,
  type Notification,
  type NotificationChannel,
  type NotificationDetail,
  type NotificationKind,
  type Organization,
  type Tx,
} from '@qicai/db';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import { DEFAULT_TIME_ZONE } from '../../kernel/time.ts';
import { requireAdmin, requireMember } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { FieldChecker } from '../../shared/errors.ts';
import { minutesOfDay, smsDueAt } from './quiet-hours.ts';
import * as repository from './repository.ts';
import { deliveryUsefulUntil, stillUseful } from './timeliness.ts';

export interface MembersNotice {
  memberIds: string[];
  kind: NotificationKind;
  activityId: string | null;
  detail: NotificationDetail;
  /** When it happened (the clock's now): its deliveries are due from then. */
  at: Date;
}

/**
 * Writes an in-app notification for each member and queues an SMS and an email for those who can be
 * reached there, leaving out every channel a member turned off for the kind (a member who turned all
 * of them off gets nothing). An SMS due in the association's quiet hours waits until they end, unless
 * it would then be too late to be of use (timeliness.ts).
 */
export async function notifyMembers(tx: Tx, orgId: string, notice: MembersNotice): Promise<Notification[]> {
  const memberIds = [...new Set(notice.memberIds)];
  if (memberIds.length === 0) return [];
  const off = new Set(
    (await repository.findOptOutsOfKind(tx, orgId, memberIds, notice.kind)).map(
      (optOut) => `${optOut.memberId}:${optOut.channel}`,
    ),
  );
  const wants = (memberId: string, channel: NotificationChannel) => !off.has(`${memberId}:${channel}`);
  const contacts = new Map(
    (await repository.findContactsOfMembers(tx, orgId, memberIds)).map((contact) => [contact.memberId, contact]),
  );
  const channelsOf = (memberId: string): DeliveryChannel[] => {
    const contact = contacts.get(memberId);
    return [
      ...(contact?.phone && wants(memberId, 'SMS') ? (['SMS'] as const) : []),
      ...(contact?.email && wants(memberId, 'EMAIL') ? (['EMAIL'] as const) : []),
    ];
  };
  const told = memberIds.filter((memberId) => wants(memberId, 'IN_APP') || channelsOf(memberId).length > 0);
  const created = await repository.insertNotifications(
    tx,
    told.map((memberId) => ({
      orgId,
      memberId,
      kind: notice.kind,
      activityId: notice.activityId,
      detail: notice.detail,
      inApp: wants(memberId, 'IN_APP'),
    })),
  );
  const deliveries = created.flatMap((notification) =>
    channelsOf(notification.memberId).map((channel) => ({ notification, channel })),
  );
  if (deliveries.length === 0) return created;
  const organization = await repository.findOrganization(tx, orgId);
  const smsAt = smsDueAt(notice.at, organization?.settings.quietHours, organization?.timeZone ?? DEFAULT_TIME_ZONE);
  // An SMS that quiet hours would hold past the moment it is of use (a reminder of an activity that
  // starts before they end, a spot check due in the night) is not queued: the app's list has it.
  const smsUseful = stillUseful(deliveryUsefulUntil(notice.kind, notice.detail), smsAt);
  const queued = deliveries.filter(({ channel }) => channel !== 'SMS' || smsUseful);
  if (queued.length === 0) return created;
  await repository.insertDeliveries(
    tx,
    queued.map(({ notification, channel }): repository.NewDelivery => {
      const contact = contacts.get(notification.memberId);
      return {
        orgId,
        notificationId: notification.id,
        channel,
        recipient: (channel === 'SMS' ? contact?.phone : contact?.email) ?? '',
        nextAttemptAt: channel === 'SMS' ? smsAt : notice.at,
      };
    }),
  );
  return created;
}

/** Every kind a member can be told of, in the order the settings page lists them. */
export const NOTIFICATION_KINDS: readonly NotificationKind[] = notificationKindEnum.enumValues;
export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] = notificationChannelEnum.enumValues;

export interface NotificationPreference {
  kind: NotificationKind;
  inApp: boolean;
  sms: boolean;
  email: boolean;
}

function preferencesOf(optOuts: { kind: NotificationKind; channel: NotificationChannel }[]): NotificationPreference[] {
  const off = new Set(optOuts.map((optOut) => `${optOut.kind}:${optOut.channel}`));
  return NOTIFICATION_KINDS.map((kind) => ({
    kind,
    inApp: !off.has(`${kind}:IN_APP`),
    sms: !off.has(`${kind}:SMS`),
    email: !off.has(`${kind}:EMAIL`),
  }));
}

/** The viewer's choice of kinds and channels in this organization: every kind, on unless turned off. */
export async function notificationPreferences(ctx: RequestContext): Promise<NotificationPreference[]> {
  const member = await requireMember(ctx);
  return preferencesOf(await ctx.tenant((tx) => repository.findOptOutsOfMember(tx, member.orgId, member.id)));
}

/** Sets the viewer's preferences: the kinds listed take these channels; kinds not listed stay as they are. */
export async function setNotificationPreferences(
  ctx: RequestContext,
  preferences: NotificationPreference[],
): Promise<NotificationPreference[]> {
  const member = await requireMember(ctx);
  return ctx.tenant(async (tx) => {
    const current = preferencesOf(await repository.findOptOutsOfMember(tx, member.orgId, member.id));
    const given = new Map(preferences.map((preference) => [preference.kind, preference]));
    const next = current.map((preference) => given.get(preference.kind) ?? preference);
    const optOuts = next.flatMap((preference) =>
      (
        [
          ['IN_APP', preference.inApp],
          ['SMS', preference.sms],
          ['EMAIL', preference.email],
        ] as const
      ).flatMap(([channel, on]) => (on ? [] : [{ kind: preference.kind, channel }])),
    );
    await repository.replaceOptOutsOfMember(tx, member.orgId, member.id, optOuts);
    await recordAudit(tx, ctx, member.orgId, {
      action: 'notification_preferences.updated',
      subjectType: 'member',
      subjectId: member.id,
      detail: { off: optOuts.map((optOut) => `${optOut.kind}:${optOut.channel}`) },
    });
    return preferencesOf(optOuts);
  });
}

type NotificationConnection = ResolversTypes['NotificationConnection'];

/** The viewer's notifications in the named organization, newest first. */
export async function listNotifications(
  ctx: RequestContext,
  options: { first: number; after?: string | null | undefined },
): Promise<NotificationConnection> {
  const member = await requireMember(ctx);
  const first = clampPageSize(options.first);
  const after = options.after ? decodeCursor(options.after, ['string', 'string']) : undefined;
  const { rows, unread } = await ctx.tenant(async (tx) => ({
    rows: await repository.pageNotifications(
      tx,
      member.orgId,
      member.id,
      first + 1,
      after && { createdAt: after[0], id: after[1] },
    ),
    unread: await repository.countUnread(tx, member.orgId, member.id),
  }));
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    unreadCount: unread,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    },
  };
}

export async function countUnreadNotifications(ctx: RequestContext): Promise<number> {
  const member = await requireMember(ctx);
  return ctx.tenant((tx) => repository.countUnread(tx, member.orgId, member.id));
}

/** Marks the viewer's notifications read: these, or all when `ids` is null. Returns how many were unread. */
export async function markNotificationsRead(ctx: RequestContext, ids: string[] | null | undefined): Promise<number> {
  const member = await requireMember(ctx);
  return ctx.tenant((tx) => repository.markRead(tx, member.orgId, member.id, ids ?? null));
}

/** Sets (or, with null, clears) the organization's quiet hours: `HH:MM` each, different. Admins only. */
export async function setQuietHours(
  ctx: RequestContext,
  input: { start: string; end: string } | null | undefined,
): Promise<Organization> {
  const admin = await requireAdmin(ctx);
  const quietHours = input ? { start: input.start.trim(), end: input.end.trim() } : null;
  if (quietHours) {
    const start = minutesOfDay(quietHours.start);
    const end = minutesOfDay(quietHours.end);
    new FieldChecker()
      .check(start !== undefined, 'start', 'INVALID_TIME')
      .check(end !== undefined, 'end', 'INVALID_TIME')
      .check(start === undefined || start !== end, 'end', 'SAME_AS_START')
      .throwIfAny();
  }
  return ctx.tenant(async (tx) => {
    const updated = await repository.updateQuietHours(tx, admin.orgId, quietHours);
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'organization.quiet_hours_updated',
      subjectType: 'organization',
      subjectId: admin.orgId,
      detail: { quietHours },
    });
    return updated;
  });
}
