import { isLocalDate, localDateAt } from '../kernel/time.ts';
import { requireOrganization } from './access.ts';
import type { RequestContext } from './context.ts';
import { FieldChecker } from './errors.ts';

/** A report's period of local dates, both days included. */
export interface Period {
  from: string;
  to: string;
}

/**
 * Refuses a period that is no pair of dates (`INVALID`), ends before it starts
 * (`ENDS_BEFORE_START`) or spans more than `maxDays` (`PERIOD_TOO_LONG`), each
 * named on its field.
 */
export function checkPeriod(period: Period, maxDays: number): void {
  new FieldChecker()
    .check(isLocalDate(period.from), 'from', 'INVALID')
    .check(isLocalDate(period.to), 'to', 'INVALID')
    .throwIfAny();
  const days = (Date.parse(period.to) - Date.parse(period.from)) / 86_400_000;
  new FieldChecker()
    .check(days >= 0, 'to', 'ENDS_BEFORE_START')
    .check(days <= maxDays, 'to', 'PERIOD_TOO_LONG')
    .throwIfAny();
}

/** "This year": the organization's calendar year now, in its own time zone (as the yearly rollups count it). */
export function currentYearOf(ctx: RequestContext): number {
  return Number(localDateAt(ctx.clock.now(), requireOrganization(ctx).timeZone).slice(0, 4));
}
