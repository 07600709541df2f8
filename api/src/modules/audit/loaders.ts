import type { AuditEntry } from '@qicai/db';
import { requireAdmin } from '../../shared/access.ts';
import type { Loader } from '../../shared/loaders.ts';
import { findAccountNames } from './repository.ts';

/** The actors' names for a page of entries, in one statement. */
const actorName: Loader<AuditEntry, string | null> = async (queries, ctx) => {
  await requireAdmin(ctx);
  const ids = queries.map(({ obj }) => obj.actorAccountId);
  const names = await findAccountNames(ctx.db, [...new Set(ids.filter((id): id is string => id !== null))]);
  return ids.map((id) => (id === null ? null : (names.get(id) ?? null)));
};

export const loaders = { AuditEntry: { actorName } };
