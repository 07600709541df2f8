import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/**
 * No such page in an association: a 404 below its layout, so the error page
 * speaks the association's language (an unmatched path would get the root's).
 */
export const load = (() => {
  error(404, { message: 'Not found', code: 'NOT_FOUND' });
}) satisfies PageServerLoad;
