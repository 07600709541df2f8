/**
 * `pnpm bench:board`: the big screen's `board` query at county scale on
 * PostgreSQL. Fills an organization with 31,172 members in the seven teams,
 * 60,000 activities over three years (a few today) and 1,000,000 sign-ups
 * with check-ins, then times `board` through the real GraphQL endpoint over
 * HTTP. Prints figures; asserts nothing.
 *
 * Service records (the hours domain) are not in this build: the hours
 * figures answer null, and the check-ins stand in for the history.
 *
 * Uses a fresh database on TEST_DATABASE_URL / DATABASE_URL (else the local
 * server) and drops it afterwards; `--keep` keeps it to look at query plans.
 */
import { buildApp, loadConfig } from '@qicai/api';
import { createTestDatabase } from '@qicai/db/testing';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { CookieJar } from './cookie-jar.ts';
import { registerAccount } from './registration.ts';

const MEMBERS = 31_172;
const ACTIVITIES = 60_000;
const SIGN_UPS = 1_000_000;
const REPEAT = 100;

const testDatabase = await createTestDatabase('postgres');
let statements = 0;
const database = await testDatabase.open({
  poolSize: 10,
  onQuery: () => {
    statements++;
  },
});
// No SMS provider: the registration's code is taken from the message the app would send.
const codes = new Map<string, string>();
const app = await buildApp({
  deliveryAdapter: {
    send: (message) => {
      const code = message.params['code'];
      if (code) codes.set(message.recipient, code);
      return Promise.resolve();
    },
  },
  // A throwaway secret: production settings (no introspection, no GraphiQL), nothing signed outlives the run.
  config: loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', PORT: '0', APP_SECRET: 'b'.repeat(32) }),
  database,
});
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

const cookies = new CookieJar();
let org = '';

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<unknown> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...cookies.header(), ...(org && { 'x-qicai-org': org }) },
    body: JSON.stringify({ query, variables }),
  });
  // Every cookie by its name: a sign-in sets the session's and the known device's.
  cookies.take(response);
  const answer = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (answer.errors) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? Number.NaN;
}

const BOARD = `{ board { checkedInNow todayCount childrenSponsored hours { thisMonthMinutes }
  today { id title checkedIn } teams { colour members activitiesThisMonth checkedInNow }
  feed { maskedName at } trend { month minutes } } }`;

try {
  await registerAccount(
    (query, variables) => gql(query, variables),
    { displayName: '基准管理员', phone: '13800000001', password: 'bench-password-1' },
    (recipient) => Promise.resolve(codes.get(recipient) ?? ''),
  );
  const created = (await gql(
    `mutation { createOrganization(input: { name: "岳阳县七彩之光志愿者协会", slug: "bench-board" }) { id slug } }`,
  )) as { createOrganization: { id: string; slug: string } };
  org = created.createOrganization.slug;
  const orgId = created.createOrganization.id;

  const fillStart = performance.now();
  // As the database's owner (a superuser on the test server): bulk SQL, not the API.
  const owner = postgres(testDatabase.url ?? '', { max: 1, onnotice: () => {} });
  await owner`insert into members (org_id, id, display_name, active)
    select ${orgId}, ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '志愿者' || i, i % 20 <> 0
    from generate_series(1, ${MEMBERS}) i`;
  await owner`insert into team_memberships (org_id, team_id, member_id)
    select ${orgId}, t.id, ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid
    from generate_series(1, ${MEMBERS}) i
    join (select id, row_number() over (order by colour) - 1 as n from teams where org_id = ${orgId}) t on t.n = i % 7`;
  // Three years of activities, one every ~26 minutes, the last few around now.
  await owner`insert into activities (org_id, id, team_id, title, category, place_name, latitude, longitude,
      starts_at, ends_at, capacity, status)
    select ${orgId}, ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, t.id, '活动' || i, 'ENVIRONMENT',
      '荣家湾镇', 29.1446, 113.1287,
      now() - ((${ACTIVITIES} - i) * interval '26 minutes') - interval '1 hour',
      now() - ((${ACTIVITIES} - i) * interval '26 minutes') + interval '2 hours', 50, 'PUBLISHED'
    from generate_series(1, ${ACTIVITIES}) i
    join (select id, row_number() over (order by colour) - 1 as n from teams where org_id = ${orgId}) t on t.n = i % 7`;
  await owner`insert into sign_ups (org_id, activity_id, member_id, status, checked_in_at, checked_out_at, attendance)
    select ${orgId}, ('00000000-0000-4000-9000-' || lpad(to_hex(1 + i % ${ACTIVITIES}), 12, '0'))::uuid,
      ('00000000-0000-4000-8000-' || lpad(to_hex(1 + (i::bigint * 7919) % ${MEMBERS}), 12, '0'))::uuid, 'CONFIRMED',
      a.starts_at + interval '5 minutes',
      case when a.ends_at < now() then a.ends_at else null end, 'ATTENDED'
    from generate_series(0, ${SIGN_UPS - 1}) i
    join activities a on a.org_id = ${orgId}
      and a.id = ('00000000-0000-4000-9000-' || lpad(to_hex(1 + i % ${ACTIVITIES}), 12, '0'))::uuid
    on conflict do nothing`;
  await owner`analyze`;
  const [counts] = await owner<{ sign_ups: number }[]>`select count(*)::int as sign_ups from sign_ups`;
  await owner.end();
  console.log(
    `filled: ${MEMBERS} members, ${ACTIVITIES} activities, ${counts?.sign_ups ?? 0} sign-ups with check-ins in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`,
  );

  await gql(BOARD); // warm-up
  const before = statements;
  await gql(BOARD);
  const perBoard = statements - before;
  const durations: number[] = [];
  for (let index = 0; index < REPEAT; index++) {
    const start = performance.now();
    await gql(BOARD);
    durations.push(performance.now() - start);
  }
  durations.sort((left, right) => left - right);
  console.log(
    `board over HTTP, ${REPEAT} times: p50 ${percentile(durations, 0.5).toFixed(1)} ms, p95 ${percentile(durations, 0.95).toFixed(1)} ms; ${perBoard} SQL statements each (with the request's own)`,
  );
} finally {
  await app.close();
  if (process.argv.includes('--keep')) console.log(`kept: ${testDatabase.url ?? ''}`);
  else await testDatabase.drop();
}
