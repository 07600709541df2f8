/**
 * Seed builders for the requests tests: an organization with an admin, a
 * lead of the red team (from the activities seed) and a lead of the green
 * team, and requests submitted through the public form.
 */
import { helpRequests, requestHistory, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import { activityOrganization, type ActivityOrganization } from './activities-seed.ts';
import { expectNoErrors, type Client, type TestApp } from './helper.ts';

export interface RequestsOrganization extends ActivityOrganization {
  /** Leads the green team. */
  greenLead: Client;
  adminAccountId: string;
}

export async function requestsOrganization(testApp: TestApp): Promise<RequestsOrganization> {
  const org = await activityOrganization(testApp, 1);
  const greenLead = (await testApp.signUp({ displayName: '绿队长' })).in(org.slug);
  const greenLeadMemberId = await testApp.addMember(org.orgId, greenLead, 'LEAD');
  expectNoErrors(
    await org.admin.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
      input: { teamId: org.teams['GREEN'], memberIds: [greenLeadMemberId] },
    }),
  );
  if (!org.admin.accountId) throw new Error('admin not signed in');
  return { ...org, greenLead, adminAccountId: org.admin.accountId };
}

let nextAddress = 1;

/** A client of the public: no session, connecting from an address of its own. */
export function publicClient(testApp: TestApp, slug: string, address = `198.51.100.${nextAddress++}`) {
  const client = testApp.anonymous(slug);
  return {
    address,
    gql: <Data>(query: string, variables: Record<string, unknown> = {}) =>
      client.gql<Data>(query, variables, {}, address),
  };
}

export const SUBMIT = `mutation ($input: SubmitRequestInput!) { submitRequest(input: $input) { trackingCode status } }`;

export function requestInput(fields: Record<string, unknown> = {}) {
  return {
    category: 'HEALTH',
    place: '荣家湾镇新墙村三组',
    description: '独居老人腿脚不便，希望有医生上门量血压。',
    contactPhone: '13912345678',
    consentToContact: true,
    ...fields,
  };
}

export const STATUS = `query ($code: String!) { requestStatus(code: $code) {
  trackingCode category status submittedAt updatedAt dueOn closedAt declineReason feedback
  history { fromStatus toStatus at } } }`;

export const REQUEST_FIELDS = `id trackingCode category place description contactPhone status dueOn overdue
  declineReason feedback submittedAt closedAt viewerCanTriage viewerCanWork
  team { id colour } suggestedTeam { colour } activity { id title team { colour } }
  history { fromStatus toStatus actorName note at }`;

export interface RequestData {
  id: string;
  trackingCode: string;
  category: string;
  status: string;
  dueOn: string | null;
  overdue: boolean;
  declineReason: string | null;
  feedback: string | null;
  viewerCanTriage: boolean;
  viewerCanWork: boolean;
  team: { id: string; colour: string } | null;
  suggestedTeam: { colour: string };
  activity: { id: string; title: string; team: { colour: string } } | null;
  history: { fromStatus: string | null; toStatus: string; actorName: string | null; note: string | null }[];
}

export const LIST = `query ($filter: HelpRequestFilter) { helpRequests(filter: $filter) { ${REQUEST_FIELDS} } }`;
export const GET = `query ($id: ID!) { helpRequest(id: $id) { ${REQUEST_FIELDS} } }`;
export const ASSIGN = `mutation ($input: AssignRequestInput!) { assignRequest(input: $input) { ${REQUEST_FIELDS} } }`;
export const RESOLVE = `mutation ($id: ID!, $feedback: String!) { resolveRequest(id: $id, feedback: $feedback) { ${REQUEST_FIELDS} } }`;
export const DECLINE = `mutation ($id: ID!, $reason: String!) { declineRequest(id: $id, reason: $reason) { ${REQUEST_FIELDS} } }`;
export const DUE = `mutation ($id: ID!, $dueOn: Date) { setRequestDueDate(id: $id, dueOn: $dueOn) { ${REQUEST_FIELDS} } }`;
export const TO_ACTIVITY = `mutation ($id: ID!, $activity: ActivityInput!) {
  turnRequestIntoActivity(id: $id, activity: $activity) { ${REQUEST_FIELDS} } }`;
export const COUNTS = `{ organization { requestCounts { received inProgress solved declined overdue } } }`;

/** Submits a request through the public form and returns its tracking code and id (as the admin finds it). */
export async function submitRequest(
  testApp: TestApp,
  org: RequestsOrganization,
  fields: Record<string, unknown> = {},
): Promise<{ code: string; id: string }> {
  const result = await publicClient(testApp, org.slug).gql<{ submitRequest: { trackingCode: string } }>(SUBMIT, {
    input: requestInput(fields),
  });
  expectNoErrors(result);
  const code = result.data?.submitRequest.trackingCode ?? '';
  const rows = await asAdmin(testApp, org, (tx) =>
    tx
      .select({ id: helpRequests.id })
      .from(helpRequests)
      .where(and(eq(helpRequests.orgId, org.orgId), eq(helpRequests.trackingCode, code.replace('-', '')))),
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('submitted request not found');
  return { code, id };
}

type Work<T> = Parameters<typeof withTenant<T>>[2];

/** Reads or writes the database as the organization's admin (row-level security shows requests to members only). */
export function asAdmin<T>(testApp: TestApp, org: RequestsOrganization, work: Work<T>): Promise<T> {
  return withTenant(testApp.database.db, { orgId: org.orgId, accountId: org.adminAccountId }, work);
}

export async function storedRequestCount(testApp: TestApp, org: RequestsOrganization): Promise<number> {
  const rows = await asAdmin(testApp, org, (tx) =>
    tx.select({ id: helpRequests.id }).from(helpRequests).where(eq(helpRequests.orgId, org.orgId)),
  );
  return rows.length;
}

export async function storedHistoryCount(testApp: TestApp, org: RequestsOrganization, requestId: string) {
  const rows = await asAdmin(testApp, org, (tx) =>
    tx
      .select({ id: requestHistory.id })
      .from(requestHistory)
      .where(and(eq(requestHistory.orgId, org.orgId), eq(requestHistory.requestId, requestId))),
  );
  return rows.length;
}
