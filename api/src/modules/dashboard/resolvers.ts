import type { Resolvers } from '../../__generated__/resolvers.ts';
import type { BoardEvent } from '../../shared/board-events.ts';
import { readBoard } from './board.ts';
import { createDisplayToken, listDisplayTokens, revokeDisplayToken } from './display-tokens.ts';
import { subscribeToBoard } from './subscriptions.ts';

export const resolvers: Resolvers = {
  Query: {
    board: (_root, _args, ctx) => readBoard(ctx),
  },
  Mutation: {
    createDisplayToken: (_root, { name }, ctx) => createDisplayToken(ctx, name),
    revokeDisplayToken: (_root, { id }, ctx) => revokeDisplayToken(ctx, id),
  },
  Subscription: {
    boardChanged: {
      subscribe: (_root, _args, ctx) => subscribeToBoard(ctx),
      resolve: (event: BoardEvent) => event,
    },
  },
  Organization: {
    displayTokens: (_organization, _args, ctx) => listDisplayTokens(ctx),
  },
  BoardEvent: {
    occurredAt: (event) => new Date(event.occurredAt),
  },
};
