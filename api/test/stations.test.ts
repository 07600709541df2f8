/**
 * Service stations (村级综合服务平台), their logbook and spot-check check-ins
 * (随机打卡), through GraphQL against a real database: who may do what, the
 * answer arriving on the sender's subscription with its distance from the
 * station, two answers counting once, the clock marking the unanswered and
 * erasing positions, another association never reaching them, and stations
 * from an office's workbook.
 */
import { spotChecks, withTenant } from '@qicai/db';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runSpotCheckClock } from '../src/modules/stations/spot-checks.ts';
import { activityOrganization, createActivity, SITE, type ActivityOrganization } from './activities-seed.ts';
import { movableClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp, type Client } from './helper.ts';
import { listen } from './live.ts';

/** 新墙镇 service station, on the test site (岳阳县). */
const STATION = {
  name: '新墙镇清水村服务站',
  township: '新墙镇',
  village: '清水村',
  address: '清水村村部一楼',
  latitude: SITE.latitude,
  longitude: SITE.longitude,
  radiusMetres: 300,
  opensAt: '08:30',
  closesAt: '17:30',
};

const north = (metres: number) => ({ latitude: SITE.latitude + metres / 111_195, longitude: SITE.longitude });

const CREATE = `mutation ($input: StationInput!) { createStation(input: $input) { id name township openNow } }`;
const SET_MEMBERS = `mutation ($input: SetStationMembersInput!) {
  setStationMembers(input: $input) { id lead { id } members { id } } }`;
const STATION_PAGE = `query ($id: ID!) { station(id: $id) { id name lead { id } members { id displayName }
  visitsToday viewerCanRecord viewerCanEdit viewerCanSendSpotChecks
  visits { visitorName purpose category minutes outcome recordedBy { id } }
  visitsPerDay(days: 3) { date visits minutes }
  activities { id placeName station { id } } requests { id } } }`;
const RECORD = `mutation ($input: StationVisitInput!) { recordStationVisit(input: $input) { id visitorName category } }`;
const SEND = `mutation ($input: SendSpotCheckInput!) { sendSpotCheck(input: $input) { id status member { id } station { id } } }`;
const ANSWER = `mutation ($input: AnswerSpotCheckInput!) { answerSpotCheck(input: $input) { id status late atStation } }`;
const SPOT_CHECK_FIELDS = `id status late answerSeconds atStation distanceMetres positionErased
  position { latitude longitude accuracyMetres } member { id } station { id }`;
const SPOT_CHECK = `query ($id: ID!) { spotCheck(id: $id) { ${SPOT_CHECK_FIELDS} } }`;
const SUMMARY = `query ($id: ID!) { spotCheckSummaryOf(memberId: $id) { sent answered late awayFromStation unanswered } }`;

interface SpotCheckData {
  id: string;
  status: string;
  late: boolean;
  answerSeconds: number | null;
  atStation: boolean | null;
  distanceMetres: number | null;
  positionErased: boolean;
  position: { latitude: number; longitude: number; accuracyMetres: number | null } | null;
}

