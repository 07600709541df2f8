/**
 * Until when a notification is worth sending outside the app. A reminder,
 * a change of time or place, a freed place or a cancellation is about an
 * activity's start: an SMS or email arriving after it has started (held by
 * quiet hours, by a provider's flow control, by retries) only misleads, so it
 * is not sent — the in-app notification stays. A spot check (随机打卡) is
 * worth it until its answer is due. Other kinds (hours, join requests,
 * sponsorship) do not go stale.
 */
import type { NotificationDetail, NotificationKind } from '@qicai/db';

const UNTIL_THE_START: ReadonlySet<NotificationKind> = new Set([
  'ACTIVITY_CANCELLED',
  'ACTIVITY_MOVED',
  'WAITLIST_PROMOTED',
  'ACTIVITY_REMINDER',
  'ACTIVITY_STARTING_SOON',
]);

/** The moment after which a delivery of this notification is given up instead of sent; null: never. */
export function deliveryUsefulUntil(kind: NotificationKind, detail: NotificationDetail): Date | null {
  const until = UNTIL_THE_START.has(kind)
    ? detail.startsAt
    : kind === 'SPOT_CHECK_REQUESTED'
      ? detail.endsAt
      : undefined;
  if (!until) return null;
  const at = new Date(until);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** Whether a delivery due at `at` would still be worth sending. */
export function stillUseful(usefulUntil: Date | null, at: Date): boolean {
  return usefulUntil === null || at.getTime() < usefulUntil.getTime();
}
