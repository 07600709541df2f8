/**
 * The source of truth for "now" in the API is the process's clock, read only
 * through a Clock: every rule that asks what time it is (has the activity
 * started, what is today or this month in the association, is the invitation
 * still valid, is the entry late) takes its instant from here, and passes it
 * to SQL as a parameter where a query compares with the present. The
 * database's own now() only stamps audit columns (updated_at, decided_at,
 * read_at, …) that no rule reads back. Tests give the app a clock of their
 * own (see api/test/clock.ts) to run on any date.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
