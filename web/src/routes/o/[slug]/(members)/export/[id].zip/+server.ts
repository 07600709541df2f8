import { OrganizationExportFileDocument } from '$lib/graphql/__generated__/operations';
import { downloadResponse, failFile } from '$lib/server/files';
import type { RequestHandler } from './$types';

/** The archive of a finished export. The API checks that the viewer is an admin, and audits the download. */
export const GET: RequestHandler = async ({ locals, params }) => {
  try {
    const { organizationExportFile } = await locals.api.request(
      OrganizationExportFileDocument,
      { id: params.id },
      params.slug,
    );
    return downloadResponse(organizationExportFile);
  } catch (cause) {
    failFile(cause, `/o/${params.slug}/export`);
  }
};
