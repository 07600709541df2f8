import type { CalendarFeed, Team } from '@qicai/db';
import type { Loader } from '../../shared/loaders.ts';
import { teamsOfOrganization } from '../teams/service.ts';

const team: Loader<CalendarFeed, Team | null> = async (queries, ctx) => {
  const byId = new Map((await teamsOfOrganization(ctx)).map((row) => [row.id, row]));
  return queries.map(({ obj }) => (obj.teamId ? (byId.get(obj.teamId) ?? null) : null));
};

export const loaders = {
  CalendarFeed: { team },
};
