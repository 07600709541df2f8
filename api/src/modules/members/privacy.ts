/**
 * Who sees what of a member. Every Member field that is personal — phone,
 * email, gender, 政治面貌, work unit, skills, join date, whether active — goes
 * through `canSeePersonal`, whichever path of the schema reached the member
 * (roster, team pages, leads, memberships, join requests). Other members of the
 * organization see names, teams and roles only.
 */
import type { Member } from '@qicai/db';
import type { RequestContext } from '../../shared/context.ts';
import { membersInTeamsLedBy } from './team-memberships-repository.ts';

interface LeadBatch {
  /** Member ids asked about since the last flush. */
  queued: Set<string>;
  /** Resolves to the ids among them that are in a team the viewer leads. */
  flush: Promise<Set<string>> | undefined;
  answers: Map<string, Promise<boolean>>;
}

/** Per request (the context object lives as long as the request): the lead checks asked for, batched. */
const leadBatches = new WeakMap<RequestContext, LeadBatch>();

/**
 * Whether the viewer leads a team the member is in. Every Member resolved in
 * one pass of execution asks in the same tick; they are answered by one
 * statement (a loader would need one per field).
 */
function viewerLeadsTeamOf(ctx: RequestContext, viewer: Member, memberId: string): Promise<boolean> {
  let batch = leadBatches.get(ctx);
  if (!batch) {
    batch = { queued: new Set(), flush: undefined, answers: new Map() };
    leadBatches.set(ctx, batch);
  }
  const known = batch.answers.get(memberId);
  if (known) return known;
  const current = batch;
  current.queued.add(memberId);
  current.flush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
    const ids = [...current.queued];
    current.queued.clear();
    current.flush = undefined;
    return ctx.tenant((tx) => membersInTeamsLedBy(tx, viewer.orgId, viewer.id, ids));
  });
  const answer = current.flush.then((ids) => ids.has(memberId));
  current.answers.set(memberId, answer);
  return answer;
}

/** A member's personal fields: for the member, the organization's admins, and leads of the member's teams. */
export async function canSeePersonal(ctx: RequestContext, member: Member): Promise<boolean> {
  if (ctx.account && member.accountId === ctx.account.id) return true;
  if (ctx.organization?.id !== member.orgId) return false;
  const viewer = await ctx.viewerMember();
  if (!viewer?.active) return false;
  if (viewer.role === 'ADMIN') return true;
  // members.role is LEAD exactly when the member leads some team (team-memberships-repository.ts syncLeadRoles).
  if (viewer.role !== 'LEAD') return false;
  return viewerLeadsTeamOf(ctx, viewer, member.id);
}

/** Names, teams and roles: for the member and the organization's active members. */
export async function canSeeMember(ctx: RequestContext, member: Member): Promise<boolean> {
  if (ctx.account && member.accountId === ctx.account.id) return true;
  if (ctx.organization?.id !== member.orgId) return false;
  const viewer = await ctx.viewerMember();
  return viewer?.active === true;
}

export async function viewerIsAdminOf(ctx: RequestContext, member: Member): Promise<boolean> {
  if (ctx.organization?.id !== member.orgId) return false;
  const viewer = await ctx.viewerMember();
  return viewer?.active === true && viewer.role === 'ADMIN';
}
