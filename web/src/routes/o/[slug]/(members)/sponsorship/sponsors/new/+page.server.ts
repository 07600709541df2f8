import { redirect } from '@sveltejs/kit';
import { CreateSponsorDocument, MemberSearchDocument } from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm } from '$lib/server/forms';
import { failFields, readSponsorForm } from '$lib/server/sponsorship';
import type { Actions, PageServerLoad } from './$types';

export const load = (async ({ locals, params, url }) => {
  const search = url.searchParams.get('q')?.trim() || null;
  try {
    const { organization } = await locals.api.request(MemberSearchDocument, { search }, params.slug);
    return { members: search ? (organization?.members.nodes ?? []) : [], search };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, params }) => {
    const { input, values, missing } = readSponsorForm(await request.formData());
    if (Object.keys(missing).length > 0) return failFields(values, missing);
    let id: string;
    try {
      const { createSponsor } = await locals.api.request(CreateSponsorDocument, { input }, params.slug);
      id = createSponsor.id;
    } catch (cause) {
      return failForm(cause, values);
    }
    redirect(303, `/o/${params.slug}/sponsorship/sponsors/${id}?saved=1`);
  },
} satisfies Actions;
