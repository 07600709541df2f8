import { redirect } from '@sveltejs/kit';
import { SignOutDocument } from '$lib/graphql/__generated__/operations';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals }) => {
  await locals.api.request(SignOutDocument, {});
  redirect(303, '/');
};
