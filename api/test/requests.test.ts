/**
 * Requests from the public (群众需求): the public form and status page, the
 * admins' triage, the assigned team's work, counts and the overdue flag,
 * through GraphQL on a real database.
 */
import { helpRequests, withTenant } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import type { Message } from 'mqemitter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOverdue } from '../src/modules/requests/service.ts';
import { boardTopic } from '../src/shared/board-events.ts';

import { activityInput } from './activities-seed.ts';
import { localDateIn } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type GraphQLResponse, withoutRowLevelSecurity } from './helper.ts';
import {
  asAdmin,
  ASSIGN,
  COUNTS,
  DECLINE,
  DUE,
  GET,
  LIST,
  publicClient,
  requestInput,
  requestsOrganization,
  RESOLVE,
  STATUS,
  storedHistoryCount,
  storedRequestCount,
  SUBMIT,
  submitRequest,
  TO_ACTIVITY,
  type RequestData,
  type RequestsOrganization,
} from './requests-seed.ts';

interface StatusData {
  requestStatus: {
    trackingCode: string;
    category: string;
    status: string;
    dueOn: string | null;
    closedAt: string | null;
    declineReason: string | null;
    feedback: string | null;
    history: { fromStatus: string | null; toStatus: string; at: string }[];
  } | null;
}

const fieldsOf = (result: GraphQLResponse<unknown>) => result.errors?.[0]?.extensions?.fields;

