import type { OrganizationExport } from '@qicai/db';
import { requiredMemberById } from '../members/loaders.ts';

export const loaders = {
  OrganizationExport: {
    requestedBy: requiredMemberById<OrganizationExport>((row) => row.requestedByMemberId),
  },
};
