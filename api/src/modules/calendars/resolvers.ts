import type { Resolvers } from '../../__generated__/resolvers.ts';
import * as calendars from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    calendarFeeds: (_root, _args, ctx) => calendars.listCalendarFeeds(ctx),
    calendarFeedFile: (_root, { token }, ctx) => calendars.calendarFeedFile(ctx, token),
    activityCalendarFile: (_root, { id }, ctx) => calendars.activityCalendarFile(ctx, id),
  },
  Mutation: {
    createCalendarFeed: (_root, { teamId }, ctx) => calendars.createCalendarFeed(ctx, teamId ?? null),
    revokeCalendarFeed: (_root, { id }, ctx) => calendars.revokeCalendarFeed(ctx, id),
  },
};
