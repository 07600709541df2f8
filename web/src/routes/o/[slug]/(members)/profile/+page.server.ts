import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** "My profile": the viewer's own member page's edit form. */
export const load = (async ({ parent, params }) => {
  const { member } = await parent();
  redirect(303, `/o/${params.slug}/members/${member.id}/edit`);
}) satisfies PageServerLoad;
