/**
 * Who may do what with activities: a team's leads (队长) schedule and manage
 * its activities, admins any team's; members read every activity but other
 * teams' drafts and sign up; anyone else sees published public activities.
 */
import type { Activity, Member, Tx } from '@qicai/db';
import { isActiveMember, isAdmin, requireOrganization } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden } from '../../shared/errors.ts';
import * as repository from './repository.ts';
import * as memberships from '../members/team-memberships-repository.ts';

export interface ActivityAccess {
  orgId: string;
  /** The viewer's active membership of the named organization, or null. */
  member: Member | null;
  isAdmin: boolean;
  /** The teams the viewer leads. */
  ledTeamIds: ReadonlySet<string>;
}

/** The viewer's standing for the named organization's activities (one statement for a lead's teams). */
export async function activityAccess(ctx: RequestContext, tx?: Tx): Promise<ActivityAccess> {
  const orgId = requireOrganization(ctx).id;
  const member = (await isActiveMember(ctx)) ? await ctx.viewerMember() : null;
  const admin = isAdmin(member);
  const ledTeamIds =
    member && !admin
      ? new Set(
          // Within a transaction, read in it (a change checks what it sees there).
          tx ? await memberships.findLedTeamIds(tx, orgId, member.id) : await ctx.viewerLedTeamIds(),
        )
      : new Set<string>();
  return { orgId, member, isAdmin: admin, ledTeamIds };
}

export function canManageTeam(access: ActivityAccess, teamId: string): boolean {
  return access.member !== null && (access.isAdmin || access.ledTeamIds.has(teamId));
}

export function canSeeActivity(access: ActivityAccess, activity: Activity): boolean {
  if (activity.orgId !== access.orgId) return false;
  if (!access.member) return activity.status === 'PUBLISHED' && activity.isPublic;
  return activity.status !== 'DRAFT' || canManageTeam(access, activity.teamId);
}

export function visibilityOf(access: ActivityAccess): repository.ActivityVisibility {
  if (!access.member) return { kind: 'public' };
  return {
    kind: 'member',
    memberId: access.member.id,
    allDrafts: access.isAdmin,
    draftTeamIds: [...access.ledTeamIds],
  };
}

export function requireTeamManager(access: ActivityAccess, teamId: string): Member {
  if (!access.member) throw forbidden('Only a lead of this team or an admin may do this.');
  if (!canManageTeam(access, teamId)) throw forbidden('Only a lead of this team or an admin may do this.');
  return access.member;
}
