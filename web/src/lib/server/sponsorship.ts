/**
 * What several sponsorship pages share on the server: the lifecycle actions
 * (propose, confirm, let lapse) and reading the child and sponsor forms into
 * the API's inputs.
 */
import { fail, type RequestEvent } from '@sveltejs/kit';
import {
  ConfirmSponsorshipDocument,
  LapseSponsorshipDocument,
  ProposeSponsorshipDocument,
  type ChildCircumstance,
  type ChildPersonalInput,
  type Gender,
  type SponsorInput,
  type SponsorKind,
} from '$lib/graphql/__generated__/operations';
import { failForm, formText, readForm } from './forms';

type Event = Pick<RequestEvent, 'request' | 'locals' | 'params'>;

/** The actions every page listing proposals or suggestions offers. */
export const lifecycleActions = {
  propose: async ({ request, locals, params }: Event) => {
    const data = await request.formData();
    try {
      await locals.api.request(
        ProposeSponsorshipDocument,
        { childId: formText(data, 'childId'), sponsorId: formText(data, 'sponsorId') },
        params['slug'],
      );
    } catch (cause) {
      return failForm(cause, { childId: formText(data, 'childId'), sponsorId: formText(data, 'sponsorId') });
    }
    return { done: 'proposed' as const };
  },
  confirm: async ({ request, locals, params }: Event) => {
    const id = formText(await request.formData(), 'sponsorshipId');
    try {
      await locals.api.request(ConfirmSponsorshipDocument, { id }, params['slug']);
    } catch (cause) {
      return failForm(cause, { sponsorshipId: id });
    }
    return { done: 'confirmed' as const };
  },
  lapse: async ({ request, locals, params }: Event) => {
    const id = formText(await request.formData(), 'sponsorshipId');
    try {
      await locals.api.request(LapseSponsorshipDocument, { id }, params['slug']);
    } catch (cause) {
      return failForm(cause, { sponsorshipId: id });
    }
    return { done: 'lapsed' as const };
  },
};

const GENDERS: readonly string[] = ['FEMALE', 'MALE'];
const CIRCUMSTANCE_VALUES: readonly string[] = ['LEFT_BEHIND', 'POVERTY', 'DISABILITY', 'ORPHANED', 'OTHER'];
const SPONSOR_KINDS: readonly string[] = ['INDIVIDUAL', 'PARTY_ORGANIZATION', 'COMPANY', 'OTHER_ORGANIZATION'];

export const CHILD_FORM_FIELDS = [
  'familyName',
  'givenName',
  'gender',
  'dateOfBirth',
  'township',
  'village',
  'school',
  'grade',
  'circumstanceNote',
  'needs',
  'guardianName',
  'guardianRelation',
  'guardianPhone',
  'consentGivenOn',
  'consentTextVersion',
] as const;

function isGender(value: string): value is Gender {
  return GENDERS.includes(value);
}

function isCircumstance(value: string): value is ChildCircumstance {
  return CIRCUMSTANCE_VALUES.includes(value);
}

export function isSponsorKind(value: string): value is SponsorKind {
  return SPONSOR_KINDS.includes(value);
}

/** A whole number typed in a form, or null when empty; undefined when it is not one. */
function wholeNumber(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** Yuan as typed (300, 12.5) in fen; null when empty; undefined when it is not an amount. */
export function fenFromYuan(text: string): number | null | undefined {
  const trimmed = text.trim().replace(/^¥/, '');
  if (trimmed === '') return null;
  return /^\d{1,9}(\.\d{1,2})?$/.test(trimmed) ? Math.round(Number(trimmed) * 100) : undefined;
}

/** The child form as the API's input; the API says what is wrong with it. */
export function readChildForm(data: FormData) {
  const values = readForm(data, CHILD_FORM_FIELDS);
  const circumstances = data.getAll('circumstances').map(String).filter(isCircumstance);
  const gender = values['gender'] ?? '';
  const grade = values['grade'] ?? '';
  const personal: ChildPersonalInput = {
    familyName: values['familyName'] ?? '',
    givenName: values['givenName'] ?? '',
    gender: isGender(gender) ? gender : null,
    dateOfBirth: values['dateOfBirth'] ?? '',
    township: values['township'] ?? '',
    village: values['village'] ?? '',
    school: values['school'] ?? '',
    // The form offers a list of grades; anything else is left out.
    grade: /^\d{1,2}$/.test(grade) ? Number(grade) : null,
    circumstances,
    circumstanceNote: values['circumstanceNote'] ?? '',
    needs: values['needs'] ?? '',
    guardianName: values['guardianName'] ?? '',
    guardianRelation: values['guardianRelation'] ?? '',
    guardianPhone: values['guardianPhone'] ?? '',
  };
  const consent = { givenOn: values['consentGivenOn'] ?? '', textVersion: values['consentTextVersion'] ?? '' };
  return { personal, consent, values: { ...values, circumstances: circumstances.join(',') } };
}

export const SPONSOR_FORM_FIELDS = [
  'kind',
  'name',
  'contactName',
  'phone',
  'email',
  'township',
  'memberId',
  'preferredTownships',
  'preferredAgeMin',
  'preferredAgeMax',
  'preferredGender',
  'childrenOffered',
  'monthlyPledge',
  'pledgedGoods',
  'notes',
] as const;

/** The sponsor form as the API's input, with what the API's types cannot carry reported as field errors. */
export function readSponsorForm(data: FormData) {
  const values = readForm(data, SPONSOR_FORM_FIELDS);
  const greatestNeed = data.get('prefersGreatestNeed') === 'on';
  const active = data.get('active') === 'on';
  const missing: Record<string, string> = {};
  const kind = values['kind'] ?? '';
  if (!isSponsorKind(kind)) missing['kind'] = 'REQUIRED';
  const number = (field: string) => {
    const value = wholeNumber(values[field] ?? '');
    if (value === undefined) missing[field] = 'OUT_OF_RANGE';
    return value ?? null;
  };
  const monthlyPledgeFen = fenFromYuan(values['monthlyPledge'] ?? '');
  if (monthlyPledgeFen === undefined) missing['monthlyPledgeFen'] = 'INVALID_AMOUNT';
  const gender = values['preferredGender'] ?? '';
  const input: SponsorInput = {
    kind: isSponsorKind(kind) ? kind : 'INDIVIDUAL',
    name: values['name'] ?? '',
    contactName: values['contactName'] ?? '',
    phone: values['phone'] ?? '',
    email: values['email'] ?? '',
    township: values['township'] ?? '',
    memberId: values['memberId'] || null,
    preferredTownships: (values['preferredTownships'] ?? '').split(/[,，、;；\s]+/).filter(Boolean),
    preferredAgeMin: number('preferredAgeMin'),
    preferredAgeMax: number('preferredAgeMax'),
    preferredGender: isGender(gender) ? gender : null,
    prefersGreatestNeed: greatestNeed,
    childrenOffered: number('childrenOffered') ?? 1,
    monthlyPledgeFen: monthlyPledgeFen ?? null,
    pledgedGoods: values['pledgedGoods'] ?? '',
    notes: values['notes'] ?? '',
    active,
  };
  return {
    input,
    values: { ...values, prefersGreatestNeed: greatestNeed ? 'on' : '', active: active ? 'on' : '' },
    missing,
  };
}

/** A refusal found before asking the API: the form comes back with the values kept. */
export function failFields(values: Record<string, string>, fields: Record<string, string>) {
  return fail(400, { values, fields, code: 'VALIDATION' });
}
