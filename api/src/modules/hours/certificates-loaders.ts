import type { Certificate, Member, Team } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import type { Loader } from '../../shared/loaders.ts';

import type { BeneficiariesRowParent, HoursReportRowParent } from './reports.ts';
import { findTeamsByIds } from '../teams/repository.ts';
import { findMembersByIds } from '../members/repository.ts';

async function membersById(ids: string[], ctx: Parameters<Loader<unknown, unknown>>[1]): Promise<Map<string, Member>> {
  const orgId = requireOrganization(ctx).id;
  const unique = [...new Set(ids)];
  const rows = unique.length > 0 ? await ctx.tenant((tx) => findMembersByIds(tx, orgId, unique)) : [];
  return new Map(rows.map((row) => [row.id, row]));
}

const certificateMember: Loader<Certificate, Member> = async (queries, ctx) => {
  const byId = await membersById(
    queries.map(({ obj }) => obj.memberId),
    ctx,
  );
  return queries.map(({ obj }) => {
    const found = byId.get(obj.memberId);
    if (!found) throw new Error('certificate without member');
    return found;
  });
};

const reportRowMember: Loader<HoursReportRowParent, Member | null> = async (queries, ctx) => {
  const byId = await membersById(
    queries.flatMap(({ obj }) => (obj.memberId ? [obj.memberId] : [])),
    ctx,
  );
  return queries.map(({ obj }) => (obj.memberId ? (byId.get(obj.memberId) ?? null) : null));
};

const reportRowTeam: Loader<HoursReportRowParent | BeneficiariesRowParent, Team | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.teamId ? [obj.teamId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => findTeamsByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return queries.map(({ obj }) => (obj.teamId ? (byId.get(obj.teamId) ?? null) : null));
};

export const certificateLoaders = {
  Certificate: { member: certificateMember },
  HoursReportRow: { member: reportRowMember, team: reportRowTeam },
  BeneficiariesRow: { team: reportRowTeam },
};
