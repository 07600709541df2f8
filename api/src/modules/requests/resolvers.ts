import type { Resolvers } from '../../__generated__/resolvers.ts';
import { isAdmin, requireOrganization } from '../../shared/access.ts';
import * as requests from './service.ts';
import { formatTrackingCode } from './tracking-codes.ts';

export const resolvers: Resolvers = {
  Query: {
    requestStatus: (_root, { code }, ctx) => requests.requestStatus(ctx, code),
    helpRequest: (_root, { id }, ctx) => requests.getRequest(ctx, id),
    helpRequests: (_root, { filter }, ctx) => requests.listRequests(ctx, filter),
  },
  Mutation: {
    submitRequest: (_root, { input }, ctx) => requests.submitRequest(ctx, input),
    assignRequest: (_root, { input }, ctx) => requests.assignRequest(ctx, input),
    setRequestDueDate: (_root, { id, dueOn }, ctx) => requests.setRequestDueDate(ctx, id, dueOn),
    declineRequest: (_root, { id, reason }, ctx) => requests.declineRequest(ctx, id, reason),
    turnRequestIntoActivity: (_root, { id, activity }, ctx) => requests.turnRequestIntoActivity(ctx, id, activity),
    resolveRequest: (_root, { id, feedback }, ctx) => requests.resolveRequest(ctx, id, feedback),
  },
  Organization: {
    requestCounts: (organization, _args, ctx) => requests.requestCounts(ctx, organization),
  },
  HelpRequest: {
    trackingCode: (request) => formatTrackingCode(request.trackingCode),
    overdue: (request, _args, ctx) => requests.isOverdue(request, requireOrganization(ctx).timeZone, ctx.clock.now()),
    viewerCanTriage: async (_request, _args, ctx) => isAdmin(await ctx.viewerMember()),
  },
};
