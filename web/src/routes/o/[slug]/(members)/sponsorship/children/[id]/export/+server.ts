import { ChildExportDocument } from '$lib/graphql/__generated__/operations';
import { downloadResponse, failFile } from '$lib/server/files';
import type { RequestHandler } from './$types';

/** Everything held about one child, as a JSON file to hand to the guardian. The API audits the export. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
  try {
    const { childExport } = await locals.api.request(ChildExportDocument, { id: params.id }, params.slug);
    return downloadResponse({
      fileName: childExport.fileName,
      contentType: 'application/json; charset=utf-8',
      text: childExport.json,
    });
  } catch (cause) {
    failFile(cause, url.pathname);
  }
};
