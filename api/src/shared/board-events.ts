/**
 * The organization's big screen (信息中心大屏幕) listens to one topic per
 * organization. Each domain tells it that something it shows has changed;
 * the screen then reads its figures afresh, so an event carries only what
 * the screen's feed needs, never personal data beyond a member id.
 */
import { liveTopic } from './live.ts';
import type { RequestContext } from './context.ts';

export type BoardEventKind =
  | 'CHECK_IN'
  | 'CHECK_OUT'
  | 'HOURS_APPROVED'
  | 'REQUEST_CHANGED'
  | 'SPONSORSHIP_CHANGED'
  | 'ACTIVITY_CHANGED'
  | 'STATION_VISIT'
  | 'SPOT_CHECK';

export interface BoardEvent {
  kind: BoardEventKind;
  /** The member concerned (check-ins, approvals), if any. */
  memberId?: string;
  /** The team concerned, if any. */
  teamId?: string;
  /** What the event is about: an activity, a service record, a request… */
  subjectId?: string;
  /** ISO 8601. */
  occurredAt: string;
}

export function boardTopic(orgId: string): string {
  return liveTopic(orgId, 'board', 'all');
}

/** Call after the transaction that made the change has committed. */
export function publishBoardEvent(ctx: RequestContext, orgId: string, event: BoardEvent): void {
  ctx.publish({ topic: boardTopic(orgId), payload: event });
}
