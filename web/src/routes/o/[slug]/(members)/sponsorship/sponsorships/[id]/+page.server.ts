import {
  EndSponsorshipDocument,
  PostSponsorshipUpdateDocument,
  RecordSupportDocument,
  RecordVisitDocument,
  SponsorshipPageDocument,
  type SponsorshipEndReason,
} from '$lib/graphql/__generated__/operations';
import { failLoad } from '$lib/server/api';
import { failForm, readForm } from '$lib/server/forms';
import { failFields, fenFromYuan, lifecycleActions } from '$lib/server/sponsorship';
import type { Actions, PageServerLoad } from './$types';

const END_REASONS: readonly string[] = ['CHILD_GREW_UP', 'CHILD_MOVED', 'FAMILY_WITHDREW', 'SPONSOR_WITHDREW', 'OTHER'];

export const load = (async ({ locals, params, url }) => {
  const volunteerSearch = url.searchParams.get('q')?.trim() || null;
  try {
    const { sponsorship, organization } = await locals.api.request(
      SponsorshipPageDocument,
      { id: params.id, volunteerSearch },
      params.slug,
    );
    return {
      sponsorship,
      viewer: organization?.viewerMember ?? null,
      goldTeam: organization?.team ?? null,
      found: volunteerSearch ? (organization?.members.nodes ?? []) : [],
      volunteerSearch,
    };
  } catch (cause) {
    failLoad(cause, url);
  }
}) satisfies PageServerLoad;

export const actions = {
  confirm: lifecycleActions.confirm,
  lapse: lifecycleActions.lapse,
  end: async ({ request, locals, params }) => {
    const values: Record<string, string> = { ...readForm(await request.formData(), ['reason', 'note']), form: 'end' };
    const reason = values['reason'] ?? '';
    if (!END_REASONS.includes(reason)) return failFields(values, { reason: 'REQUIRED' });
    try {
      await locals.api.request(
        EndSponsorshipDocument,
        { input: { id: params.id, reason: reason as SponsorshipEndReason, note: values['note'] ?? '' } },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, values);
    }
    return { done: 'ended' as const };
  },
  support: async ({ request, locals, params }) => {
    const values: Record<string, string> = {
      ...readForm(await request.formData(), ['kind', 'givenOn', 'amount', 'description']),
      form: 'support',
    };
    const kind = values['kind'] === 'GOODS' ? 'GOODS' : 'MONEY';
    const amountFen = fenFromYuan(values['amount'] ?? '');
    if (amountFen === undefined) return failFields(values, { amountFen: 'INVALID_AMOUNT' });
    try {
      await locals.api.request(
        RecordSupportDocument,
        {
          input: {
            sponsorshipId: params.id,
            kind,
            givenOn: values['givenOn'] ?? '',
            amountFen,
            description: values['description'] ?? '',
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, values);
    }
    return { done: 'recorded' as const };
  },
  visit: async ({ request, locals, params }) => {
    const data = await request.formData();
    const volunteerIds = data.getAll('volunteerIds').map(String);
    const values: Record<string, string> = {
      ...readForm(data, ['visitedOn', 'notes']),
      volunteerIds: volunteerIds.join(','),
      form: 'visit',
    };
    try {
      await locals.api.request(
        RecordVisitDocument,
        {
          input: {
            sponsorshipId: params.id,
            visitedOn: values['visitedOn'] ?? '',
            volunteerIds,
            notes: values['notes'] ?? '',
          },
        },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, values);
    }
    return { done: 'recorded' as const };
  },
  update: async ({ request, locals, params }) => {
    const values: Record<string, string> = {
      ...readForm(await request.formData(), ['postedOn', 'body']),
      form: 'update',
    };
    try {
      await locals.api.request(
        PostSponsorshipUpdateDocument,
        { input: { sponsorshipId: params.id, postedOn: values['postedOn'] || null, body: values['body'] ?? '' } },
        params.slug,
      );
    } catch (cause) {
      return failForm(cause, values);
    }
    return { done: 'recorded' as const };
  },
} satisfies Actions;
