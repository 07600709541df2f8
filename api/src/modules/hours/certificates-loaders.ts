import type { Certificate, Team } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import type { Loader } from '../../shared/loaders.ts';

import type { BeneficiariesRowParent, HoursReportRowParent } from './reports.ts';
import { findTeamsByIds } from '../teams/repository.ts';
import { memberById, requiredMemberById } from '../members/loaders.ts';

const reportRowTeam: Loader<HoursReportRowParent | BeneficiariesRowParent, Team | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.teamId ? [obj.teamId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => findTeamsByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return queries.map(({ obj }) => (obj.teamId ? (byId.get(obj.teamId) ?? null) : null));
};

export const certificateLoaders = {
  Certificate: { member: requiredMemberById<Certificate>((certificate) => certificate.memberId) },
  HoursReportRow: { member: memberById<HoursReportRowParent>((row) => row.memberId), team: reportRowTeam },
  BeneficiariesRow: { team: reportRowTeam },
};
