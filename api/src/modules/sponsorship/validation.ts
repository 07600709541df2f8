/**
 * What admins type about children and sponsors: trimmed, normalized, and
 * checked field by field so a form can show every problem at once.
 */
import type { ChildCircumstance, Gender, SponsorKind } from '@qicai/db';
import { FieldChecker } from '../../shared/errors.ts';
import { isEmail, MAINLAND_MOBILE, normalizeEmail, normalizePhone } from '../people/validation.ts';
import { ageOn } from './dates.ts';
import type { ChildValues, SponsorValues } from './repository.ts';
import { isLocalDate } from '../../kernel/time.ts';

/** A mainland mobile number, or a landline with its area code (0730-1234567). */
const LANDLINE = /^0\d{2,3}-?\d{7,8}$/;

export function isPhone(phone: string): boolean {
  return MAINLAND_MOBILE.test(phone) || LANDLINE.test(phone);
}

/** A child is a minor: under 18 on the day they are registered. */
export const ADULT_AGE = 18;

export const LIMITS = {
  familyName: 10,
  givenName: 20,
  place: 40,
  school: 60,
  circumstanceNote: 200,
  needs: 500,
  guardianName: 30,
  guardianRelation: 20,
  consentTextVersion: 40,
  sponsorName: 80,
  contactName: 40,
  pledgedGoods: 200,
  sponsorNotes: 1000,
  preferredTownships: 20,
  childrenOffered: 100,
  /** 1,000,000 yuan a month. */
  monthlyPledgeFen: 100_000_000,
  /** 100,000 yuan at a time. */
  supportAmountFen: 10_000_000,
  supportDescription: 200,
  visitNotes: 2000,
  visitVolunteers: 20,
  updateBody: 2000,
  endNote: 500,
} as const;

