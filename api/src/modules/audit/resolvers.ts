import type { Resolvers } from '../../__generated__/resolvers.ts';
import { requireNamedOrganization } from '../../shared/access.ts';
import * as audit from './service.ts';

export const resolvers: Resolvers = {
  Organization: {
    auditLog: (organization, args, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return audit.listAuditLog(ctx, args);
    },
    auditActors: (organization, _args, ctx) => {
      requireNamedOrganization(ctx, [organization.id]);
      return audit.listAuditActors(ctx);
    },
  },
  AuditEntry: {
    id: (entry) => String(entry.id),
    fields: (entry) => audit.entryFields(entry.detail),
  },
};
