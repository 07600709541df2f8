/**
 * Calendar feeds: a member's sign-ups and a team's published activities as
 * iCalendar at a secret, revocable address, read back with an independent
 * parser (ical.js): the right local times in the organization's zone, stable
 * UIDs, sequences that grow with changes, cancellations marked cancelled.
 */
import ICAL from 'ical.js';
import { calendarFeeds, withTenant } from '@qicai/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityOrganization,
  createActivity,
  localIn,
  SIGN_UP,
  type ActivityOrganization,
} from './activities-seed.ts';
import { expectNoErrors, errorCode, TestApp } from './helper.ts';

const CREATE_FEED = `mutation ($teamId: ID) { createCalendarFeed(teamId: $teamId) { url feed { id team { colour } revokedAt } } }`;
const FEED_FILE = `query ($token: String!) { calendarFeedFile(token: $token) { fileName contentType text } }`;

interface ParsedEvent {
  uid: string;
  summary: string;
  location: string;
  status: string | null;
  sequence: number;
  /** As the wall clock in the event's zone shows it: 2027-01-05T09:30:00. */
  localStart: string;
  localEnd: string;
  zone: string;
  start: Date;
}

/** The events of an iCalendar text, as ical.js reads them (its zones from the file's own VTIMEZONE). */
function parseEvents(text: string): ParsedEvent[] {
  const calendar = ICAL.Component.fromString(text);
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const status = component.getFirstPropertyValue('status');
    return {
      uid: event.uid,
      summary: event.summary,
      location: event.location,
      status: typeof status === 'string' ? status : null,
      sequence: event.sequence,
      localStart: event.startDate.toString(),
      localEnd: event.endDate.toString(),
      zone: event.startDate.zone.tzid,
      start: event.startDate.toJSDate(),
    };
  });
}

function tokenOf(url: string): string {
  const match = /\/calendar\/([A-Za-z0-9_-]{43})\.ics$/.exec(url);
  if (!match?.[1]) throw new Error(`no token in ${url}`);
  return match[1];
}

