import { CertificateFileDocument } from '$lib/graphql/__generated__/operations';
import { downloadResponse, failFile } from '$lib/server/files';
import type { RequestHandler } from './$types';

/** A certificate's PDF, for its member (or an admin): the API checks who asks. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  try {
    const { certificateFile } = await locals.api.request(
      CertificateFileDocument,
      { number: params.number },
      params.slug,
    );
    return downloadResponse(certificateFile);
  } catch (cause) {
    failFile(cause, url.pathname);
  }
};
