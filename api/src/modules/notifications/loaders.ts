import type { Activity, Notification } from '@qicai/db';
import { requireOrganization } from '../../shared/access.ts';
import type { Loader } from '../../shared/loaders.ts';
import { findActivitiesByIds } from '../activities/repository.ts';

const activity: Loader<Notification, Activity | null> = async (queries, ctx) => {
  const orgId = requireOrganization(ctx).id;
  const ids = [...new Set(queries.flatMap(({ obj }) => (obj.activityId ? [obj.activityId] : [])))];
  const rows = ids.length > 0 ? await ctx.tenant((tx) => findActivitiesByIds(tx, orgId, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  // A notification is the viewer's own, about an activity they signed up for: they may see it.
  return queries.map(({ obj }) => (obj.activityId ? (byId.get(obj.activityId) ?? null) : null));
};

export const loaders = {
  Notification: { activity },
};
