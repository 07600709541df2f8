/**
 * Organizations (the tenants): creating one, self-service, with its seven teams.
 */
import { pgError, PG_UNIQUE_VIOLATION, withTenant, type Organization } from '@qicai/db';
import { randomUUID } from 'node:crypto';
import { requireAccount, requireMember } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { ResolversTypes } from '../../__generated__/resolvers.ts';
import type { RequestContext } from '../../shared/context.ts';
import { clampPageSize, decodeCursor, encodeCursor } from '../../shared/cursor.ts';
import { FieldChecker, ValidationError } from '../../shared/errors.ts';
import { insertMember } from '../people/repository.ts';
import { createDefaultTeams } from '../teams/service.ts';
import * as repository from './repository.ts';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface CreateOrganizationInput {
  name: string;
  slug: string;
  timeZone?: string | null | undefined;
  defaultLocale?: 'zh' | 'en' | null | undefined;
}

export async function createOrganization(ctx: RequestContext, input: CreateOrganizationInput): Promise<Organization> {
  const account = requireAccount(ctx);
  const name = input.name.trim();
  const slug = input.slug.trim().toLowerCase();
  const timeZone = input.timeZone?.trim() || DEFAULT_TIME_ZONE;
  new FieldChecker()
    .check(name.length >= 2, 'name', 'TOO_SHORT')
    .check(name.length <= 120, 'name', 'TOO_LONG')
    .check(SLUG_PATTERN.test(slug), 'slug', 'INVALID_SLUG')
    .check(isTimeZone(timeZone), 'timeZone', 'INVALID_TIME_ZONE')
    .throwIfAny();

  const orgId = randomUUID();
  try {
    // The new organization is not the one the request named: act for it.
    return await withTenant(ctx.db, { orgId, accountId: account.id }, async (tx) => {
      const organization = await repository.insertOrganization(tx, {
        id: orgId,
        slug,
        name,
        timeZone,
        defaultLocale: input.defaultLocale ?? 'zh',
      });
      await insertMember(tx, { orgId, accountId: account.id, displayName: account.displayName, role: 'ADMIN' });
      await createDefaultTeams(tx, orgId);
      await recordAudit(tx, ctx, orgId, {
        action: 'organization.created',
        subjectType: 'organization',
        subjectId: orgId,
        detail: { name, slug },
      });
      return organization;
    });
  } catch (error) {
    const pg = pgError(error);
    if (pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === 'organizations_slug_unique') {
      throw new ValidationError({ slug: 'TAKEN' });
    }
    throw error;
  }
}

/** A page of the organization's active members, for its members. */
export async function listMembers(
  ctx: RequestContext,
  options: { first: number; after?: string | null | undefined; search?: string | null | undefined },
): Promise<ResolversTypes['MemberConnection']> {
  const viewer = await requireMember(ctx);
  const first = clampPageSize(options.first);
  const after = options.after ? decodeCursor(options.after, ['string', 'string']) : undefined;
  const rows = await ctx.tenant((tx) =>
    repository.pageActiveMembers(tx, viewer.orgId, {
      limit: first + 1,
      after: after && { displayName: after[0], id: after[1] },
      search: options.search?.trim() || undefined,
    }),
  );
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor([last.displayName, last.id]) : null },
  };
}
