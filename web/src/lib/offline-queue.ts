/**
 * Check-ins taken with no network (离线打卡). A check-in or check-out tapped
 * while the phone is offline is kept in IndexedDB — the form as it would
 * have been sent, with the time it was taken — and sent, in the order taken,
 * when the network returns. The API records it at that time if it still
 * holds there (window, radius, the lead's code) and arrived in time
 * (QUEUED_CHECK_IN_STALE otherwise). Browser-only: the page imports it in
 * the browser, never on the server.
 */
import { deserialize } from '$app/forms';
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type Direction = 'in' | 'out';

export interface QueuedCheckIn {
  /** Assigned by IndexedDB: the order taken. */
  id?: number;
  /** The form action it goes to (`/o/…/check-in?/position`), same origin. */
  action: string;
  activityId: string;
  /** Who took it: sent only while that member is signed in on this phone (their session signs it). */
  memberId: string;
  direction: Direction;
  /** When the member tapped (ISO): the time it is recorded at. */
  takenAt: string;
  /** The form's fields as the page would have sent them. */
  fields: Record<string, string>;
}

/** What became of a queued check-in once sent: recorded, or refused with the API's code. */
export type SendOutcome =
  | { entry: QueuedCheckIn; recorded: true }
  | { entry: QueuedCheckIn; recorded: false; code: string; numbers: Record<string, number> };

interface QueueSchema extends DBSchema {
  checkIns: { key: number; value: QueuedCheckIn };
}

let opened: Promise<IDBPDatabase<QueueSchema>> | undefined;

function database(): Promise<IDBPDatabase<QueueSchema>> {
  opened ??= openDB<QueueSchema>('qicai-offline', 1, {
    upgrade(db) {
      db.createObjectStore('checkIns', { keyPath: 'id', autoIncrement: true });
    },
  });
  return opened;
}

/** Keeps a check-in taken offline, to send later. */
export async function queueCheckIn(entry: QueuedCheckIn): Promise<void> {
  await (await database()).add('checkIns', entry);
}

/** The member's check-ins waiting to be sent, in the order taken. */
export async function queuedCheckIns(memberId: string): Promise<QueuedCheckIn[]> {
  return (await (await database()).getAll('checkIns')).filter((entry) => entry.memberId === memberId);
}

/** The form's text fields, and the time taken: what a queued entry keeps. */
export function formFields(data: FormData): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of data) if (typeof value === 'string') fields[name] = value;
  return fields;
}

/** Sends one entry as the page's form would; null when it could not be sent (still offline, signed out). */
async function send(entry: QueuedCheckIn): Promise<SendOutcome | null> {
  const body = new FormData();
  for (const [name, value] of Object.entries(entry.fields)) body.set(name, value);
  body.set('takenAt', entry.takenAt);
  let response: Response;
  try {
    response = await fetch(entry.action, {
      method: 'POST',
      body,
      headers: { accept: 'application/json', 'x-sveltekit-action': 'true' },
      cache: 'no-store',
    });
  } catch {
    return null;
  }
  const result = deserialize(await response.text());
  if (result.type === 'success') return { entry, recorded: true };
  if (result.type === 'failure') {
    const data = result.data ?? {};
    const code = typeof data['code'] === 'string' ? data['code'] : 'INTERNAL';
    const numbers: Record<string, number> = {};
    for (const [name, value] of Object.entries(data)) if (typeof value === 'number') numbers[name] = value;
    return { entry, recorded: false, code, numbers };
  }
  // A redirect (the session ended: sign in again) or a server error: kept, to try again later.
  return null;
}

let sending: Promise<SendOutcome[]> | undefined;

/**
 * Sends what is queued, oldest first, stopping at the first that cannot be sent yet; an entry
 * leaves the queue once the API has answered it (recorded or refused). One run at a time, across
 * tabs too (Web Locks), so nothing is sent twice.
 */
export function sendQueued(memberId: string): Promise<SendOutcome[]> {
  sending ??= (async () => {
    const run = async () => {
      const outcomes: SendOutcome[] = [];
      const db = await database();
      for (const entry of await queuedCheckIns(memberId)) {
        const outcome = await send(entry);
        if (!outcome) break;
        if (entry.id !== undefined) await db.delete('checkIns', entry.id);
        outcomes.push(outcome);
      }
      return outcomes;
    };
    return 'locks' in navigator ? navigator.locks.request('qicai-offline-queue', run) : run();
  })().finally(() => {
    sending = undefined;
  });
  return sending;
}
