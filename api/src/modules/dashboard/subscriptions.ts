/**
 * The big screen's live updates: one topic per organization, which every
 * domain publishes to after its change has committed. A subscriber gets the
 * event only (what changed, when) and reads the figures afresh, throttled;
 * the figures are the same for every screen of the organization, so
 * computing them once per screen per event on the server would multiply
 * the work by the number of screens for nothing.
 */
import type { MercuriusContext } from 'mercurius';
import { boardTopic } from '../../shared/board-events.ts';
import { requireBoardViewer } from './display-tokens.ts';

export async function subscribeToBoard(ctx: MercuriusContext) {
  const orgId = await requireBoardViewer(ctx);
  return ctx.pubsub.subscribe(boardTopic(orgId));
}
