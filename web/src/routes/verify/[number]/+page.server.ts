import { redirect } from '@sveltejs/kit';
import { VerifyCertificateDocument } from '$lib/graphql/__generated__/operations';
import type { PageServerLoad } from './$types';

/** Public: anyone checks a certificate, signed in or not, with no organization named. */
export const load = (async ({ locals, params, setHeaders }) => {
  const { verifyCertificate } = await locals.api.request(VerifyCertificateDocument, { number: params.number });
  // A number typed loosely (lower case, spaces) moves to its printed form.
  if (verifyCertificate && verifyCertificate.number !== params.number) {
    redirect(301, `/verify/${encodeURIComponent(verifyCertificate.number)}`);
  }
  setHeaders({ 'cache-control': 'no-store' });
  return { number: params.number, certificate: verifyCertificate };
}) satisfies PageServerLoad;
