import { redirect } from '@sveltejs/kit';
import { SignInDocument } from '$lib/graphql/__generated__/operations';
import { safeNext } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ parent }) => parent()) satisfies PageServerLoad;

export const actions = {
  default: async ({ request, locals, url }) => {
    const values = readForm(await request.formData(), ['login', 'password']);
    let destination: string;
    try {
      const { signIn } = await locals.api.request(SignInDocument, {
        input: { login: values['login'] ?? '', password: values['password'] ?? '' },
      });
      const [only, ...others] = signIn.memberships;
      const [sponsorOf, ...moreSponsorOf] = signIn.sponsorOf;
      // Straight to the person's association when there is just one (or, for a sponsor who is no member, their view).
      destination =
        safeNext(url.searchParams.get('next')) ??
        (only && others.length === 0
          ? `/o/${only.organization.slug}/home`
          : !only && sponsorOf && moreSponsorOf.length === 0
            ? `/o/${sponsorOf.slug}/sponsor`
            : '/');
    } catch (cause) {
      return failForm(cause, { login: values['login'] ?? '' });
    }
    redirect(303, destination);
  },
} satisfies Actions;
