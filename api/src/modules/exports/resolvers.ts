import type { Resolvers } from '../../__generated__/resolvers.ts';
import { requireId } from '../members/ids.ts';
import * as exports from './service.ts';

export const resolvers: Resolvers = {
  Query: {
    organizationExports: (_root, _args, ctx) => exports.listExports(ctx),
    organizationExport: (_root, { id }, ctx) => exports.getExport(ctx, requireId(id, 'Export')),
    organizationExportFile: (_root, { id }, ctx) => exports.exportArchiveFile(ctx, requireId(id, 'Export')),
  },
  Mutation: {
    startOrganizationExport: (_root, { input }, ctx) => exports.startOrganizationExport(ctx, input),
  },
};
