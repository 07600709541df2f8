import { AuditLogDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** The kinds offered by the filter: the actions' prefixes written today. */
const AUDIT_KINDS = [
  'member',
  'roster',
  'service_record',
  'certificate',
  'child',
  'sponsorship',
  'sponsor',
  'activity',
  'request',
  'team',
  'organization',
] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const load = (async ({ locals, params, url }) => {
  const day = (name: string) => {
    const value = url.searchParams.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  const view = {
    actor: url.searchParams.get('actor') ?? '',
    kind: AUDIT_KINDS.find((kind) => kind === url.searchParams.get('kind')) ?? '',
    from: day('from'),
    to: day('to'),
  };
  try {
    const { organization } = await locals.api.request(
      AuditLogDocument,
      {
        first: 50,
        after: url.searchParams.get('after'),
        filter: {
          actorAccountId: view.actor || null,
          kind: view.kind || null,
          from: view.from || null,
          to: view.to || null,
        },
      },
      params.slug,
    );
    if (!organization) throw new Error('organization vanished');
    return { view, kinds: AUDIT_KINDS, actors: organization.auditActors, entries: organization.auditLog };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;