describe('calendar feeds', () => {
  let testApp: TestApp;
  let org: ActivityOrganization;

  beforeAll(async () => {
    testApp = await TestApp.start();
    org = await activityOrganization(testApp, 2);
  });
  afterAll(async () => {
    await testApp.close();
  });

  const member = () => {
    const found = org.members[0];
    if (!found) throw new Error('member');
    return found;
  };

  it("lists the member's sign-ups at their local times, marks a cancelled one, and grows the sequence on change", async () => {
    const red = org.teams['RED'] ?? '';
    const clinic = await createActivity(org.lead, {
      teamId: red,
      title: '社区义诊',
      startsAt: localIn(3 * 24 * 60),
      endsAt: localIn(3 * 24 * 60 + 150),
    });
    const river = await createActivity(org.lead, {
      teamId: red,
      title: '河道清理',
      startsAt: localIn(5 * 24 * 60),
      endsAt: localIn(5 * 24 * 60 + 120),
    });
    const notMine = await createActivity(org.lead, { teamId: red, title: '党课下乡' });
    for (const activity of [clinic, river]) expectNoErrors(await member().client.gql(SIGN_UP, { id: activity.id }));
    expectNoErrors(
      await org.lead.gql(`mutation ($id: ID!) { cancelActivity(id: $id, reason: "河水上涨") { id } }`, {
        id: river.id,
      }),
    );

    const created = await member().client.gql<{ createCalendarFeed: { url: string; feed: { team: null } } }>(
      CREATE_FEED,
      {},
    );
    expectNoErrors(created);
    const url = created.data?.createCalendarFeed.url ?? '';
    expect(url).toMatch(new RegExp(`^http://localhost:\\d+/o/${org.slug}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
    // The token is kept only as its hash.
    const stored = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, (tx) =>
      tx.select().from(calendarFeeds),
    );
    expect(stored.map((row) => row.tokenHash)).not.toContain(tokenOf(url));

    // A calendar app has no session: the token alone opens the feed.
    const read = await testApp
      .anonymous(org.slug)
      .gql<{ calendarFeedFile: { contentType: string; text: string } | null }>(FEED_FILE, { token: tokenOf(url) });
    expectNoErrors(read);
    expect(read.data?.calendarFeedFile?.contentType).toBe('text/calendar; charset=utf-8');
    const events = parseEvents(read.data?.calendarFeedFile?.text ?? '');
    expect(events.map((event) => event.summary).sort()).toEqual(['河道清理', '社区义诊']);
    expect(events.map((event) => event.summary)).not.toContain(notMine.title);

    const clinicEvent = events.find((event) => event.summary === '社区义诊');
    expect(clinicEvent).toMatchObject({
      uid: `activity-${clinic.id}@qicai`,
      zone: 'Asia/Shanghai',
      localStart: `${clinic.startsAtLocal}:00`,
      localEnd: `${clinic.endsAtLocal}:00`,
      location: '新墙河大桥',
      status: 'CONFIRMED',
    });
    expect(clinicEvent?.start).toEqual(new Date(clinic.startsAt));
    const riverEvent = events.find((event) => event.summary === '河道清理');
    expect(riverEvent?.status).toBe('CANCELLED');
    expect(riverEvent?.sequence).toBeGreaterThan(clinicEvent?.sequence ?? 0);

    // Moved an hour later: same UID, one more in the sequence, the new local time.
    const later = { startsAt: localIn(3 * 24 * 60 + 60), endsAt: localIn(3 * 24 * 60 + 210) };
    expectNoErrors(
      await org.lead.gql(
        `mutation ($id: ID!, $input: ActivityInput!) { updateActivity(id: $id, input: $input) { id } }`,
        {
          id: clinic.id,
          input: {
            teamId: red,
            title: '社区义诊',
            description: '清理新墙河岸垃圾',
            category: 'ENVIRONMENT',
            placeName: '新墙河大桥',
            latitude: 29.1446,
            longitude: 113.1287,
            capacity: 20,
            isPublic: false,
            ...later,
          },
        },
      ),
    );
    const again = await testApp
      .anonymous(org.slug)
      .gql<{ calendarFeedFile: { text: string } | null }>(FEED_FILE, { token: tokenOf(url) });
    const moved = parseEvents(again.data?.calendarFeedFile?.text ?? '').find((event) => event.summary === '社区义诊');
    expect(moved?.uid).toBe(clinicEvent?.uid);
    expect(moved?.sequence).toBe((clinicEvent?.sequence ?? 0) + 1);
    expect(moved?.localStart).toBe(`${later.startsAt}:00`);
  });

  it("a team's feed lists its published activities, not drafts; revoking ends the feed at once", async () => {
    const red = org.teams['RED'] ?? '';
    await createActivity(org.lead, { teamId: red, title: '未发布的草稿', publish: false });
    await createActivity(org.admin, { teamId: org.teams['GREEN'] ?? '', title: '绿队植树' });
    const created = await member().client.gql<{ createCalendarFeed: { url: string; feed: { id: string } } }>(
      CREATE_FEED,
      { teamId: red },
    );
    expectNoErrors(created);
    const token = tokenOf(created.data?.createCalendarFeed.url ?? '');
    const read = await testApp
      .anonymous(org.slug)
      .gql<{ calendarFeedFile: { text: string } | null }>(FEED_FILE, { token });
    const titles = parseEvents(read.data?.calendarFeedFile?.text ?? '').map((event) => event.summary);
    expect(titles).toEqual(expect.arrayContaining(['社区义诊', '河道清理', '党课下乡']));
    expect(titles).not.toContain('未发布的草稿');
    expect(titles).not.toContain('绿队植树');

    const listed = await member().client.gql<{ calendarFeeds: { id: string; team: { colour: string } | null }[] }>(
      `{ calendarFeeds { id team { colour } } }`,
    );
    expect(listed.data?.calendarFeeds.map((feed) => feed.team?.colour ?? null)).toEqual(['RED', null]);

    const feedId = created.data?.createCalendarFeed.feed.id;
    // Someone else's feed is not theirs to revoke.
    const other = org.members[1]?.client;
    if (!other) throw new Error('member');
    expect(
      errorCode(await other.gql(`mutation ($id: ID!) { revokeCalendarFeed(id: $id) { id } }`, { id: feedId })),
    ).toBe('NOT_FOUND');
    expectNoErrors(
      await member().client.gql(`mutation ($id: ID!) { revokeCalendarFeed(id: $id) { revokedAt } }`, { id: feedId }),
    );
    const revoked = await testApp.anonymous(org.slug).gql<{ calendarFeedFile: null }>(FEED_FILE, { token });
    expectNoErrors(revoked);
    expect(revoked.data?.calendarFeedFile).toBeNull();
    // A token of the right shape that was never made, and one of the wrong shape: null, no error.
    for (const guess of ['A'.repeat(43), 'not-a-token']) {
      const result = await testApp.anonymous(org.slug).gql<{ calendarFeedFile: null }>(FEED_FILE, { token: guess });
      expect(result.data?.calendarFeedFile).toBeNull();
    }
  });

  it('gives one activity as an .ics file to anyone who may see it', async () => {
    const activity = await createActivity(org.lead, {
      teamId: org.teams['RED'] ?? '',
      title: '敬老院慰问',
      isPublic: true,
      startsAt: localIn(2 * 24 * 60),
      endsAt: localIn(2 * 24 * 60 + 90),
    });
    const query = `query ($id: ID!) { activityCalendarFile(id: $id) { fileName text } }`;
    const result = await testApp
      .anonymous(org.slug)
      .gql<{ activityCalendarFile: { fileName: string; text: string } }>(query, { id: activity.id });
    expectNoErrors(result);
    expect(result.data?.activityCalendarFile.fileName).toBe(`activity-${activity.id}.ics`);
    const [event] = parseEvents(result.data?.activityCalendarFile.text ?? '');
    expect(event).toMatchObject({ summary: '敬老院慰问', localStart: `${activity.startsAtLocal}:00` });
    // A draft is not for the public.
    const draft = await createActivity(org.lead, { teamId: org.teams['RED'] ?? '', publish: false });
    expect(errorCode(await testApp.anonymous(org.slug).gql(query, { id: draft.id }))).toBe('NOT_FOUND');
  });
});
