/**
 * Check-out records service hours (rule 3), but hours sit above activities in
 * the module map: activities declares what it needs here and the hours module
 * registers it (hours/index.ts), so activities never imports hours.
 */
import type { Activity, Member, Organization, SignUp, Tx } from '@qicai/db';
import type { RequestContext } from '../../shared/context.ts';

export interface CheckOutHours {
  /** The minutes a check-in and check-out count, as the service record will have them (rule 2). */
  minutesOf(organization: Organization, activity: Activity, checkedInAt: Date, checkedOutAt: Date): number;
  /** Records the check-out's hours, pending approval, in the check-out's transaction. */
  record(ctx: RequestContext, tx: Tx, organization: Organization, activity: Activity, signUp: SignUp): Promise<unknown>;
  /** Withdraws the record an undone check-out made; its id, or undefined if there was none. */
  withdraw(
    ctx: RequestContext,
    tx: Tx,
    organization: Organization,
    signUp: SignUp,
    withdrawnBy: Member,
  ): Promise<{ id: string } | undefined>;
}

let registered: CheckOutHours | undefined;

export function registerCheckOutHours(port: CheckOutHours): void {
  registered = port;
}

export function checkOutHours(): CheckOutHours {
  // The hours module registers itself when the modules load (modules/index.ts), before any request.
  if (!registered) throw new Error('No hours module registered for check-out');
  return registered;
}
