import { error, redirect } from '@sveltejs/kit';
import { OrganizationExportFileDocument } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The archive of a finished export. The API checks that the viewer is an admin, and audits the download. */
export const GET: RequestHandler = async ({ locals, params }) => {
  try {
    const { organizationExportFile: file } = await locals.api.request(
      OrganizationExportFileDocument,
      { id: params.id },
      params.slug,
    );
    return new Response(Buffer.from(file.base64, 'base64'), {
      headers: {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename="${file.fileName}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'UNAUTHENTICATED') {
      redirect(303, `/signin?next=${encodeURIComponent(`/o/${params.slug}/export`)}`);
    }
    if (cause instanceof ApiError) {
      const status = cause.code === 'NOT_FOUND' ? 404 : cause.code === 'INVALID_STATE' ? 409 : 403;
      error(status, { message: cause.message, code: cause.code });
    }
    throw cause;
  }
};