/** Trims a text; an empty one becomes null. */
export function optionalText(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

export interface ChildPersonalInput {
  familyName: string;
  givenName: string;
  gender?: Gender | null | undefined;
  dateOfBirth: string;
  township: string;
  village: string;
  school?: string | null | undefined;
  grade?: number | null | undefined;
  circumstances: ChildCircumstance[];
  circumstanceNote?: string | null | undefined;
  needs: string;
  guardianName: string;
  guardianRelation: string;
  guardianPhone: string;
}

export interface GuardianConsentInput {
  givenOn: string;
  textVersion: string;
}

export type ChildPersonalValues = Pick<
  ChildValues,
  | 'familyName'
  | 'givenName'
  | 'gender'
  | 'dateOfBirth'
  | 'township'
  | 'village'
  | 'school'
  | 'grade'
  | 'circumstances'
  | 'circumstanceNote'
  | 'needs'
  | 'guardianName'
  | 'guardianRelation'
  | 'guardianPhone'
>;

/** Checks a child's personal fields; field errors are keyed `personal.<field>`. */
export function checkChildPersonal(
  checker: FieldChecker,
  input: ChildPersonalInput,
  today: string,
): ChildPersonalValues {
  const values = {
    familyName: input.familyName.trim(),
    givenName: input.givenName.trim(),
    // Only read once the checker has passed: a missing gender is refused below.
    gender: input.gender ?? 'FEMALE',
    dateOfBirth: input.dateOfBirth,
    township: input.township.trim(),
    village: input.village.trim(),
    school: optionalText(input.school),
    grade: input.grade ?? null,
    circumstances: [...new Set(input.circumstances)],
    circumstanceNote: optionalText(input.circumstanceNote),
    needs: input.needs.trim(),
    guardianName: input.guardianName.trim(),
    guardianRelation: input.guardianRelation.trim(),
    guardianPhone: normalizePhone(input.guardianPhone),
  };
  const required = (field: keyof typeof values, value: string, max: number) =>
    checker
      .check(value.length > 0, `personal.${field}`, 'REQUIRED')
      .check(value.length <= max, `personal.${field}`, 'TOO_LONG');
  required('familyName', values.familyName, LIMITS.familyName);
  required('givenName', values.givenName, LIMITS.givenName);
  required('township', values.township, LIMITS.place);
  required('village', values.village, LIMITS.place);
  required('needs', values.needs, LIMITS.needs);
  required('guardianName', values.guardianName, LIMITS.guardianName);
  required('guardianRelation', values.guardianRelation, LIMITS.guardianRelation);
  const born = isLocalDate(values.dateOfBirth);
  checker
    .check(input.gender !== null && input.gender !== undefined, 'personal.gender', 'REQUIRED')
    .check(values.dateOfBirth !== '', 'personal.dateOfBirth', 'REQUIRED')
    .check(born, 'personal.dateOfBirth', 'INVALID_DATE')
    .check(!born || values.dateOfBirth <= today, 'personal.dateOfBirth', 'IN_FUTURE')
    .check(!born || ageOn(values.dateOfBirth, today) < ADULT_AGE, 'personal.dateOfBirth', 'NOT_A_MINOR')
    .check((values.school?.length ?? 0) <= LIMITS.school, 'personal.school', 'TOO_LONG')
    .check(
      values.grade === null || (Number.isInteger(values.grade) && values.grade >= 0 && values.grade <= 12),
      'personal.grade',
      'OUT_OF_RANGE',
    )
    .check(values.circumstances.length > 0, 'personal.circumstances', 'REQUIRED')
    .check(
      !values.circumstances.includes('OTHER') || values.circumstanceNote !== null,
      'personal.circumstanceNote',
      'REQUIRED',
    )
    .check((values.circumstanceNote?.length ?? 0) <= LIMITS.circumstanceNote, 'personal.circumstanceNote', 'TOO_LONG')
    .check(values.guardianPhone.length > 0, 'personal.guardianPhone', 'REQUIRED')
    .check(
      values.guardianPhone.length === 0 || isPhone(values.guardianPhone),
      'personal.guardianPhone',
      'INVALID_PHONE',
    );
  return values;
}

/** Checks a guardian's consent; field errors are keyed `consent.<field>`. */
export function checkConsent(
  checker: FieldChecker,
  input: GuardianConsentInput,
  today: string,
): { consentGivenOn: string; consentTextVersion: string } {
  const textVersion = input.textVersion.trim();
  const valid = isLocalDate(input.givenOn);
  checker
    .check(input.givenOn !== '', 'consent.givenOn', 'REQUIRED')
    .check(valid, 'consent.givenOn', 'INVALID_DATE')
    .check(!valid || input.givenOn <= today, 'consent.givenOn', 'IN_FUTURE')
    .check(textVersion.length > 0, 'consent.textVersion', 'REQUIRED')
    .check(textVersion.length <= LIMITS.consentTextVersion, 'consent.textVersion', 'TOO_LONG');
  return { consentGivenOn: input.givenOn, consentTextVersion: textVersion };
}

export interface SponsorInput {
  kind: SponsorKind;
  name: string;
  contactName?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  township?: string | null | undefined;
  memberId?: string | null | undefined;
  preferredTownships?: string[] | null | undefined;
  preferredAgeMin?: number | null | undefined;
  preferredAgeMax?: number | null | undefined;
  preferredGender?: Gender | null | undefined;
  prefersGreatestNeed?: boolean | null | undefined;
  childrenOffered?: number | null | undefined;
  monthlyPledgeFen?: number | null | undefined;
  pledgedGoods?: string | null | undefined;
  notes?: string | null | undefined;
  active?: boolean | null | undefined;
}

export type CheckedSponsor = Omit<SponsorValues, 'accountId' | 'invitationCodeHash' | 'invitationExpiresAt'> & {
  memberId: string | null;
};

/** Checks a sponsor as typed; field errors are keyed by the input's field names. */
export function checkSponsor(input: SponsorInput): CheckedSponsor {
  const phoneText = optionalText(input.phone);
  const phone = phoneText === null ? null : normalizePhone(phoneText);
  const emailText = optionalText(input.email);
  const email = emailText === null ? null : normalizeEmail(emailText);
  const values: CheckedSponsor = {
    kind: input.kind,
    name: input.name.trim(),
    contactName: optionalText(input.contactName),
    phone,
    email,
    township: optionalText(input.township),
    memberId: input.memberId ?? null,
    preferredTownships: [...new Set((input.preferredTownships ?? []).map((township) => township.trim()))].filter(
      (township) => township.length > 0,
    ),
    preferredAgeMin: input.preferredAgeMin ?? null,
    preferredAgeMax: input.preferredAgeMax ?? null,
    preferredGender: input.preferredGender ?? null,
    prefersGreatestNeed: input.prefersGreatestNeed ?? false,
    childrenOffered: input.childrenOffered ?? 1,
    monthlyPledgeFen: input.monthlyPledgeFen ?? null,
    pledgedGoods: optionalText(input.pledgedGoods),
    notes: optionalText(input.notes),
    active: input.active ?? true,
  };
  const ageInRange = (age: number | null | undefined) =>
    age === null || age === undefined || (Number.isInteger(age) && age >= 0 && age < ADULT_AGE);
  new FieldChecker()
    .check(values.name.length > 0, 'name', 'REQUIRED')
    .check(values.name.length <= LIMITS.sponsorName, 'name', 'TOO_LONG')
    .check((values.contactName?.length ?? 0) <= LIMITS.contactName, 'contactName', 'TOO_LONG')
    .check(phone === null || isPhone(phone), 'phone', 'INVALID_PHONE')
    .check(email === null || isEmail(email), 'email', 'INVALID_EMAIL')
    .check((values.township?.length ?? 0) <= LIMITS.place, 'township', 'TOO_LONG')
    .check(values.memberId === null || values.kind === 'INDIVIDUAL', 'memberId', 'NOT_INDIVIDUAL')
    .check(
      (values.preferredTownships?.length ?? 0) <= LIMITS.preferredTownships,
      'preferredTownships',
      'TOO_MANY_TOWNSHIPS',
    )
    .check(
      (values.preferredTownships ?? []).every((township) => township.length <= LIMITS.place),
      'preferredTownships',
      'TOO_LONG',
    )
    .check(ageInRange(values.preferredAgeMin), 'preferredAgeMin', 'OUT_OF_RANGE')
    .check(ageInRange(values.preferredAgeMax), 'preferredAgeMax', 'OUT_OF_RANGE')
    .check(
      values.preferredAgeMin === null ||
        values.preferredAgeMax === null ||
        values.preferredAgeMin === undefined ||
        values.preferredAgeMax === undefined ||
        values.preferredAgeMin <= values.preferredAgeMax,
      'preferredAgeMax',
      'BELOW_MINIMUM',
    )
    .check(
      Number.isInteger(values.childrenOffered) &&
        (values.childrenOffered ?? 0) >= 1 &&
        (values.childrenOffered ?? 0) <= LIMITS.childrenOffered,
      'childrenOffered',
      'OUT_OF_RANGE',
    )
    .check(
      values.monthlyPledgeFen === null ||
        values.monthlyPledgeFen === undefined ||
        (Number.isInteger(values.monthlyPledgeFen) &&
          values.monthlyPledgeFen > 0 &&
          values.monthlyPledgeFen <= LIMITS.monthlyPledgeFen),
      'monthlyPledgeFen',
      'OUT_OF_RANGE',
    )
    .check((values.pledgedGoods?.length ?? 0) <= LIMITS.pledgedGoods, 'pledgedGoods', 'TOO_LONG')
    .check((values.notes?.length ?? 0) <= LIMITS.sponsorNotes, 'notes', 'TOO_LONG')
    .throwIfAny();
  return values;
}
