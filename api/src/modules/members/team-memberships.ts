/** Team memberships: admins choose a team's leads (队长); members join and leave teams. */
import type { Member, Team } from '@qicai/db';
import { requireAdmin, requireMember } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { notFound, ValidationError } from '../../shared/errors.ts';
import { findTeamById } from '../teams/repository.ts';
import { findMembersByIds } from './repository.ts';
import * as memberships from './team-memberships-repository.ts';

export const MAX_LEADS_PER_TEAM = 5;

/** Makes exactly `memberIds` the team's leads: they join the team if they had not, former leads stay as members. */
export async function setTeamLeads(ctx: RequestContext, input: { teamId: string; memberIds: string[] }): Promise<Team> {
  const admin = await requireAdmin(ctx);
  const memberIds = [...new Set(input.memberIds)];
  if (memberIds.length > MAX_LEADS_PER_TEAM) throw new ValidationError({ memberIds: 'TOO_MANY' });

  return ctx.tenant(async (tx) => {
    const team = await findTeamById(tx, admin.orgId, input.teamId);
    if (!team) throw notFound('Team');
    const found: Member[] = await findMembersByIds(tx, admin.orgId, memberIds);
    if (found.length !== memberIds.length) throw notFound('Member');
    if (found.some((member) => !member.active)) throw new ValidationError({ memberIds: 'INACTIVE_MEMBER' });

    await memberships.addTeamMembers(tx, admin.orgId, team.id, memberIds, true);
    const demoted = await memberships.demoteLeadsExcept(tx, admin.orgId, team.id, memberIds);
    await memberships.syncLeadRoles(tx, admin.orgId, [...memberIds, ...demoted]);
    await recordAudit(tx, ctx, admin.orgId, {
      action: 'team.leads_set',
      subjectType: 'team',
      subjectId: team.id,
      detail: { leads: memberIds, removed: demoted },
    });
    return team;
  });
}

export async function joinTeam(ctx: RequestContext, teamId: string): Promise<Team> {
  const member = await requireMember(ctx);
  return ctx.tenant(async (tx) => {
    const team = await findTeamById(tx, member.orgId, teamId);
    if (!team) throw notFound('Team');
    await memberships.addTeamMembers(tx, member.orgId, team.id, [member.id], false);
    return team;
  });
}

export async function leaveTeam(ctx: RequestContext, teamId: string): Promise<Team> {
  const member = await requireMember(ctx);
  return ctx.tenant(async (tx) => {
    const team = await findTeamById(tx, member.orgId, teamId);
    if (!team) throw notFound('Team');
    await memberships.removeTeamMember(tx, member.orgId, team.id, member.id);
    // A lead who leaves is no longer that team's lead.
    await memberships.syncLeadRoles(tx, member.orgId, [member.id]);
    return team;
  });
}
