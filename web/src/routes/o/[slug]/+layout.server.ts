import { error } from '@sveltejs/kit';
import { OrganizationLayoutDocument } from '$lib/graphql/__generated__/operations';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, params, parent }) => {
  const [{ organization }] = await Promise.all([
    locals.api.request(OrganizationLayoutDocument, {}, params.slug),
    // The root layout has read the account's language into locals by then.
    parent(),
  ]);
  if (!organization) error(404, { message: 'Organization not found', code: 'NOT_FOUND' });
  // An organization's pages speak the person's language (chosen, else their account's), else its own.
  locals.locale = locals.chosenLocale ?? locals.accountLocale ?? organization.defaultLocale;
  return { organization, locale: locals.locale };
}) satisfies LayoutServerLoad;
