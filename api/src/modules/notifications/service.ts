/**
 * Notifications: telling members what changed for them. Another domain's
 * change calls `notifyMembers` in its own transaction; the in-app list and
 * the outbox rows commit with the change or not at all, and delivery
 * happens later (outbox.ts), so a slow or failing SMS gateway never holds a
 * change up.
 */
import type { Notification, NotificationDetail, NotificationKind, Tx } from '@qicai/db';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import { requireMember } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import * as repository from './repository.ts';

export interface MembersNotice {
  memberIds: string[];
  kind: NotificationKind;
  activityId: string | null;
  detail: NotificationDetail;
  /** When it happened (the clock's now): its deliveries are due from then. */
  at: Date;
}

/** Writes an in-app notification for each member and queues an SMS (or email) for those who can be reached. */
export async function notifyMembers(tx: Tx, orgId: string, notice: MembersNotice): Promise<Notification[]> {
  const memberIds = [...new Set(notice.memberIds)];
  const created = await repository.insertNotifications(
    tx,
    memberIds.map((memberId) => ({
      orgId,
      memberId,
      kind: notice.kind,
      activityId: notice.activityId,
      detail: notice.detail,
    })),
  );
  const contacts = new Map(
    (await repository.findContactsOfMembers(tx, orgId, memberIds)).map((contact) => [contact.memberId, contact]),
  );
  await repository.insertDeliveries(
    tx,
    created.flatMap((notification): repository.NewDelivery[] => {
      const contact = contacts.get(notification.memberId);
      const due = { orgId, notificationId: notification.id, nextAttemptAt: notice.at };
      if (contact?.phone) return [{ ...due, channel: 'SMS', recipient: contact.phone }];
      if (contact?.email) return [{ ...due, channel: 'EMAIL', recipient: contact.email }];
      return [];
    }),
  );
  return created;
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
