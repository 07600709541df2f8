/**
 * A new association's first steps, for its admins: import the roster, appoint
 * a lead for each team, schedule the first activity, make a display token for
 * the big screen. Each ticks itself off from the data (no flag is stored), so
 * a step done another way (members added by hand, a lead appointed on the
 * team's page) counts all the same, and undoing it shows it again.
 */
import { isAdmin } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import * as repository from './repository.ts';

export interface Onboarding {
  rosterImported: boolean;
  teams: number;
  teamsWithLead: number;
  activityScheduled: boolean;
  displayTokenMade: boolean;
  complete: boolean;
}

/** The viewer's association's first steps, or null unless the viewer is one of its admins. */
export async function onboardingOf(ctx: RequestContext, orgId: string): Promise<Onboarding | null> {
  if (ctx.organization?.id !== orgId || !isAdmin(await ctx.viewerMember())) return null;
  const row = await ctx.tenant((tx) => repository.readOnboarding(tx, orgId));
  const steps = {
    rosterImported: row.roster_imported,
    teams: row.teams,
    teamsWithLead: row.teams_with_lead,
    activityScheduled: row.activity_scheduled,
    displayTokenMade: row.display_token_made,
  };
  return {
    ...steps,
    complete:
      steps.rosterImported && steps.teamsWithLead >= steps.teams && steps.activityScheduled && steps.displayTokenMade,
  };
}
