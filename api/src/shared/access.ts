/**
 * Access checks, called by services before they act. Someone who is not a
 * member of the organization is told NOT_FOUND rather than FORBIDDEN, so its
 * private data does not even show that it exists.
 */
import type { Account, Member, Organization } from '@qicai/db';
import type { RequestContext } from './context.ts';
import { AppError, forbidden, notFound, unauthenticated } from './errors.ts';

export function requireAccount(ctx: RequestContext): Account {
  if (!ctx.account) throw unauthenticated();
  return ctx.account;
}

export function requireOrganization(ctx: RequestContext): Organization {
  if (!ctx.organization) throw notFound('Organization');
  return ctx.organization;
}

/** The viewer's active membership of the named organization. */
export async function requireMember(ctx: RequestContext): Promise<Member> {
  requireAccount(ctx);
  requireOrganization(ctx);
  const member = await ctx.viewerMember();
  if (!member || !member.active) throw notFound('Organization');
  return member;
}

export async function requireAdmin(ctx: RequestContext): Promise<Member> {
  const member = await requireMember(ctx);
  if (member.role !== 'ADMIN') throw forbidden('Only an admin of this organization may do this.');
  return member;
}

export async function isActiveMember(ctx: RequestContext): Promise<boolean> {
  if (!ctx.account || !ctx.organization) return false;
  const member = await ctx.viewerMember();
  return member?.active === true;
}

export function isAdmin(member: Member | null): boolean {
  return member?.active === true && member.role === 'ADMIN';
}

/**
 * An organization's own data (teams, members) resolves only for the
 * organization the request names: row-level security is set to that one.
 */
export function requireNamedOrganization(ctx: RequestContext, orgIds: string[]): string {
  const named = ctx.organization?.id;
  if (!named || orgIds.some((orgId) => orgId !== named)) {
    throw new AppError(
      'WRONG_ORGANIZATION',
      'Name the organization in the X-Qicai-Org header to read its teams and members.',
    );
  }
  return named;
}
