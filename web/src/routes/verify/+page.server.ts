import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The form sends the number as ?number=…; the certificate's own page is /verify/<number> (the QR code's target). */
export const load = (({ url }) => {
  const number = url.searchParams.get('number')?.trim();
  if (number) redirect(303, `/verify/${encodeURIComponent(number)}`);
  return {};
}) satisfies PageServerLoad;
