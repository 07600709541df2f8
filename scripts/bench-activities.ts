/**
 * `pnpm tsx scripts/bench-activities.ts [members]`: how sign-ups hold up
 * when everyone presses at once, and what the activity list costs. Runs the
 * real app (inject) on a fresh test database and prints figures; asserts
 * nothing but capacity.
 */
import { buildApp, DEFAULT_TEAMS, loadConfig } from '@qicai/api';
import {
  accounts,
  activities,
  members,
  organizations,
  sessions,
  TEAM_COLOURS,
  teamMemberships,
  teams,
  withTenant,
} from '@qicai/db';
import { createTestDatabase } from '@qicai/db/testing';
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const memberCount = Number(process.argv[2] ?? 1000);
const capacity = Math.max(1, Math.floor(memberCount / 10));
let statements = 0;
const testDatabase = await createTestDatabase();
const database = await testDatabase.open({
  poolSize: 10,
  onQuery: () => {
    statements++;
  },
});
const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database });

const orgId = randomUUID();
const slug = 'bench-org';
const tokens: string[] = [];
let redTeamId = '';
const hash = (token: string) => createHash('sha256').update(token).digest('hex');
await withTenant(database.db, { orgId, accountId: null }, async (tx) => {
  await tx.insert(organizations).values({ id: orgId, slug, name: '压力测试协会' });
  const teamRows = await tx
    .insert(teams)
    .values(TEAM_COLOURS.map((colour) => ({ orgId, colour, ...DEFAULT_TEAMS[colour] })))
    .returning();
  const people = Array.from({ length: memberCount + 1 }, (_, index) => ({
    id: randomUUID(),
    displayName: `志愿者${index}`,
    email: `bench${index}.${orgId.slice(0, 8)}@example.cn`,
    passwordHash: 'not used',
  }));
  for (let start = 0; start < people.length; start += 1000) {
    const chunk = people.slice(start, start + 1000);
    await tx.insert(accounts).values(chunk);
    const memberRows = await tx
      .insert(members)
      .values(
        chunk.map((person, index) => ({
          orgId,
          accountId: person.id,
          displayName: person.displayName,
          role: start + index === 0 ? ('LEAD' as const) : ('MEMBER' as const),
        })),
      )
      .returning({ id: members.id });
    if (start === 0 && memberRows[0]) {
      await tx
        .insert(teamMemberships)
        .values({ orgId, teamId: teamRows[0]?.id ?? '', memberId: memberRows[0].id, isLead: true });
    }
    const chunkTokens = chunk.map(() => randomBytes(32).toString('base64url'));
    tokens.push(...chunkTokens);
    await tx.insert(sessions).values(
      chunk.map((person, index) => ({
        tokenHash: hash(chunkTokens[index] ?? ''),
        accountId: person.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      })),
    );
  }
  // Three hundred activities a month ahead, for the list.
  const red = teamRows[0]?.id ?? '';
  redTeamId = red;
  await tx.insert(activities).values(
    Array.from({ length: 300 }, (_, index) => {
      const startsAt = new Date(Date.now() + (2 + index / 10) * 86_400_000);
      return {
        orgId,
        teamId: teamRows[index % 7]?.id ?? red,
        title: `活动 ${index}`,
        category: 'ENVIRONMENT' as const,
        placeName: '荣家湾镇',
        latitude: 29.14,
        longitude: 113.12,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 7_200_000),
        capacity: 30,
        status: 'PUBLISHED' as const,
      };
    }),
  );
});

async function gql(token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-qicai-org': slug, cookie: `qicai_session=${token}` },
    payload: { query, variables },
  });
  return response.json<{ data: Record<string, { id: string; status: string }> | null; errors?: unknown[] }>();
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

const [leadToken = '', ...memberTokens] = tokens;
const local = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
const start = new Date(Date.now() + 86_400_000);
const created = await gql(leadToken, `mutation ($input: ActivityInput!) { createActivity(input: $input) { id } }`, {
  input: {
    teamId: redTeamId,
    title: '压力测试活动',
    category: 'ENVIRONMENT',
    placeName: '荣家湾镇',
    latitude: 29.14,
    longitude: 113.12,
    startsAt: local(start),
    endsAt: local(new Date(start.getTime() + 7_200_000)),
    capacity,
    isPublic: false,
    publish: true,
  },
});
const activityId = created.data?.['createActivity']?.id ?? '';

// Everyone presses at once.
const latencies: number[] = [];
const began = performance.now();
const results = await Promise.all(
  memberTokens.map(async (token) => {
    const sent = performance.now();
    const result = await gql(token, `mutation ($id: ID!) { signUp(activityId: $id) { id status } }`, {
      id: activityId,
    });
    latencies.push(performance.now() - sent);
    return result.data?.['signUp']?.status ?? 'ERROR';
  }),
);
const elapsed = performance.now() - began;
const confirmed = results.filter((status) => status === 'CONFIRMED').length;
const waitlisted = results.filter((status) => status === 'WAITLISTED').length;
console.log(
  `${memberCount} concurrent sign-ups for ${capacity} places: ${confirmed} confirmed, ${waitlisted} waitlisted, ${results.length - confirmed - waitlisted} errors`,
);
console.log(
  `  ${elapsed.toFixed(0)} ms in all, ${(memberCount / (elapsed / 1000)).toFixed(0)} sign-ups/s; latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, max ${percentile(latencies, 100).toFixed(0)} ms`,
);
if (confirmed !== capacity) throw new Error('capacity was not kept');

// The list a member sees: 100 activities with team, counts and their own sign-up.
const LIST = `{ activities(first: 100) { nodes { id title startsAt team { colour name { zh } } confirmedCount waitlistCount
  viewerSignUp { status waitlistPosition } viewerCanManage } } }`;
const listTimes: number[] = [];
let listStatements = 0;
for (let run = 0; run < 20; run++) {
  const before = statements;
  const sent = performance.now();
  await gql(memberTokens[run] ?? leadToken, LIST);
  listTimes.push(performance.now() - sent);
  listStatements = statements - before;
}
console.log(
  `list of 100 activities: ${listStatements} SQL statements, p50 ${percentile(listTimes, 50).toFixed(1)} ms, p95 ${percentile(listTimes, 95).toFixed(1)} ms (${database.driver})`,
);

await app.close();
await testDatabase.drop();