describe('service stations and spot checks', () => {
  const clock = movableClock();
  let testApp: TestApp;
  let baseUrl: string;
  let org: ActivityOrganization;
  let stationId: string;
  /** Stationed at the station; the first is its lead. */
  let stationed: { client: Client; memberId: string }[];
  let outsider: { client: Client; memberId: string };

  beforeAll(async () => {
    testApp = await TestApp.start({ LOG_LEVEL: 'error' }, { clock });
    baseUrl = await listen(testApp);
    org = await activityOrganization(testApp, 4);
    const [first, second, third, fourth] = org.members;
    if (!first || !second || !third || !fourth) throw new Error('members');
    stationed = [first, second, third];
    outsider = fourth;
    const created = await org.admin.gql<{ createStation: { id: string } }>(CREATE, { input: STATION });
    expectNoErrors(created);
    stationId = created.data?.createStation.id ?? '';
    expectNoErrors(
      await org.admin.gql(SET_MEMBERS, {
        input: { stationId, memberIds: stationed.map((person) => person.memberId), leadMemberId: first.memberId },
      }),
    );
  });
  afterAll(async () => {
    await testApp.close();
  });

  /** The `index`th member stationed at the station (0 is its lead). */
  function seat(index: number) {
    const person = stationed[index];
    if (!person) throw new Error(`no member stationed at seat ${String(index)}`);
    return person;
  }

  /** The viewer's spot-check subscription over the GraphQL WebSocket. */
  function subscribe(client: Client) {
    const socket = new WebSocket(`${baseUrl}/graphql?org=${client.org ?? ''}`, 'graphql-transport-ws', {
      headers: { cookie: client.cookieHeader() },
    });
    const messages: { type: string; payload?: { data?: { spotCheckChanged?: SpotCheckData } | null } }[] = [];
    const opened = new Promise<void>((resolve, reject) => {
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'connection_init' }));
      });
      socket.on('message', (data: Buffer) => {
        const message = JSON.parse(data.toString()) as (typeof messages)[number];
        messages.push(message);
        if (message.type === 'connection_ack') {
          socket.send(
            JSON.stringify({
              id: '1',
              type: 'subscribe',
              payload: { query: `subscription { spotCheckChanged { ${SPOT_CHECK_FIELDS} } }` },
            }),
          );
          resolve();
        }
      });
      socket.on('error', reject);
    });
    const received = () =>
      messages.flatMap((message) =>
        message.type === 'next' && message.payload?.data?.spotCheckChanged
          ? [message.payload.data.spotCheckChanged]
          : [],
      );
    return { socket, opened, received };
  }

  async function send(client: Client, input: Record<string, string>) {
    const result = await client.gql<{ sendSpotCheck: { id: string; member: { id: string } }[] }>(SEND, { input });
    expectNoErrors(result);
    return result.data?.sendSpotCheck ?? [];
  }

  it('lets admins create stations and station people with a lead; others may not', async () => {
    const refused = await org.lead.gql(CREATE, { input: { ...STATION, name: '另一个服务站' } });
    expect(errorCode(refused)).toBe('FORBIDDEN');
    const duplicate = await org.admin.gql(CREATE, { input: STATION });
    expect(duplicate.errors?.[0]?.extensions?.fields).toEqual({ name: 'TAKEN' });
    const badHours = await org.admin.gql(CREATE, {
      input: { ...STATION, name: '黄沙街镇服务站', opensAt: '18:00', closesAt: '08:00' },
    });
    expect(badHours.errors?.[0]?.extensions?.fields).toEqual({ closesAt: 'BEFORE_OPENING' });
    const leadNotStationed = await org.admin.gql(SET_MEMBERS, {
      input: { stationId, memberIds: [seat(1).memberId], leadMemberId: outsider.memberId },
    });
    expect(leadNotStationed.errors?.[0]?.extensions?.fields).toEqual({ leadMemberId: 'NOT_STATIONED' });

    const page = await seat(1).client.gql<{
      station: { lead: { id: string }; members: { id: string }[]; viewerCanRecord: boolean; viewerCanEdit: boolean };
    }>(STATION_PAGE, { id: stationId });
    expectNoErrors(page);
    expect(page.data?.station.lead.id).toBe(seat(0).memberId);
    expect(page.data?.station.members.map((member) => member.id).sort()).toEqual(
      stationed.map((person) => person.memberId).sort(),
    );
    expect(page.data?.station.viewerCanRecord).toBe(true);
    expect(page.data?.station.viewerCanEdit).toBe(false);
  });

  it('keeps the logbook: the stationed record, the visitor is masked for all but admins, counts per day', async () => {
    const visit = {
      stationId,
      visitorName: '王建国',
      purpose: '咨询城乡居民医保缴费',
      category: 'POLICY',
      minutes: 15,
      outcome: 'RESOLVED',
    };
    expectNoErrors(await seat(1).client.gql(RECORD, { input: visit }));
    expectNoErrors(
      await seat(2).client.gql(RECORD, {
        input: {
          ...visit,
          visitorName: '李秀英',
          purpose: '代办残疾证年审',
          category: 'ERRANDS',
          minutes: 40,
          outcome: 'REFERRED',
        },
      }),
    );
    const notStationed = await outsider.client.gql(RECORD, { input: visit });
    expect(errorCode(notStationed)).toBe('FORBIDDEN');

    type Page = {
      station: {
        visitsToday: number;
        visits: { visitorName: string }[];
        visitsPerDay: { visits: number; minutes: number }[];
      };
    };
    const asMember = await seat(1).client.gql<Page>(STATION_PAGE, { id: stationId });
    expectNoErrors(asMember);
    expect(asMember.data?.station.visits.map((row) => row.visitorName).sort()).toEqual(['李*英', '王*国']);
    expect(asMember.data?.station.visitsToday).toBe(2);
    expect(asMember.data?.station.visitsPerDay.at(-1)).toMatchObject({ visits: 2, minutes: 55 });
    const asAdmin = await org.admin.gql<Page>(STATION_PAGE, { id: stationId });
    expect(asAdmin.data?.station.visits.map((row) => row.visitorName).sort()).toEqual(['李秀英', '王建国']);

    const board = await org.admin.gql<{
      stationBoard: {
        stations: {
          name: string;
          visitsToday: number;
          latestService: string;
          peopleStationed: number;
          peopleOnSite: number;
        }[];
      };
    }>(`{ stationBoard { stations { name visitsToday latestService peopleStationed peopleOnSite } } }`);
    expectNoErrors(board);
    expect(board.data?.stationBoard.stations).toEqual([
      {
        name: STATION.name,
        visitsToday: 2,
        latestService: expect.any(String) as unknown,
        peopleStationed: 3,
        peopleOnSite: 2,
      },
    ]);
  });

  it('places an activity at the station, its place taken from it', async () => {
    const activity = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '' });
    const placed = await org.lead.gql<{ placeActivityAtStation: { placeName: string } }>(
      `mutation ($a: ID!, $s: ID!) { placeActivityAtStation(activityId: $a, stationId: $s) { placeName } }`,
      { a: activity.id, s: stationId },
    );
    expectNoErrors(placed);
    expect(placed.data?.placeActivityAtStation.placeName).toContain(STATION.name);
    const page = await org.admin.gql<{
      station: { activities: { id: string; station: { id: string } }[]; requests: unknown[] };
    }>(STATION_PAGE, { id: stationId });
    expect(page.data?.station.activities).toEqual([
      { id: activity.id, placeName: expect.any(String) as unknown, station: { id: stationId } },
    ]);
    expect(page.data?.station.requests).toEqual([]);
  });

  it('brings the answer to the sender live, with the distance from the station; only sender and admins see where', async () => {
    const [lead, person, bystander] = stationed;
    if (!lead || !person || !bystander) throw new Error('stationed');
    const listening = testApp.subscribed(org.orgId);
    const live = subscribe(lead.client);
    await Promise.all([live.opened, listening]);

    const [spotCheck] = await send(lead.client, { memberId: person.memberId });
    if (!spotCheck) throw new Error('no spot check');
    // The person sees it (and was told in the app), a bystander does not.
    const mine = await person.client.gql<{ mySpotChecks: { id: string; status: string }[] }>(
      `{ mySpotChecks { id status } }`,
    );
    expect(mine.data?.mySpotChecks).toEqual([{ id: spotCheck.id, status: 'PENDING' }]);
    const told = await person.client.gql<{ notifications: { nodes: { kind: string }[] } }>(
      `{ notifications { nodes { kind } } }`,
    );
    expect(told.data?.notifications.nodes.map((node) => node.kind)).toContain('SPOT_CHECK_REQUESTED');
    expect(errorCode(await bystander.client.gql(SPOT_CHECK, { id: spotCheck.id }))).toBe('NOT_FOUND');
    // Nobody answers for someone else.
    expect(
      errorCode(await lead.client.gql(ANSWER, { input: { id: spotCheck.id, ...north(10), accuracyMetres: 5 } })),
    ).toBe('NOT_FOUND');

    clock.forward(1);
    const answered = await person.client.gql<{
      answerSpotCheck: { status: string; late: boolean; atStation: boolean };
    }>(ANSWER, { input: { id: spotCheck.id, ...north(120), accuracyMetres: 12 } });
    expectNoErrors(answered);
    expect(answered.data?.answerSpotCheck).toMatchObject({ status: 'ANSWERED', late: false, atStation: true });

    // The sender saw it go out (PENDING), then the answer arrive.
    await expect.poll(() => live.received().map((event) => event.status)).toEqual(['PENDING', 'ANSWERED']);
    const arrived = live.received().at(-1);
    expect(arrived).toMatchObject({
      id: spotCheck.id,
      status: 'ANSWERED',
      atStation: true,
      positionErased: false,
      position: { accuracyMetres: 12 },
    });
    expect(arrived?.distanceMetres).toBeCloseTo(120, 0);
    expect(arrived?.answerSeconds).toBeGreaterThanOrEqual(60);
    live.socket.close();

    // The person sees their answer, not the position kept of it.
    const own = await person.client.gql<{ spotCheck: SpotCheckData }>(SPOT_CHECK, { id: spotCheck.id });
    expect(own.data?.spotCheck).toMatchObject({ status: 'ANSWERED', position: null, distanceMetres: null });
    const admin = await org.admin.gql<{ spotCheck: SpotCheckData }>(SPOT_CHECK, { id: spotCheck.id });
    expect(admin.data?.spotCheck.position?.latitude).toBeCloseTo(north(120).latitude, 6);
  });

  it('counts two answers at once as one', async () => {
    const [lead, person] = stationed;
    if (!lead || !person) throw new Error('stationed');
    const [spotCheck] = await send(lead.client, { memberId: person.memberId });
    const answers = await Promise.all(
      [north(20), north(900)].map((position) =>
        person.client.gql(ANSWER, { input: { id: spotCheck?.id, ...position, accuracyMetres: 8 } }),
      ),
    );
    expect(answers.map((answer) => (answer.errors ? errorCode(answer) : 'OK')).sort()).toEqual([
      'ALREADY_ANSWERED',
      'OK',
    ]);
    const rows = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx
        .select()
        .from(spotChecks)
        .where(eq(spotChecks.id, spotCheck?.id ?? '')),
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.status).toBe('ANSWERED');
  });

  it('marks an unanswered spot check after its time; a later answer is late and away from the station', async () => {
    const [lead, , person] = stationed;
    if (!lead || !person) throw new Error('stationed');
    const sent = await send(org.admin, { stationId });
    // The station's people but the lead… the admin is not stationed, so all three.
    expect(sent.map((row) => row.member.id).sort()).toEqual(stationed.map((row) => row.memberId).sort());
    const theirs = sent.find((row) => row.member.id === person.memberId);

    const early = await runSpotCheckClock(testApp.database.db, {
      now: clock.now(),
      retentionDays: 30,
      publish: () => {},
    });
    expect(early.markedUnanswered).toBe(0);
    clock.forward(11);
    const run = await runSpotCheckClock(testApp.database.db, {
      now: clock.now(),
      retentionDays: 30,
      publish: () => {},
    });
    expect(run.markedUnanswered).toBe(3);
    const marked = await person.client.gql<{ spotCheck: SpotCheckData }>(SPOT_CHECK, { id: theirs?.id });
    expect(marked.data?.spotCheck.status).toBe('UNANSWERED');

    const late = await person.client.gql<{ answerSpotCheck: { status: string; late: boolean; atStation: boolean } }>(
      ANSWER,
      { input: { id: theirs?.id, ...north(2000), accuracyMetres: 30 } },
    );
    expect(late.data?.answerSpotCheck).toEqual({ id: theirs?.id, status: 'ANSWERED', late: true, atStation: false });
    const summary = await person.client.gql<{ spotCheckSummaryOf: Record<string, number> }>(SUMMARY, {
      id: person.memberId,
    });
    expect(summary.data?.spotCheckSummaryOf).toEqual({
      sent: 1,
      answered: 1,
      late: 1,
      awayFromStation: 1,
      unanswered: 0,
    });
    // The history is the member's and admins': not another member's to read.
    expect(errorCode(await seat(1).client.gql(SUMMARY, { id: person.memberId }))).toBe('FORBIDDEN');
  });

  it('erases positions after the retention period, keeping whether it was at the station', async () => {
    const [lead, person] = stationed;
    if (!lead || !person) throw new Error('stationed');
    const [spotCheck] = await send(lead.client, { memberId: person.memberId });
    expectNoErrors(await person.client.gql(ANSWER, { input: { id: spotCheck?.id, ...north(50), accuracyMetres: 6 } }));
    const kept = await runSpotCheckClock(testApp.database.db, {
      now: clock.now(),
      retentionDays: 30,
      publish: () => {},
    });
    expect(kept.positionsErased).toBe(0);

    const later = new Date(clock.now().getTime() + 31 * 86_400_000);
    const run = await runSpotCheckClock(testApp.database.db, { now: later, retentionDays: 30, publish: () => {} });
    expect(run.positionsErased).toBeGreaterThanOrEqual(1);
    const after = await lead.client.gql<{ spotCheck: SpotCheckData }>(SPOT_CHECK, { id: spotCheck?.id });
    expect(after.data?.spotCheck).toMatchObject({
      position: null,
      distanceMetres: null,
      positionErased: true,
      atStation: true,
    });
    const rows = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(spotChecks).where(eq(spotChecks.orgId, org.orgId)),
    );
    expect(
      rows.filter((row) => row.latitude !== null || row.accuracyMetres !== null || row.distanceMetres !== null),
    ).toEqual([]);
  });

  it('never lets another association send one to a member, or see one', async () => {
    const other = await activityOrganization(testApp, 1);
    const [person] = stationed;
    const [spotCheck] = await send(org.admin, { memberId: person?.memberId ?? '' });
    expect(errorCode(await other.admin.gql(SEND, { input: { memberId: person?.memberId } }))).toBe('NOT_FOUND');
    expect(errorCode(await other.admin.gql(SEND, { input: { stationId } }))).toBe('NOT_FOUND');
    expect(errorCode(await other.admin.gql(SPOT_CHECK, { id: spotCheck?.id }))).toBe('NOT_FOUND');
    // The same admin naming the other association reaches nothing of this one.
    expect(errorCode(await org.admin.in(other.slug).gql(SPOT_CHECK, { id: spotCheck?.id }))).toBe('NOT_FOUND');
    const theirs = await other.admin.gql<{ sentSpotChecks: unknown[]; stations: unknown[] }>(
      `{ sentSpotChecks { id } stations { id } }`,
    );
    expect(theirs.data).toEqual({ sentSpotChecks: [], stations: [] });
    // A member who is not a station's lead sends nobody one.
    expect(errorCode(await seat(1).client.gql(SEND, { input: { memberId: outsider.memberId } }))).toBe('FORBIDDEN');
  });

  it('imports stations from an office workbook, reporting the bad rows', async () => {
    const csv = [
      '岳阳县村级综合服务平台一览表,,,,,,',
      '序号,站点名称,所属乡镇,村（社区）,纬度,经度,开放时间',
      `1,${STATION.name},新墙镇,清水村,２９.１４４６,１１３.１２８７,8:00-18:00`,
      '2,黄沙街镇青山村服务站,黄沙街镇,青山村,29.2101,113.0522,08:30～17:30',
      '3,荣家湾镇王家村服务站,荣家湾镇,王家村,,113.1001,',
      '4,黄沙街镇青山村服务站,黄沙街镇,青山村,29.2101,113.0522,',
    ].join('\r\n');
    const result = await org.admin.gql<{
      importStations: {
        created: number;
        updated: number;
        problems: { rowNumber: number; field: string; code: string }[];
      };
    }>(
      `mutation ($name: String!, $content: String!) { importStations(fileName: $name, contentBase64: $content) {
        created updated problems { rowNumber field code } } }`,
      { name: '服务站名单.csv', content: Buffer.from(csv, 'utf8').toString('base64') },
    );
    expectNoErrors(result);
    expect(result.data?.importStations).toEqual({
      created: 1,
      updated: 1,
      problems: [
        { rowNumber: 5, field: 'POSITION', code: 'INVALID_POSITION' },
        { rowNumber: 6, field: 'NAME', code: 'DUPLICATE' },
      ],
    });
    const list = await org.admin.gql<{ stations: { name: string; township: string }[] }>(
      `{ stations { name township } }`,
    );
    expect(list.data?.stations.map((station) => station.name)).toEqual(['新墙镇清水村服务站', '黄沙街镇青山村服务站']);
    expect(
      errorCode(await org.lead.gql(`mutation { importStations(fileName: "a.csv", contentBase64: "") { created } }`)),
    ).toBe('FORBIDDEN');
  });
});
