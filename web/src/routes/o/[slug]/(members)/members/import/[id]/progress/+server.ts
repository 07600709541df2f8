import { error, json } from '@sveltejs/kit';
import { RosterImportProgressDocument } from '$lib/graphql/__generated__/operations';
import { failFile } from '$lib/server/files';
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
    failFile(cause);
  }
};
