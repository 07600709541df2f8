import { error } from '@sveltejs/kit';
import { ChildExportDocument } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** Everything held about one child, as a JSON file to hand to the guardian. The API audits the export. */
export const GET: RequestHandler = async ({ locals, params }) => {
  try {
    const { childExport } = await locals.api.request(ChildExportDocument, { id: params.id }, params.slug);
    return new Response(childExport.json, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'content-disposition': `attachment; filename="${childExport.fileName}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (cause) {
    if (cause instanceof ApiError && ['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED'].includes(cause.code)) {
      error(cause.code === 'NOT_FOUND' ? 404 : 403, { message: cause.message, code: cause.code });
    }
    throw cause;
  }
};
