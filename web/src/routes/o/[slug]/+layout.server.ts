import { error } from '@sveltejs/kit';
import { OrganizationLayoutDocument } from '$lib/graphql/__generated__/operations';
import type { LayoutServerLoad } from './$types';

export const load = (async ({ locals, params }) => {
  const { organization } = await locals.api.request(OrganizationLayoutDocument, {}, params.slug);
  if (!organization) error(404, { message: 'Organization not found', code: 'NOT_FOUND' });
  // An organization's pages speak its language unless the person chose another.
  locals.locale = locals.chosenLocale ?? organization.defaultLocale;
  return { organization, locale: locals.locale };
}) satisfies LayoutServerLoad;
