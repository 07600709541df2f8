/**
 * Seed builders for the activities tests: an organization with an admin, a
 * lead of the red team and members, and activities placed relative to now
 * in the organization's time zone.
 */
import { members, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { DEFAULT_TIME_ZONE } from '../src/kernel/time.ts';
import { localTimeIn } from './clock.ts';
import { expectNoErrors, type Client, type GraphQLResponse, type TestApp } from './helper.ts';

/** The test organizations' zone, the default one (localIn reads the wall clock there). */
export const TIME_ZONE = DEFAULT_TIME_ZONE;
/** 岳阳县 town centre, where the test activities take place. */
export const SITE = { latitude: 29.1446, longitude: 113.1287 };

/** A position about `metres` north of the site. */
export function northOfSite(metres: number) {
  return { latitude: SITE.latitude + metres / 111_195, longitude: SITE.longitude };
}

/** Wall time in the organization's zone, `minutes` from the test clock's now (the activities tests' short name). */
export const localIn = localTimeIn;

export const ACTIVITY_FIELDS = `id title status capacity startsAt endsAt startsAtLocal endsAtLocal isPublic requiredSkills
  confirmedCount waitlistCount detached team { colour } series { id } viewerCanManage
  viewerSignUp { id status waitlistPosition }`;

export interface ActivityData {
  id: string;
  title: string;
  status: string;
  capacity: number;
  startsAt: string;
  endsAt: string;
  startsAtLocal: string;
  endsAtLocal: string;
  isPublic: boolean;
  requiredSkills: string[];
  confirmedCount: number;
  waitlistCount: number;
  detached: boolean;
  team: { colour: string };
  series: { id: string } | null;
  viewerCanManage: boolean;
  viewerSignUp: { id: string; status: string; waitlistPosition: number | null } | null;
}

export const CREATE_ACTIVITY = `mutation ($input: ActivityInput!) { createActivity(input: $input) { ${ACTIVITY_FIELDS} } }`;
export const SIGN_UP = `mutation ($id: ID!) { signUp(activityId: $id) { id status waitlistPosition } }`;
export const CANCEL_SIGN_UP = `mutation ($id: ID!) { cancelSignUp(activityId: $id) { id status } }`;
export const CHECK_IN = `mutation ($input: CheckInInput!) {
  checkIn(input: $input) { id checkedInAt checkInMethod checkInDistanceMetres attendance } }`;
export const CHECK_OUT = `mutation ($input: CheckInInput!) {
  checkOut(input: $input) { id checkedOutAt checkOutMethod checkOutDistanceMetres } }`;

export interface ActivityInputFields {
  teamId: string;
  title?: string;
  startsAt?: string;
  endsAt?: string;
  capacity?: number;
  isPublic?: boolean;
  publish?: boolean;
  requiredSkills?: string[];
  recurrence?: Record<string, unknown>;
  category?: string;
}

/** An activity input: tomorrow-ish, at the site, 20 places, published unless said otherwise. */
export function activityInput(fields: ActivityInputFields) {
  return {
    title: '河道清理',
    description: '清理新墙河岸垃圾',
    category: 'ENVIRONMENT',
    placeName: '新墙河大桥',
    latitude: SITE.latitude,
    longitude: SITE.longitude,
    startsAt: localIn(26 * 60),
    endsAt: localIn(28 * 60),
    capacity: 20,
    isPublic: false,
    publish: true,
    ...fields,
  };
}

export async function createActivity(client: Client, fields: ActivityInputFields): Promise<ActivityData> {
  const result = await client.gql<{ createActivity: ActivityData }>(CREATE_ACTIVITY, {
    input: activityInput(fields),
  });
  expectNoErrors(result);
  if (!result.data) throw new Error('no activity');
  return result.data.createActivity;
}

export interface ActivityOrganization {
  orgId: string;
  slug: string;
  teams: Record<string, string>;
  admin: Client;
  /** Leads the red team. */
  lead: Client;
  leadMemberId: string;
  /** Members, in red. */
  members: { client: Client; memberId: string }[];
}

/** Each test file has its own database, so numbers only need to differ within one. */
let nextPhone = 10_000_000;

/** An organization with an admin, a lead of the red team and `memberCount` members. */
export async function activityOrganization(testApp: TestApp, memberCount = 3): Promise<ActivityOrganization> {
  const admin = await testApp.signUp({ displayName: '周管理' });
  const { id: orgId, slug } = await admin.createOrganization();
  const teams = await admin.teams();
  const lead = (await testApp.signUp({ displayName: '李队长' })).in(slug);
  const leadMemberId = await testApp.addMember(orgId, lead, 'LEAD');
  expectNoErrors(
    await admin.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
      input: { teamId: teams['RED'], memberIds: [leadMemberId] },
    }),
  );
  const people: { client: Client; memberId: string }[] = [];
  for (let i = 0; i < memberCount; i++) {
    const client = (await testApp.signUp({ phone: `139${String(nextPhone++).padStart(8, '0')}` })).in(slug);
    people.push({ client, memberId: await testApp.addMember(orgId, client) });
  }
  return { orgId, slug, teams, admin, lead, leadMemberId, members: people };
}

/** Sets a member's skills (the roster's editor comes with the members issue). */
export async function setSkills(testApp: TestApp, orgId: string, memberId: string, skills: string[]): Promise<void> {
  await withTenant(testApp.database.db, { orgId, accountId: null }, (tx) =>
    tx
      .update(members)
      .set({ skills })
      .where(and(eq(members.orgId, orgId), eq(members.id, memberId))),
  );
}

/** The first error's extensions: its code and what else it tells. */
export function errorOf(result: GraphQLResponse<unknown>): Record<string, unknown> | undefined {
  return result.errors?.[0]?.extensions;
}
