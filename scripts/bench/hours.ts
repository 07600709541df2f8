/**
 * `pnpm bench:hours [members] [records per member]`: service-hours totals at
 * county scale — 31,000 members with 32 approved records each (about a
 * million) by default. Loads them with SQL on a fresh test database (the
 * rollups summed once, as the demo does), then times, through the real app,
 * the year's leaderboard, a member's totals and the organization's figures,
 * and one approval. Prints figures; asserts nothing but the totals.
 */
import { buildApp, DEFAULT_TEAMS, loadConfig } from '@qicai/api';
import { accounts, members, organizations, queryRows, sessions, TEAM_COLOURS, teams, withTenant } from '@qicai/db';
import { createTestDatabase } from '@qicai/db/testing';
import { sql } from 'drizzle-orm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import postgres from 'postgres';

const memberCount = Number(process.argv[2] ?? 31_000);
const perMember = Number(process.argv[3] ?? 32);
const testDatabase = await createTestDatabase();
const database = await testDatabase.open({ poolSize: 10 });
const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), database });

const orgId = randomUUID();
const slug = 'bench-hours';
const token = randomBytes(32).toString('base64url');
const loadStarted = performance.now();
await withTenant(database.db, { orgId, accountId: null }, async (tx) => {
  await tx.insert(organizations).values({ id: orgId, slug, name: '压力测试协会' });
  await tx
    .insert(teams)
    .values(TEAM_COLOURS.map((colour) => ({ orgId, colour, ...DEFAULT_TEAMS[colour] })))
    .returning();
  const accountId = randomUUID();
  await tx
    .insert(accounts)
    .values({ id: accountId, displayName: '管理员', email: 'bench-hours@example.cn', passwordHash: 'x' });
  await tx.insert(members).values({ orgId, accountId, displayName: '管理员', role: 'ADMIN' });
  await tx.insert(sessions).values({
    tokenHash: createHash('sha256').update(token).digest('hex'),
    accountId,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  await tx.execute(sql`insert into members (org_id, display_name)
    select ${orgId}, '志愿者' || n from generate_series(1, ${memberCount - 1}) n`);
  await tx.execute(sql`insert into team_memberships (org_id, team_id, member_id)
    select m.org_id, (array_agg(t.id) over ())[1 + (row_number() over () % 7)::int], m.id
    from members m cross join lateral (select id from teams where org_id = m.org_id limit 1) t where m.org_id = ${orgId}`);
  // Each member's records on distinct days of the last two years, 2 hours each, approved.
  await tx.execute(sql`insert into service_records (org_id, member_id, team_id, activity_name, service_date, place,
      content, minutes, organizing_unit, activity_lead, source, status, starts_at, ends_at, decided_at)
    select m.org_id, m.id, tm.team_id, '社区服务', d, '荣家湾镇', '服务', 60 + (m.rn + g) % 4 * 30, '协会', '队长',
      'SELF_REPORTED', 'APPROVED', d + time '09:00', d + time '09:00' + ((60 + (m.rn + g) % 4 * 30) || ' minutes')::interval, now()
    from (select id, org_id, row_number() over () as rn from members where org_id = ${orgId}) m
    join team_memberships tm on tm.org_id = m.org_id and tm.member_id = m.id
    cross join generate_series(1, ${perMember}) g
    cross join lateral (select (current_date - ((g * 21 + m.rn) % 700)::int) as d) day`);
  const approved = sql`from service_records where org_id = ${orgId} and status = 'APPROVED'`;
  const year = sql`extract(year from service_date)::smallint`;
  const month = sql`extract(month from service_date)::smallint`;
  await tx.execute(sql`insert into service_hours_member_year (org_id, member_id, year, minutes, records)
    select org_id, member_id, ${year}, sum(minutes), count(*) ${approved} group by 1, 2, 3`);
  await tx.execute(sql`insert into service_hours_member_month (org_id, member_id, year, month, minutes, records)
    select org_id, member_id, ${year}, ${month}, sum(minutes), count(*) ${approved} group by 1, 2, 3, 4`);
  await tx.execute(sql`insert into service_hours_member_total (org_id, member_id, minutes, records)
    select org_id, member_id, sum(minutes), count(*) ${approved} group by 1, 2`);
  await tx.execute(sql`insert into service_hours_team_month (org_id, team_id, year, month, minutes, records)
    select org_id, team_id, ${year}, ${month}, sum(minutes), count(*) ${approved} group by 1, 2, 3, 4`);
  await tx.execute(sql`insert into service_hours_org_month (org_id, year, month, minutes, records)
    select org_id, ${year}, ${month}, sum(minutes), count(*) ${approved} group by 1, 2, 3`);
});
// The application role owns no table, so it cannot ANALYZE: the owner does, as autovacuum would in time.
if (testDatabase.url) {
  const owner = postgres(testDatabase.url, { max: 1, onnotice: () => undefined });
  await owner`vacuum analyze`;
  await owner.end();
}
console.log(
  `${memberCount} members, ${memberCount * perMember} approved records loaded in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s (${database.driver})`,
);

if (process.env['EXPLAIN']) {
  const year = new Date().getFullYear();
  const plans = await withTenant(database.db, { orgId, accountId: null }, (tx) =>
    queryRows<Record<string, string>>(
      tx,
      sql`explain analyze select member_id, minutes from service_hours_member_year where org_id = ${orgId} and year = ${year} and minutes > 0 order by minutes desc, member_id asc limit 20`,
    ),
  );
  console.log(plans.map((row) => Object.values(row).join(' ')).join('\n'));
}

async function gql(query: string, variables: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-qicai-org': slug, cookie: `qicai_session=${token}` },
    payload: { query, variables },
  });
  const body = response.json<{ data: Record<string, unknown> | null; errors?: unknown[] }>();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

async function time(label: string, query: string, runs = 100) {
  await gql(query);
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const sent = performance.now();
    await gql(query);
    times.push(performance.now() - sent);
  }
  console.log(`${label}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
}

await time(
  "this year's leaderboard, top 20",
  `{ hoursLeaderboard(period: YEAR, first: 20) { rank minutes member { id displayName } } }`,
);
await time(
  'all-time leaderboard, top 20',
  `{ hoursLeaderboard(period: ALL_TIME, first: 20) { rank minutes member { id } } }`,
);
await time(
  'the viewer’s totals and star level',
  `{ memberHours { thisYearMinutes allTimeMinutes star { level progress } } }`,
);
await time(
  'the organization: this month, this year, 12 months, per team',
  `{ organizationHours { thisMonthMinutes thisYearMinutes lastTwelveMonths { minutes } } teamHours { minutes team { colour } } }`,
);

const figures = (await gql(`{ organizationHours { allTimeMinutes } }`)) as {
  organizationHours: { allTimeMinutes: number };
};
const [summed] = await withTenant(database.db, { orgId, accountId: null }, (tx) =>
  queryRows<{ minutes: string }>(
    tx,
    sql`select sum(minutes)::bigint as minutes from service_records where status = 'APPROVED'`,
  ),
);
console.log(
  `organization's all-time minutes: ${figures.organizationHours.allTimeMinutes} (sum of the records: ${summed?.minutes ?? 0})`,
);

await app.close();
await testDatabase.drop();
