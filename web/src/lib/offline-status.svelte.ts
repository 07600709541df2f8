/**
 * What the pages show of the offline check-in queue (src/lib/offline-queue.ts): what waits to be
 * sent, and what became of what was sent. The members' layout sends the queue when the network
 * returns; the check-in page queues and shows what waits for its activity.
 */
import { invalidateAll } from '$app/navigation';
import { queueCheckIn, queuedCheckIns, sendQueued, type QueuedCheckIn, type SendOutcome } from './offline-queue';

export const offlineQueue: { queued: QueuedCheckIn[]; outcomes: SendOutcome[] } = $state({ queued: [], outcomes: [] });

/** Reads what waits in IndexedDB again. */
export async function refreshQueued(memberId: string): Promise<void> {
  offlineQueue.queued = await queuedCheckIns(memberId);
}

/** Keeps a check-in taken offline. */
export async function queue(entry: QueuedCheckIn): Promise<void> {
  await queueCheckIn(entry);
  await refreshQueued(entry.memberId);
}

/** Sends what waits; when anything was answered, the page's data is loaded again. */
export async function sendWaiting(memberId: string): Promise<void> {
  const outcomes = await sendQueued(memberId);
  await refreshQueued(memberId);
  if (outcomes.length === 0) return;
  offlineQueue.outcomes = [...offlineQueue.outcomes, ...outcomes];
  await invalidateAll();
}

/**
 * Asks the service worker to keep these pages (the member's upcoming check-in pages) for use with
 * no signal; nothing where there is no service worker (no HTTPS, or an old browser).
 */
export async function keepForOffline(paths: string[]): Promise<void> {
  if (paths.length === 0 || !('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: 'CACHE_PAGES', paths });
}
