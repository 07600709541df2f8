import { error, json } from '@sveltejs/kit';
import { RosterImportProgressDocument } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** How far an import's apply has got, for the preview page to show while it runs. */
export const GET: RequestHandler = async ({ locals, params }) => {
  try {
    const { organization } = await locals.api.request(RosterImportProgressDocument, { id: params.id }, params.slug);
    const progress = organization?.rosterImport;
    if (!progress) error(404, { message: 'Import not found', code: 'NOT_FOUND' });
    return json(
      {
        status: progress.status,
        done: progress.progressDone,
        total: progress.createCount + progress.updateCount,
      },
      { headers: { 'cache-control': 'no-store' } },
    );
  } catch (cause) {
    if (cause instanceof ApiError)
      error(cause.code === 'NOT_FOUND' ? 404 : 403, { message: cause.message, code: cause.code });
    throw cause;
  }
};