describe('requests from the public', () => {
  let testApp: TestApp;
  let org: RequestsOrganization;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await requestsOrganization(testApp);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const assign = (id: string, colour: string, dueOn?: string) =>
    org.admin.gql<{ assignRequest: RequestData }>(ASSIGN, {
      input: { id, teamId: org.teams[colour], ...(dueOn ? { dueOn } : {}) },
    });

  it('goes received → assigned → resolved with feedback, and the requester sees it by the tracking code', async () => {
    const requester = publicClient(testApp, org.slug);
    const submitted = await requester.gql<{ submitRequest: { trackingCode: string; status: string } }>(SUBMIT, {
      input: requestInput({ category: 'HEALTH', contactPhone: '139 1234 5678' }),
    });
    expectNoErrors(submitted);
    const code = submitted.data?.submitRequest.trackingCode ?? '';
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(submitted.data?.submitRequest.status).toBe('RECEIVED');

    const received = await requester.gql<StatusData>(STATUS, { code });
    expectNoErrors(received);
    expect(received.data?.requestStatus).toMatchObject({ status: 'RECEIVED', category: 'HEALTH', feedback: null });

    // The admin's triage queue has it, with white (health) suggested.
    const queue = await org.admin.gql<{ helpRequests: RequestData[] }>(LIST, { filter: { statuses: ['RECEIVED'] } });
    expectNoErrors(queue);
    const inQueue = queue.data?.helpRequests.find((request) => request.trackingCode === code);
    expect(inQueue).toMatchObject({
      status: 'RECEIVED',
      contactPhone: '13912345678',
      suggestedTeam: { colour: 'WHITE' },
      viewerCanTriage: true,
    });
    const id = inQueue?.id ?? '';

    const assigned = await assign(id, 'RED', localDateIn(3));
    expectNoErrors(assigned);
    expect(assigned.data?.assignRequest).toMatchObject({
      status: 'ASSIGNED',
      team: { colour: 'RED' },
      dueOn: localDateIn(3),
    });

    // The red lead sees it among the team's requests and resolves it.
    const mine = await org.lead.gql<{ helpRequests: RequestData[] }>(LIST);
    expect(mine.data?.helpRequests.map((request) => request.id)).toContain(id);
    const resolved = await org.lead.gql<{ resolveRequest: RequestData }>(RESOLVE, {
      id,
      feedback: '白色天使队医生已上门测量血压，一切正常，每月回访一次。',
    });
    expectNoErrors(resolved);
    expect(resolved.data?.resolveRequest).toMatchObject({
      status: 'RESOLVED',
      viewerCanWork: true,
      viewerCanTriage: false,
    });
    expect(resolved.data?.resolveRequest.history.map((entry) => [entry.fromStatus, entry.toStatus])).toEqual([
      [null, 'RECEIVED'],
      ['RECEIVED', 'ASSIGNED'],
      ['ASSIGNED', 'RESOLVED'],
    ]);
    expect(resolved.data?.resolveRequest.history[0]?.actorName).toBeNull();
    expect(resolved.data?.resolveRequest.history[2]?.actorName).toBe('成员 ' + (org.lead.accountId ?? '').slice(0, 4));

    // Typed in lower case, without the dash: the same request.
    const status = await publicClient(testApp, org.slug).gql<StatusData>(STATUS, {
      code: code.replace('-', '').toLowerCase(),
    });
    expectNoErrors(status);
    expect(status.data?.requestStatus).toMatchObject({
      trackingCode: code,
      status: 'RESOLVED',
      feedback: '白色天使队医生已上门测量血压，一切正常，每月回访一次。',
      dueOn: localDateIn(3),
    });
    expect(status.data?.requestStatus?.closedAt).not.toBeNull();
    expect(status.data?.requestStatus?.history.map((entry) => entry.toStatus)).toEqual([
      'RECEIVED',
      'ASSIGNED',
      'RESOLVED',
    ]);
  });

  it('the status page has no field for the place, description, phone or who acted', async () => {
    const result = await publicClient(testApp, org.slug).gql(
      `query ($code: String!) { requestStatus(code: $code) { description } }`,
      { code: 'AAAAA-AAAAA' },
    );
    expect(errorCode(result)).toBe('GRAPHQL_VALIDATION');
    const history = await publicClient(testApp, org.slug).gql(
      `query ($code: String!) { requestStatus(code: $code) { history { actorName note } } }`,
      { code: 'AAAAA-AAAAA' },
    );
    expect(errorCode(history)).toBe('GRAPHQL_VALIDATION');
  });

  it('a wrong code shows nothing, nor does a code of another organization', async () => {
    const { code } = await submitRequest(testApp, org);
    const requester = publicClient(testApp, org.slug);
    for (const wrong of ['00000-00000', 'not a code', '', code.slice(0, 9)]) {
      const result = await requester.gql<StatusData>(STATUS, { code: wrong });
      expectNoErrors(result);
      expect(result.data?.requestStatus).toBeNull();
    }
    const other = await requestsOrganization(testApp);
    const elsewhere = await publicClient(testApp, other.slug).gql<StatusData>(STATUS, { code });
    expectNoErrors(elsewhere);
    expect(elsewhere.data?.requestStatus).toBeNull();
  });

  it('the public form is rate-limited per client address, and a refused submission stores nothing', async () => {
    const before = await storedRequestCount(testApp, org);
    const requester = publicClient(testApp, org.slug);
    for (let i = 0; i < 5; i++) expectNoErrors(await requester.gql(SUBMIT, { input: requestInput() }));
    const refused = await requester.gql(SUBMIT, { input: requestInput() });
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    const retryAfter = refused.errors?.[0]?.extensions as { retryAfterSeconds?: number } | undefined;
    expect(retryAfter?.retryAfterSeconds).toBeGreaterThan(3500);
    expect(await storedRequestCount(testApp, org)).toBe(before + 5);
    // Another address is not held up.
    expectNoErrors(await publicClient(testApp, org.slug).gql(SUBMIT, { input: requestInput() }));
    expect(await storedRequestCount(testApp, org)).toBe(before + 6);
  });

  it('holds the limit when one address submits many at once', async () => {
    const before = await storedRequestCount(testApp, org);
    const requester = publicClient(testApp, org.slug);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => requester.gql(SUBMIT, { input: requestInput() })),
    );
    expect(results.filter((result) => !result.errors).length).toBe(5);
    expect(results.filter((result) => errorCode(result) === 'RATE_LIMITED').length).toBe(7);
    expect(await storedRequestCount(testApp, org)).toBe(before + 5);
  });

  it('refuses bad input with field codes, stores nothing and does not count it against the limit', async () => {
    const before = await storedRequestCount(testApp, org);
    const requester = publicClient(testApp, org.slug);
    const bad = await requester.gql(SUBMIT, {
      input: requestInput({
        place: '  ',
        description: 'x'.repeat(2001),
        contactPhone: '12345',
        consentToContact: false,
      }),
    });
    expect(errorCode(bad)).toBe('VALIDATION');
    expect(fieldsOf(bad)).toEqual({
      place: 'REQUIRED',
      description: 'TOO_LONG',
      contactPhone: 'INVALID_PHONE',
      consentToContact: 'REQUIRED',
    });
    const badCategory = await requester.gql(SUBMIT, { input: requestInput({ category: 'WEATHER' }) });
    expect(errorCode(badCategory)).toBe('GRAPHQL_VALIDATION');
    const noOrganization = await testApp.anonymous().gql(SUBMIT, { input: requestInput() });
    expect(errorCode(noOrganization)).toBe('NOT_FOUND');
    expect(await storedRequestCount(testApp, org)).toBe(before);
    for (let i = 0; i < 5; i++) expectNoErrors(await requester.gql(SUBMIT, { input: requestInput() }));
  });

  it('declining needs a reason, which the requester then reads', async () => {
    const { code, id } = await submitRequest(testApp, org, { category: 'OTHER' });
    const blank = await org.admin.gql(DECLINE, { id, reason: '   ' });
    expect(errorCode(blank)).toBe('VALIDATION');
    expect(fieldsOf(blank)).toEqual({ reason: 'REQUIRED' });
    expect(await storedHistoryCount(testApp, org, id)).toBe(1);

    const declined = await org.admin.gql<{ declineRequest: RequestData }>(DECLINE, {
      id,
      reason: '不属于志愿服务范围，已转交镇政府。',
    });
    expectNoErrors(declined);
    expect(declined.data?.declineRequest).toMatchObject({
      status: 'DECLINED',
      declineReason: '不属于志愿服务范围，已转交镇政府。',
    });
    const status = await publicClient(testApp, org.slug).gql<StatusData>(STATUS, { code });
    expect(status.data?.requestStatus).toMatchObject({
      status: 'DECLINED',
      declineReason: '不属于志愿服务范围，已转交镇政府。',
    });

    // Closed: neither assigned nor declined again.
    expect(errorCode(await assign(id, 'RED'))).toBe('INVALID_STATE');
    expect(errorCode(await org.admin.gql(DECLINE, { id, reason: '再次' }))).toBe('INVALID_STATE');
  });

  it('resolving needs feedback', async () => {
    const { id } = await submitRequest(testApp, org);
    expectNoErrors(await assign(id, 'RED'));
    const blank = await org.lead.gql(RESOLVE, { id, feedback: '' });
    expect(errorCode(blank)).toBe('VALIDATION');
    expect(fieldsOf(blank)).toEqual({ feedback: 'REQUIRED' });
    const unassigned = await submitRequest(testApp, org);
    expect(errorCode(await org.admin.gql(RESOLVE, { id: unassigned.id, feedback: '已处理' }))).toBe('INVALID_STATE');
  });

  it('a lead of another team, or a plain member, cannot see or act on it; a lead cannot triage', async () => {
    const { id } = await submitRequest(testApp, org, { category: 'LEGAL' });
    expectNoErrors(await assign(id, 'RED'));

    expect(errorCode(await org.greenLead.gql(RESOLVE, { id, feedback: '已处理' }))).toBe('FORBIDDEN');
    expect(errorCode(await org.greenLead.gql(GET, { id }))).toBe('NOT_FOUND');
    const greenList = await org.greenLead.gql<{ helpRequests: RequestData[] }>(LIST);
    expectNoErrors(greenList);
    expect(greenList.data?.helpRequests.map((request) => request.id)).not.toContain(id);
    // Asking for another team's list gives nothing of it either.
    const asked = await org.greenLead.gql<{ helpRequests: RequestData[] }>(LIST, {
      filter: { teamId: org.teams['RED'] },
    });
    expect(asked.data?.helpRequests).toEqual([]);

    const member = org.members[0]?.client;
    if (!member) throw new Error('no member');
    expect(errorCode(await member.gql(LIST))).toBe('FORBIDDEN');
    expect(errorCode(await member.gql(GET, { id }))).toBe('NOT_FOUND');
    expect(errorCode(await member.gql(RESOLVE, { id, feedback: '已处理' }))).toBe('FORBIDDEN');

    expect(errorCode(await org.lead.gql(ASSIGN, { input: { id, teamId: org.teams['RED'] } }))).toBe('FORBIDDEN');
    expect(errorCode(await org.lead.gql(DECLINE, { id, reason: '不做' }))).toBe('FORBIDDEN');
    expect(errorCode(await testApp.anonymous(org.slug).gql(LIST))).toBe('UNAUTHENTICATED');

    const fetched = await org.admin.gql<{ helpRequest: RequestData }>(GET, { id });
    expect(fetched.data?.helpRequest).toMatchObject({ status: 'ASSIGNED', suggestedTeam: { colour: 'BLUE' } });
  });

  it('tells the big screen of every change, after it commits', async () => {
    const events: { kind: string; subjectId?: string; teamId?: string }[] = [];
    const topic = boardTopic(org.orgId);
    const listener = (message: Message, done: () => void) => {
      events.push(message['payload'] as { kind: string; subjectId?: string; teamId?: string });
      done();
    };
    testApp.app.liveEvents.emitter.on(topic, listener);
    try {
      const { id } = await submitRequest(testApp, org);
      expectNoErrors(await assign(id, 'RED'));
      expectNoErrors(await org.lead.gql(RESOLVE, { id, feedback: '已解决' }));
      expect(await org.lead.gql(RESOLVE, { id, feedback: '再次' })).toMatchObject({ errors: [{}] });
      expect(events).toEqual([
        expect.objectContaining({ kind: 'REQUEST_CHANGED', subjectId: id }),
        expect.objectContaining({ kind: 'REQUEST_CHANGED', subjectId: id, teamId: org.teams['RED'] }),
        expect.objectContaining({ kind: 'REQUEST_CHANGED', subjectId: id, teamId: org.teams['RED'] }),
      ]);
    } finally {
      testApp.app.liveEvents.emitter.removeListener(topic, listener);
    }
  });

  // A test of row-level security itself: not in the run without it.
  it.skipIf(withoutRowLevelSecurity)(
    'row-level security: the public adds requests but reads none; only members of the organization read them',
    async () => {
      const { id } = await submitRequest(testApp, org);
      const readAs = (accountId: string | null) =>
        withTenant(testApp.database.db, { orgId: org.orgId, accountId }, (tx) =>
          tx.select({ id: helpRequests.id }).from(helpRequests).where(eq(helpRequests.orgId, org.orgId)),
        );
      expect(await readAs(null)).toEqual([]);
      const stranger = await testApp.signUp({ displayName: '路人' });
      expect(await readAs(stranger.accountId)).toEqual([]);
      expect((await readAs(org.adminAccountId)).map((row) => row.id)).toContain(id);
      // Nor can the public change one, or add one that is already resolved.
      const changed = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
        tx.update(helpRequests).set({ place: '改' }).where(eq(helpRequests.id, id)).returning({ id: helpRequests.id }),
      );
      expect(changed).toEqual([]);
      await expect(
        withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
          tx.insert(helpRequests).values({
            orgId: org.orgId,
            trackingCode: 'ABCDEFGHJK',
            category: 'OTHER',
            place: '某地',
            description: '伪造',
            contactPhone: '13912345678',
            consentToContact: true,
            status: 'RESOLVED',
            teamId: org.teams['RED'],
            feedback: '假',
          }),
        ),
      ).rejects.toThrow();
    },
  );

  it('keeps organizations apart', async () => {
    const { id } = await submitRequest(testApp, org);
    const other = await requestsOrganization(testApp);
    expect(errorCode(await other.admin.gql(GET, { id }))).toBe('NOT_FOUND');
    expect(errorCode(await other.admin.gql(DECLINE, { id, reason: '跨组织' }))).toBe('NOT_FOUND');
    // The admin of the other organization naming this one is not its member.
    expect(errorCode(await other.admin.in(org.slug).gql(GET, { id }))).toBe('NOT_FOUND');
    const theirs = await other.admin.gql<{ helpRequests: RequestData[] }>(LIST);
    expect(theirs.data?.helpRequests).toEqual([]);
    // Assigning to a team of another organization: no such team here.
    const foreignTeam = await org.admin.gql(ASSIGN, { input: { id, teamId: other.teams['RED'] } });
    expect(errorCode(foreignTeam)).toBe('NOT_FOUND');
  });

  it('flags a request overdue once its due date has passed in the organization’s time zone, until it is closed', async () => {
    const other = await requestsOrganization(testApp);
    const { id } = await submitRequest(testApp, other);
    const assigned = await other.admin.gql<{ assignRequest: RequestData }>(ASSIGN, {
      input: { id, teamId: other.teams['RED'], dueOn: localDateIn(0) },
    });
    expectNoErrors(assigned);
    expect(assigned.data?.assignRequest.overdue).toBe(false);
    const past = await other.admin.gql(DUE, { id, dueOn: localDateIn(-1) });
    expect(errorCode(past)).toBe('VALIDATION');
    expect(fieldsOf(past)).toEqual({ dueOn: 'IN_PAST' });

    // The due date passes (set in the database: the API takes no date in the past).
    await asAdmin(testApp, other, (tx) =>
      tx
        .update(helpRequests)
        .set({ dueOn: localDateIn(-1) })
        .where(and(eq(helpRequests.orgId, other.orgId), eq(helpRequests.id, id))),
    );
    const overdue = await other.admin.gql<{ helpRequest: RequestData }>(GET, { id });
    expect(overdue.data?.helpRequest.overdue).toBe(true);
    const counts = await other.admin.gql<{ organization: { requestCounts: Record<string, number> } }>(COUNTS);
    expect(counts.data?.organization.requestCounts).toEqual({
      received: 0,
      inProgress: 1,
      solved: 0,
      declined: 0,
      overdue: 1,
    });
    const list = await other.lead.gql<{ helpRequests: RequestData[] }>(LIST, { filter: { overdueOnly: true } });
    expect(list.data?.helpRequests.map((request) => request.id)).toEqual([id]);

    const resolved = await other.lead.gql<{ resolveRequest: RequestData }>(RESOLVE, { id, feedback: '已解决' });
    expect(resolved.data?.resolveRequest.overdue).toBe(false);
    const after = await other.admin.gql<{ organization: { requestCounts: Record<string, number> } }>(COUNTS);
    expect(after.data?.organization.requestCounts).toMatchObject({ inProgress: 0, solved: 1, overdue: 0 });
  });

  it('reads "today" in the organization’s zone: 01:00 in Shanghai is still yesterday in UTC', () => {
    const request = { dueOn: '2026-01-01', status: 'ASSIGNED' } as const;
    const now = new Date('2026-01-01T17:00:00Z');
    expect(isOverdue(request, 'Asia/Shanghai', now)).toBe(true);
    expect(isOverdue(request, 'UTC', now)).toBe(false);
    expect(isOverdue({ ...request, status: 'RESOLVED' }, 'Asia/Shanghai', now)).toBe(false);
  });

  it('counts received, in progress, solved and overdue in one statement', async () => {
    const other = await requestsOrganization(testApp);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await submitRequest(testApp, other)).id);
    const [a, b, c] = ids as [string, string, string];
    expectNoErrors(await other.admin.gql(ASSIGN, { input: { id: a, teamId: other.teams['RED'] } }));
    expectNoErrors(await other.admin.gql(ASSIGN, { input: { id: b, teamId: other.teams['RED'] } }));
    expectNoErrors(await other.lead.gql(RESOLVE, { id: b, feedback: '已解决' }));
    expectNoErrors(await other.admin.gql(DECLINE, { id: c, reason: '重复' }));

    const plain = testApp.statements;
    // The same request without the counts: the organization and the viewer's membership.
    expectNoErrors(await other.lead.gql(`{ organization { viewerIsAdmin } }`));
    const baseline = testApp.statements - plain;
    const start = testApp.statements;
    const counts = await other.lead.gql<{ organization: { requestCounts: Record<string, number> } }>(
      `{ organization { viewerIsAdmin requestCounts { received inProgress solved declined overdue } } }`,
    );
    expect(counts.data?.organization.requestCounts).toEqual({
      received: 1,
      inProgress: 1,
      solved: 1,
      declined: 1,
      overdue: 0,
    });
    // One transaction: its settings and the one counting statement.
    expect(testApp.statements - start - baseline).toBeLessThanOrEqual(2);

    // The public may not read them.
    expect(errorCode(await testApp.anonymous(other.slug).gql(COUNTS))).toBe('UNAUTHENTICATED');
  });

  it('lists in a fixed number of statements whatever the number of requests', async () => {
    const other = await requestsOrganization(testApp);
    const measure = async () => {
      const start = testApp.statements;
      const result = await other.admin.gql<{ helpRequests: RequestData[] }>(LIST);
      expectNoErrors(result);
      return { statements: testApp.statements - start, count: result.data?.helpRequests.length ?? 0 };
    };
    for (let i = 0; i < 2; i++) {
      const { id } = await submitRequest(testApp, other);
      expectNoErrors(await other.admin.gql(ASSIGN, { input: { id, teamId: other.teams['RED'] } }));
    }
    const few = await measure();
    for (let i = 0; i < 5; i++) {
      const { id } = await submitRequest(testApp, other);
      expectNoErrors(await other.admin.gql(ASSIGN, { input: { id, teamId: other.teams['GREEN'] } }));
    }
    const many = await measure();
    expect([few.count, many.count]).toEqual([2, 7]);
    expect(many.statements).toBe(few.statements);
  });

  it('a lead turns a request into an activity of the team, linked to it, then resolves it', async () => {
    const { id, code } = await submitRequest(testApp, org, { category: 'ENVIRONMENT', place: '新墙河大桥' });
    expectNoErrors(await assign(id, 'RED'));
    const turned = await org.lead.gql<{ turnRequestIntoActivity: RequestData }>(TO_ACTIVITY, {
      id,
      activity: { ...activityInput({ teamId: org.teams['GREEN'] ?? '', title: '新墙河大桥垃圾清理', publish: false }) },
    });
    expectNoErrors(turned);
    expect(turned.data?.turnRequestIntoActivity).toMatchObject({
      status: 'IN_PROGRESS',
      // Always the request's own team, whatever the form said.
      activity: { title: '新墙河大桥垃圾清理', team: { colour: 'RED' } },
    });
    const again = await org.lead.gql(TO_ACTIVITY, { id, activity: activityInput({ teamId: org.teams['RED'] ?? '' }) });
    expect(errorCode(again)).toBe('INVALID_STATE');

    // A bad activity leaves the request as it was, and no activity.
    const { id: second } = await submitRequest(testApp, org);
    expectNoErrors(await assign(second, 'RED'));
    const bad = await org.lead.gql(TO_ACTIVITY, {
      id: second,
      activity: activityInput({ teamId: org.teams['RED'] ?? '', title: '' }),
    });
    expect(errorCode(bad)).toBe('VALIDATION');
    const unchanged = await org.admin.gql<{ helpRequest: RequestData }>(GET, { id: second });
    expect(unchanged.data?.helpRequest).toMatchObject({ status: 'ASSIGNED', activity: null });

    expectNoErrors(await org.lead.gql(RESOLVE, { id, feedback: '河岸已清理干净。' }));
    const status = await publicClient(testApp, org.slug).gql<StatusData>(STATUS, { code });
    expect(status.data?.requestStatus?.history.map((entry) => entry.toStatus)).toEqual([
      'RECEIVED',
      'ASSIGNED',
      'IN_PROGRESS',
      'RESOLVED',
    ]);
  });

  it('two leads resolving while the admin reassigns end in one consistent state', async () => {
    const secondRedLead = (await testApp.signUp({ displayName: '红副队长' })).in(org.slug);
    const secondMemberId = await testApp.addMember(org.orgId, secondRedLead, 'LEAD');
    expectNoErrors(
      await org.admin.gql(`mutation ($input: SetTeamLeadsInput!) { setTeamLeads(input: $input) { id } }`, {
        input: { teamId: org.teams['RED'], memberIds: [org.leadMemberId, secondMemberId] },
      }),
    );
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { id } = await submitRequest(testApp, org);
      expectNoErrors(await assign(id, 'RED'));
      ids.push(id);
    }
    const outcomes = await Promise.all(
      ids.map(async (id) => {
        const [first, second, reassigned] = await Promise.all([
          org.lead.gql(RESOLVE, { id, feedback: '队长一已处理' }),
          secondRedLead.gql(RESOLVE, { id, feedback: '队长二已处理' }),
          assign(id, 'GREEN'),
        ]);
        return { id, first, second, reassigned };
      }),
    );
    for (const { id, first, second, reassigned } of outcomes) {
      const resolvedCount = [first, second].filter((result) => !result.errors).length;
      expect(resolvedCount).toBeLessThanOrEqual(1);
      for (const result of [first, second, reassigned]) {
        if (result.errors) expect(['INVALID_STATE', 'FORBIDDEN']).toContain(errorCode(result));
      }
      const final = await org.admin.gql<{ helpRequest: RequestData }>(GET, { id });
      const request = final.data?.helpRequest;
      if (!request) throw new Error('request vanished');
      const history = request.history;
      // The history is one chain ending in the request's state.
      for (let i = 1; i < history.length; i++) expect(history[i]?.fromStatus).toBe(history[i - 1]?.toStatus);
      expect(history.at(-1)?.toStatus).toBe(request.status);
      expect(history.filter((entry) => entry.toStatus === 'RESOLVED').length).toBe(resolvedCount);
      if (resolvedCount === 1) {
        expect(request.status).toBe('RESOLVED');
        // Resolved first, the reassignment was refused; reassigned first, it stays with the green team.
        expect(request.team?.colour).toBe(reassigned.errors ? 'RED' : 'GREEN');
        if (!reassigned.errors) throw new Error('a resolved request was reassigned');
      } else {
        expect(request).toMatchObject({ status: 'ASSIGNED', team: { colour: 'GREEN' }, feedback: null });
      }
    }
  });
});
