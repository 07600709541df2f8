import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as notifications from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    notifications: (_root, args, ctx) => notifications.listNotifications(ctx, args),
  },
  Mutation: {
    markNotificationsRead: (_root, { ids }, ctx) => notifications.markNotificationsRead(ctx, ids),
  },
  Notification: {
    title: (notification) => notification.detail.title,
    startsAt: (notification) => new Date(notification.detail.startsAt),
    endsAt: (notification) => new Date(notification.detail.endsAt),
    placeName: (notification) => notification.detail.placeName,
    previousStartsAt: (notification) =>
      notification.detail.previousStartsAt ? new Date(notification.detail.previousStartsAt) : null,
    reason: (notification) => notification.detail.reason ?? null,
    read: (notification) => notification.readAt !== null,
  },
};
