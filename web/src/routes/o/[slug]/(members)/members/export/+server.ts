import { redirect } from '@sveltejs/kit';
import { ExportRosterDocument, type ExportRosterInput } from '$lib/graphql/__generated__/operations';
import { rosterArguments, rosterViewFrom } from '$lib/roster';
import { downloadResponse, failFile } from '$lib/server/files';
import type { RequestHandler } from './$types';

type ExportInput = ExportRosterInput;

/** Downloads the roster as shown (search, filters, order) as .xlsx or .csv. The API checks that the viewer is an admin. */
export const GET: RequestHandler = ({ locals, params, url }) =>
  download(locals, params.slug, {
    format: url.searchParams.get('format') === 'csv' ? 'CSV' : 'XLSX',
    locale: locals.locale,
    ...rosterArguments(rosterViewFrom(url.searchParams)),
  });

/** Downloads the members ticked in the roster table (whatever their status), in the table's order. */
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
  const form = await request.formData();
  const ids = form.getAll('member').filter((value) => typeof value === 'string');
  if (ids.length === 0) redirect(303, `/o/${params.slug}/members${url.search}`);
  const { sort } = rosterArguments(rosterViewFrom(url.searchParams));
  return download(locals, params.slug, {
    format: form.get('format') === 'csv' ? 'CSV' : 'XLSX',
    locale: locals.locale,
    sort,
    filter: { ids, status: 'ALL' },
  });
};

async function download(locals: App.Locals, slug: string, input: ExportInput): Promise<Response> {
  try {
    const { exportRoster } = await locals.api.request(ExportRosterDocument, { input }, slug);
    return downloadResponse(exportRoster);
  } catch (cause) {
    failFile(cause, `/o/${slug}/members`);
  }
}
