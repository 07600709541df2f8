/**
 * The member profile form (components/MemberForm.svelte) as API input:
 * empty optional fields are cleared, skills are sent as typed (the API splits
 * them on 、 , ;). Members send only what they may change of their own profile.
 */
import type { Gender } from '$lib/graphql/__generated__/operations';
import { isPartyStage, isPoliticalStatus } from '$lib/roster';
import { readForm } from './forms';

const FIELDS = [
  'displayName',
  'phone',
  'email',
  'gender',
  'workUnit',
  'skills',
  'politicalStatus',
  'partyStage',
  'joinedOn',
] as const;

export interface MemberForm {
  /** What was typed, to show again after an error (teamIds joined by commas). */
  values: Record<string, string>;
  teamIds: string[];
}

export function readMemberForm(data: FormData): MemberForm {
  const values = readForm(data, FIELDS);
  const teamIds = data.getAll('teamIds').filter((value): value is string => typeof value === 'string');
  return { values: { ...values, teamIds: teamIds.join(',') }, teamIds };
}

function gender(text: string | undefined): Gender | null {
  return text === 'MALE' || text === 'FEMALE' ? text : null;
}

/** The fields every member may set on their own profile. */
export function ownProfileInput(form: MemberForm) {
  const { values } = form;
  return {
    displayName: values['displayName'] ?? '',
    phone: values['phone'] || null,
    email: values['email'] || null,
    gender: gender(values['gender']),
    workUnit: values['workUnit'] || null,
    skills: values['skills'] ? [values['skills']] : [],
  };
}

/** Everything, as an admin sets it. */
export function fullProfileInput(form: MemberForm) {
  return {
    ...ownProfileInput(form),
    politicalStatus: isPoliticalStatus(form.values['politicalStatus']) ? form.values['politicalStatus'] : null,
    // "None" clears the stage; the API refuses one beside a party member's status.
    partyStage: isPartyStage(form.values['partyStage']) ? form.values['partyStage'] : null,
    joinedOn: form.values['joinedOn'] || null,
    teamIds: form.teamIds,
  };
}
