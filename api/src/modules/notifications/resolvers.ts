import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as notifications from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    notifications: (_root, args, ctx) => notifications.listNotifications(ctx, args),
    notificationPreferences: (_root, _args, ctx) => notifications.notificationPreferences(ctx),
  },
  Mutation: {
    markNotificationsRead: (_root, { ids }, ctx) => notifications.markNotificationsRead(ctx, ids),
    setNotificationPreferences: (_root, { preferences }, ctx) =>
      notifications.setNotificationPreferences(ctx, preferences),
    setQuietHours: (_root, { input }, ctx) => notifications.setQuietHours(ctx, input),
  },
  Organization: {
    quietHours: (organization) => organization.settings.quietHours ?? null,
  },
  Notification: {
    title: (notification) => notification.detail.title,
    startsAt: (notification) => (notification.detail.startsAt ? new Date(notification.detail.startsAt) : null),
    endsAt: (notification) => (notification.detail.endsAt ? new Date(notification.detail.endsAt) : null),
    placeName: (notification) => notification.detail.placeName ?? null,
    previousStartsAt: (notification) =>
      notification.detail.previousStartsAt ? new Date(notification.detail.previousStartsAt) : null,
    previousPlaceName: (notification) => notification.detail.previousPlaceName ?? null,
    reason: (notification) => notification.detail.reason ?? null,
    minutes: (notification) => notification.detail.minutes ?? null,
    accepted: (notification) => notification.detail.accepted ?? null,
    read: (notification) => notification.readAt !== null,
  },
};
