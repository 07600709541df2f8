import { error, redirect } from '@sveltejs/kit';
import {
  ApplyRosterImportDocument,
  RosterImportPageDocument,
  type RosterImportOutcome,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const SHOWN: Record<string, RosterImportOutcome[] | null> = {
  rejected: ['REJECT'],
  changes: ['CREATE', 'UPDATE'],
  all: null,
};

export const load = (async ({ locals, params, url, parent }) => {
  const { organization: layout } = await parent();
  if (!layout.viewerIsAdmin) error(403, { message: 'Admins only', code: 'FORBIDDEN' });
  const after = Number(url.searchParams.get('after') ?? '0');
  try {
    const first = await locals.api.request(
      RosterImportPageDocument,
      { id: params.id, outcomes: null, after: 0 },
      params.slug,
    );
    const summary = first.organization?.rosterImport;
    if (!summary) error(404, { message: 'Import not found', code: 'NOT_FOUND' });
    // Rejected rows first when there are any: they are what the admin has to look at.
    const requested = url.searchParams.get('show');
    const show = requested && requested in SHOWN ? requested : summary.rejectCount > 0 ? 'rejected' : 'changes';
    const { organization } = await locals.api.request(
      RosterImportPageDocument,
      { id: params.id, outcomes: SHOWN[show] ?? null, after: Number.isInteger(after) && after > 0 ? after : null },
      params.slug,
    );
    if (!organization) error(404, { message: 'Import not found', code: 'NOT_FOUND' });
    return { rosterImport: organization.rosterImport, show };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  /** Runs the import's one transaction; the page polls ./progress meanwhile. */
  default: async ({ locals, params }) => {
    try {
      await locals.api.request(ApplyRosterImportDocument, { id: params.id }, params.slug);
    } catch (cause) {
      return failForm(cause, {});
    }
    redirect(303, `/o/${params.slug}/members/import/${params.id}`);
  },
} satisfies Actions;
