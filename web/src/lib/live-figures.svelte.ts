/**
 * A wall screen's figures kept current (the big screen, the stations' screen): read again from the
 * screen's figures endpoint after each board event (a burst of check-ins makes one read every two
 * seconds at most) and after each reconnection (what happened while the socket was down was not
 * heard). A failed read leaves the figures on screen, marked stale; while connected, no reconnection
 * would read them again, so the screen tries again itself until a read succeeds.
 */
import { throttle } from './board';
import { subscribeLive, type LiveSubscription } from './live';

/** Every screen listens to the same event; each reads its own figures. */
const BOARD_CHANGED = `subscription { boardChanged { kind occurredAt } }`;
const READ_AT_MOST_EVERY_MS = 2000;
/** After a failed read while connected, when to try again (an instance restarting, a database blip). */
const REREAD_AFTER_MS = 3000;

// The figures are the JSON of the page's own query, as its endpoint sends it: named once, by the page.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export class LiveFigures<Figures> {
  /** Figures read after the page loaded; null until then (the page shows its own). */
  fetched: Figures | null = $state(null);
  /** Whether the live connection is up; null until it first answers. */
  connected: boolean | null = $state(null);
  /** The figures on screen may be out of date: shown dimmed, with the reconnecting notice, until read afresh. */
  stale = $state(false);

  /**
   * What the screen says of its connection: reconnecting while it is down or a read has failed
   * since it came up, live while it is up and the figures current, nothing before it first answers.
   */
  get status(): 'live' | 'reconnecting' | null {
    if (this.connected === false || (this.stale && this.connected !== null)) return 'reconnecting';
    return this.connected ? 'live' : null;
  }

  #subscription: LiveSubscription | undefined;
  #reread: ReturnType<typeof setTimeout> | undefined;
  readonly #refresh = throttle(() => this.#read(), READ_AT_MOST_EVERY_MS);

  #figuresPath = '';

  /** Listens for the organization's (`org`, its slug) board events; reads the figures from `figuresPath`. */
  start(org: string, figuresPath: string): void {
    this.#figuresPath = figuresPath;
    this.#subscription = subscribeLive({
      org,
      query: BOARD_CHANGED,
      variables: {},
      onData: () => {
        this.#refresh();
      },
      onStatus: (up) => {
        this.connected = up;
        if (up) this.#refresh();
        else this.stale = true;
      },
    });
  }

  stop(): void {
    this.#subscription?.close();
    this.#refresh.cancel();
    clearTimeout(this.#reread);
  }

  async #read(): Promise<void> {
    clearTimeout(this.#reread);
    try {
      const response = await fetch(this.#figuresPath, { cache: 'no-store' });
      if (!response.ok) {
        this.stale = true;
        if (this.connected) this.#reread = setTimeout(this.#refresh, REREAD_AFTER_MS);
        return;
      }
      this.fetched = (await response.json()) as Figures;
      this.stale = false;
    } catch {
      // Offline: the socket's reconnection reads them again.
      this.stale = true;
    }
  }
}
