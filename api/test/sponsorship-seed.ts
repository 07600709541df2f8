/**
 * Seed builders for the sponsorship tests: an organization with its admin,
 * children registered and sponsors created through the API.
 */
import { expect } from 'vitest';
import { expectNoErrors, type Client, type TestApp } from './helper.ts';
import { testClock } from './clock.ts';

export interface ChildFields {
  familyName?: string;
  givenName?: string;
  gender?: 'FEMALE' | 'MALE';
  dateOfBirth?: string;
  township?: string;
  village?: string;
  school?: string | null;
  grade?: number | null;
  circumstances?: string[];
  circumstanceNote?: string | null;
  needs?: string;
  guardianName?: string;
  guardianRelation?: string;
  guardianPhone?: string;
}

export interface SponsorFields {
  kind?: 'INDIVIDUAL' | 'PARTY_ORGANIZATION' | 'COMPANY' | 'OTHER_ORGANIZATION';
  name?: string;
  township?: string | null;
  memberId?: string | null;
  preferredTownships?: string[];
  preferredAgeMin?: number | null;
  preferredAgeMax?: number | null;
  preferredGender?: 'FEMALE' | 'MALE' | null;
  prefersGreatestNeed?: boolean;
  childrenOffered?: number;
  monthlyPledgeFen?: number | null;
  pledgedGoods?: string | null;
  phone?: string | null;
  active?: boolean;
}

/** A date of birth giving this age today (UTC; the tests' organizations use Asia/Shanghai, so keep away from birthdays). */
export function bornYearsAgo(years: number, daysEarlier = 40): string {
  const date = testClock.now();
  date.setUTCFullYear(date.getUTCFullYear() - years);
  date.setUTCDate(date.getUTCDate() - daysEarlier);
  return date.toISOString().slice(0, 10);
}

let counter = 0;

export function childInput(fields: ChildFields = {}) {
  counter++;
  return {
    familyName: '李',
    givenName: `小雨${counter}`,
    gender: 'FEMALE',
    dateOfBirth: bornYearsAgo(9),
    township: '新墙镇',
    village: '青山村',
    school: '新墙镇中心小学',
    grade: 3,
    circumstances: ['LEFT_BEHIND'],
    circumstanceNote: null,
    needs: '学习用品和冬衣',
    guardianName: '李奶奶',
    guardianRelation: '祖母',
    guardianPhone: '13900000000',
    ...fields,
  };
}

export const CONSENT = { givenOn: '2026-01-05', textVersion: 'v1' };

export const CHILD_FIELDS = `id status deletedAt personal { familyName givenName fullName gender dateOfBirth age township village school grade circumstances circumstanceNote needs guardianName guardianRelation guardianPhone }`;

export async function registerChild(admin: Client, fields: ChildFields = {}): Promise<string> {
  const result = await admin.gql<{ registerChild: { id: string } }>(
    `mutation ($input: RegisterChildInput!) { registerChild(input: $input) { id } }`,
    { input: { personal: childInput(fields), consent: CONSENT } },
  );
  expectNoErrors(result);
  const id = result.data?.registerChild.id;
  if (!id) throw new Error('no child');
  return id;
}

export async function createSponsor(admin: Client, fields: SponsorFields = {}): Promise<string> {
  counter++;
  const result = await admin.gql<{ createSponsor: { id: string } }>(
    `mutation ($input: SponsorInput!) { createSponsor(input: $input) { id } }`,
    { input: { kind: 'PARTY_ORGANIZATION', name: `测试党支部${counter}`, ...fields } },
  );
  expectNoErrors(result);
  const id = result.data?.createSponsor.id;
  if (!id) throw new Error('no sponsor');
  return id;
}

export const PROPOSE = `mutation ($childId: ID!, $sponsorId: ID!) { proposeSponsorship(childId: $childId, sponsorId: $sponsorId) { id status } }`;
export const CONFIRM = `mutation ($id: ID!) { confirmSponsorship(id: $id) { id status } }`;

export async function propose(admin: Client, childId: string, sponsorId: string): Promise<string> {
  const result = await admin.gql<{ proposeSponsorship: { id: string } }>(PROPOSE, { childId, sponsorId });
  expectNoErrors(result);
  return result.data?.proposeSponsorship.id ?? '';
}

export async function confirm(admin: Client, sponsorshipId: string): Promise<void> {
  const result = await admin.gql<{ confirmSponsorship: { status: string } }>(CONFIRM, { id: sponsorshipId });
  expectNoErrors(result);
  expect(result.data?.confirmSponsorship.status).toBe('ACTIVE');
}

/** Proposes and confirms: an active sponsorship. */
export async function sponsor(admin: Client, childId: string, sponsorId: string): Promise<string> {
  const id = await propose(admin, childId, sponsorId);
  await confirm(admin, id);
  return id;
}

export interface SponsorshipOrg {
  admin: Client;
  orgId: string;
  slug: string;
  adminMemberId: string;
}

/** An organization whose first admin is `admin`, and that admin's member id. */
export async function sponsorshipOrganization(testApp: TestApp, name = '岳阳测试协会'): Promise<SponsorshipOrg> {
  const admin = await testApp.signUp({ displayName: '管理员' });
  const organization = await admin.createOrganization(name);
  const viewer = await admin.gql<{ organization: { viewerMember: { id: string } } }>(
    `{ organization { viewerMember { id } } }`,
  );
  expectNoErrors(viewer);
  return {
    admin,
    orgId: organization.id,
    slug: organization.slug,
    adminMemberId: viewer.data?.organization.viewerMember.id ?? '',
  };
}

/** Links a signed-in account to a sponsor the way a sponsor does: the admin invites, the sponsor claims. */
export async function linkSponsorAccount(admin: Client, sponsorId: string, sponsorClient: Client): Promise<void> {
  const invitation = await admin.gql<{ inviteSponsorAccount: { code: string } }>(
    `mutation ($id: ID!) { inviteSponsorAccount(sponsorId: $id) { code } }`,
    { id: sponsorId },
  );
  expectNoErrors(invitation);
  const claimed = await sponsorClient
    .in(admin.org)
    .gql(`mutation ($code: String!) { claimSponsorInvitation(code: $code) { sponsor { name } } }`, {
      code: invitation.data?.inviteSponsorAccount.code,
    });
  expectNoErrors(claimed);
}

/** Every string value anywhere in a response. */
export function stringsIn(result: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(result);
  return found;
}
