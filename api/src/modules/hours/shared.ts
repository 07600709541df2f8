/** What several hours files share: the limit of a list and the lead-or-admin check. */
import { requireMember } from '../../shared/access.ts';
import type { RequestContext } from '../../shared/context.ts';
import { forbidden } from '../../shared/errors.ts';
import { activityAccess, type ActivityAccess } from '../activities/access.ts';

export const QUEUE_LIMIT = 200;

export function clampLimit(limit: number, max = QUEUE_LIMIT): number {
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

export async function requireLeadOrAdmin(ctx: RequestContext): Promise<ActivityAccess> {
  await requireMember(ctx);
  const access = await activityAccess(ctx);
  if (!access.isAdmin && access.ledTeamIds.size === 0) throw forbidden('Only leads and admins see this.');
  return access;
}
