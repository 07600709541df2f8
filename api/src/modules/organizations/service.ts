/**
 * Organizations (the tenants): creating one, self-service, with its seven teams.
 */
import { pgError, PG_UNIQUE_VIOLATION, withTenant, type Organization } from '@qicai/db';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../../kernel/time.ts';
import { requireAccount } from '../../shared/access.ts';
import { recordAudit } from '../../shared/audit.ts';
import type { RequestContext } from '../../shared/context.ts';
import { FieldChecker, ValidationError } from '../../shared/errors.ts';

import { createDefaultTeams } from '../teams/service.ts';
import * as repository from './repository.ts';
import { insertMember } from '../members/repository.ts';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,46}[a-z0-9]$/;

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
      await insertMember(tx, {
        orgId,
        accountId: account.id,
        displayName: account.displayName,
        phone: account.phone,
        email: account.email,
        role: 'ADMIN',
      });
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
