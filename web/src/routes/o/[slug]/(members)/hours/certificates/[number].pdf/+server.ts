import { error, redirect } from '@sveltejs/kit';
import { CertificateFileDocument } from '$lib/graphql/__generated__/operations';
import { ApiError } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** A certificate's PDF, for its member (or an admin): the API checks who asks. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  try {
    const { certificateFile } = await locals.api.request(
      CertificateFileDocument,
      { number: params.number },
      params.slug,
    );
    return new Response(Buffer.from(certificateFile.base64, 'base64'), {
      headers: {
        'content-type': certificateFile.contentType,
        'content-disposition': `attachment; filename="${certificateFile.fileName}"`,
        'cache-control': 'private, no-store',
      },
    });
  } catch (cause) {
    if (cause instanceof ApiError && cause.code === 'UNAUTHENTICATED') {
      redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
    }
    if (cause instanceof ApiError)
      error(cause.code === 'NOT_FOUND' ? 404 : 403, { message: cause.message, code: cause.code });
    throw cause;
  }
};
