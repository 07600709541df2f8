/**
 * The benchmark dataset: a county's worth of organizations, members,
 * activities, sign-ups and sponsorships, generated from a fixed seed (the same
 * rows on every run) and loaded with COPY. Used by `pnpm bench:seed` at full
 * size and by api/test/bench-dataset.test.ts at a small scale.
 *
 * Loaded as the database owner (a superuser: row-level security does not
 * apply), into a migrated, empty database. The big tables are loaded without
 * their foreign keys and secondary indexes, which are then rebuilt from their
 * own definitions (read from the catalogue before dropping them), so the end
 * state is exactly what the migrations make, checked once in bulk instead of
 * row by row.
 */
import { DEFAULT_TEAMS, hashPassword } from '@qicai/api';
import { TEAM_COLOURS, type ActivityCategory } from '@qicai/db';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { GIVEN, SKILLS, SURNAMES, WORK_UNITS, seeded } from './roster-data.ts';

/** Every account of the dataset signs in with this password. */
export const BENCH_PASSWORD = 'bench-password-1';
/** The largest organization (the source article's county: 31,172 members). */
export const LARGEST_SLUG = 'bench-county';
export const LARGEST_MEMBERS = 31_172;

const FULL = {
  organizations: 200,
  members: 50_000,
  activities: 200_000,
  signUps: 2_000_000,
  serviceRecords: 1_000_000,
  children: 5_000,
};

/** The county's village service stations (the article: 100+ on the big screen), each with its people and logbook. */
export const BENCH_STATIONS = 120;
const STATION_PEOPLE = 3;
/** Visits a station records a day, and how many days of logbook there are (today's counted so far). */
const STATION_VISITS_PER_DAY = 15;
const STATION_LOGBOOK_DAYS = 30;
const STATION_CATEGORIES = ['POLICY', 'ERRANDS', 'HEALTH', 'LEGAL', 'ELDERLY', 'CHILDREN', 'EMPLOYMENT', 'OTHER'];

export interface BenchDatasetOptions {
  /** A migrated, empty database, as its owner. */
  url: string;
  /** 1 is the full dataset; 0.01 a hundredth of it. */
  scale?: number;
  /** Approved service records (default 1,000,000 × scale). */
  serviceRecords?: number;
  /** "Now" for the dataset: activities are spread around it. */
  now?: Date;
  /** Called as rows are written: the table and how far it is. */
  progress?: (table: string, done: number, total: number) => void;
}

export interface BenchDatasetSummary {
  largest: { orgId: string; slug: string; adminLogin: string; memberLogins: string[] };
  rows: Record<string, number>;
  /** Milliseconds per stage, in the order they ran. */
  timings: { stage: string; rows: number; ms: number }[];
}

/** The login (mobile number) of the dataset's g-th member: 137…, unique and valid. */
export const benchPhone = (globalIndex: number) => String(13_700_000_000 + globalIndex);

/** Deterministic ids: a per-table prefix and a counter (ascending, so primary keys load in order). */
const uuidOf = (prefix: string, index: number) => `${prefix}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
const ORG = 'b0000001';
const ACCOUNT = 'b0000002';
const MEMBER = 'b0000003';
const TEAM = 'b0000004';
const ACTIVITY = 'b0000005';
const SIGN_UP = 'b0000006';
const CHILD = 'b0000007';
const SPONSOR = 'b0000008';
const SPONSORSHIP = 'b0000009';
const STATION = 'b000000a';
const STATION_VISIT = 'b000000b';

const CATEGORIES: ActivityCategory[] = [
  'LECTURE',
  'ENVIRONMENT',
  'FREE_CLINIC',
  'BLOOD_DRIVE',
  'DISASTER_RELIEF',
  'HOME_VISIT',
  'CARE_FOR_CHILDREN',
  'PUBLIC_COURSE',
  'OTHER',
];
const TOWNSHIPS = ['荣家湾镇', '新墙镇', '筻口镇', '杨林乡', '月田镇', '张谷英镇', '步仙镇', '公田镇'];
const DAY = 86_400_000;

type Cell = string | number | boolean | null | Date | readonly string[];

/** COPY's text format: tab-separated, \N for null, backslash escapes. */
function encodeCell(value: Cell): string {
  if (value === null) return '\\N';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map((item: string) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value).replace(/[\\\t\n\r]/g, (character) =>
    character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r',
  );
}

export async function seedBenchDataset(options: BenchDatasetOptions): Promise<BenchDatasetSummary> {
  const scale = options.scale ?? 1;
  const now = options.now ?? new Date();
  const random = seeded(20_180_601);
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)] as Item;
  const integer = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  const timings: BenchDatasetSummary['timings'] = [];
  let memberCountForRecords = 1;
  const rows: Record<string, number> = {};

  async function copy(table: string, columns: string[], total: number, source: () => Iterable<Cell[]>) {
    const started = performance.now();
    let done = 0;
    function* chunks() {
      let buffer = '';
      for (const row of source()) {
        buffer += `${row.map(encodeCell).join('\t')}\n`;
        done++;
        if (buffer.length > 256_000) {
          options.progress?.(table, done, total);
          yield buffer;
          buffer = '';
        }
      }
      yield buffer;
    }
    const writable = await sql
      .unsafe(`COPY "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) FROM STDIN`)
      .writable();
    await pipeline(Readable.from(chunks()), writable);
    options.progress?.(table, done, done);
    rows[table] = (rows[table] ?? 0) + done;
    timings.push({ stage: table, rows: done, ms: performance.now() - started });
  }

  /**
   * Approved service records: first one per attended sign-up of a past
   * activity (computed from check-in and check-out), in sign-up order; beyond
   * those (the 10,000,000 option), service outside the platform, spread over
   * each member's year so that one member's records do not overlap.
   */
  async function loadServiceRecords(target: number) {
    const started = performance.now();
    await sql`create temp table bench_admins as
      select org_id, min(id::text)::uuid as id from members where role = 'ADMIN' group by org_id`;
    const fromSignUps = await sql`
      insert into service_records (org_id, id, member_id, activity_id, team_id, activity_name, service_date, place,
        content, minutes, organizing_unit, activity_lead, source, status, starts_at, ends_at, decided_by_member_id,
        decided_at, created_at)
      select s.org_id, ('b000000a' || substr(s.id::text, 9))::uuid, s.member_id, a.id, a.team_id, a.title,
        (s.checked_in_at at time zone 'Asia/Shanghai')::date, a.place_name, '志愿服务',
        ceil(extract(epoch from s.checked_out_at - s.checked_in_at) / 60)::int, o.name, '队长', 'CHECK_IN', 'APPROVED',
        s.checked_in_at, s.checked_out_at, ad.id, s.checked_out_at + interval '1 day', s.checked_out_at
      from sign_ups s
      join activities a on a.org_id = s.org_id and a.id = s.activity_id
      join organizations o on o.id = s.org_id
      join bench_admins ad on ad.org_id = s.org_id
      where s.attendance = 'ATTENDED'
      order by s.id limit ${target}`;
    const extra = Math.max(0, target - fromSignUps.count);
    if (extra > 0) {
      await sql`create temp table bench_member_index as
        select (row_number() over (order by id) - 1)::int as idx, org_id, id from members`;
      const perMember = Math.ceil(extra / memberCountForRecords);
      const spacingHours = Math.max(3, Math.floor((340 * 24) / perMember));
      await sql`
        insert into service_records (org_id, id, member_id, team_id, activity_name, service_date, place, content,
          minutes, organizing_unit, activity_lead, source, status, starts_at, ends_at, decided_by_member_id, decided_at,
          created_at)
        select m.org_id, ('b000000b-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, m.id, null, '社区志愿服务',
          (t.starts_at at time zone 'Asia/Shanghai')::date, '社区服务站', '志愿服务', 120, '七彩志愿者协会', '队长',
          'LEAD_ENTERED', 'APPROVED', t.starts_at, t.starts_at + interval '2 hours',
          case when ad.id = m.id then null else ad.id end, t.starts_at + interval '1 day', t.starts_at + interval '1 day'
        from generate_series(0, ${extra - 1}::bigint) as g
        join bench_member_index m on m.idx = g % ${memberCountForRecords}
        join bench_admins ad on ad.org_id = m.org_id
        cross join lateral (select ${now.toISOString()}::timestamptz - interval '345 days'
          + (g / ${memberCountForRecords}) * make_interval(hours => ${spacingHours}) as starts_at) t`;
    }
    rows['service_records'] = target;
    timings.push({ stage: 'service_records', rows: fromSignUps.count + extra, ms: performance.now() - started });
  }

  /** The rollups, as the sums of the approved records (what the hours module keeps them at). */
  async function loadRollups() {
    await stage('hour rollups', async () => {
      const approved = sql`service_records where status = 'APPROVED'`;
      await sql`insert into service_hours_member_year (org_id, member_id, year, minutes, records)
        select org_id, member_id, extract(year from service_date)::int, sum(minutes), count(*) from ${approved}
        group by 1, 2, 3`;
      await sql`insert into service_hours_member_month (org_id, member_id, year, month, minutes, records)
        select org_id, member_id, extract(year from service_date)::int, extract(month from service_date)::int,
          sum(minutes), count(*) from ${approved} group by 1, 2, 3, 4`;
      await sql`insert into service_hours_member_total (org_id, member_id, minutes, records)
        select org_id, member_id, sum(minutes), count(*) from ${approved} group by 1, 2`;
      await sql`insert into service_hours_team_month (org_id, team_id, year, month, minutes, records)
        select org_id, team_id, extract(year from service_date)::int, extract(month from service_date)::int,
          sum(minutes), count(*) from ${approved} and team_id is not null group by 1, 2, 3, 4`;
      await sql`insert into service_hours_org_month (org_id, year, month, minutes, records)
        select org_id, extract(year from service_date)::int, extract(month from service_date)::int,
          sum(minutes), count(*) from ${approved} group by 1, 2, 3`;
    });
  }

  /** The sign-up counters of every activity, as the sign_ups_count trigger keeps them (migration 0021). */
  async function loadActivityCounts() {
    await stage('activity counts', async () => {
      await sql`update activities a
        set confirmed_count = c.confirmed, waitlist_count = c.waitlisted, checked_in_count = c.checked_in
        from (select org_id, activity_id,
            count(*) filter (where status = 'CONFIRMED')::int as confirmed,
            count(*) filter (where status = 'WAITLISTED')::int as waitlisted,
            count(*) filter (where status = 'CONFIRMED' and checked_in_at is not null and checked_out_at is null)::int
              as checked_in
          from sign_ups group by org_id, activity_id) c
        where a.org_id = c.org_id and a.id = c.activity_id`;
      await sql`alter table sign_ups enable trigger sign_ups_count`;
      // As the activities_beneficiaries_count trigger keeps them (migration 0024).
      await sql`insert into activity_beneficiaries_team_month (org_id, team_id, year, month, activities, beneficiaries)
        select a.org_id, a.team_id,
          extract(year from a.starts_at at time zone o.time_zone)::smallint,
          extract(month from a.starts_at at time zone o.time_zone)::smallint,
          count(*)::int, sum(a.beneficiaries)
        from activities a join organizations o on o.id = a.org_id
        where a.beneficiaries is not null and a.status <> 'CANCELLED'
        group by 1, 2, 3, 4`;
      await sql`alter table activities enable trigger activities_beneficiaries_count`;
    });
  }

  async function stage(name: string, work: () => Promise<unknown>) {
    const started = performance.now();
    await work();
    timings.push({ stage: name, rows: 0, ms: performance.now() - started });
  }

  try {
    await sql`set maintenance_work_mem = '256MB'`;
    await sql`set synchronous_commit = off`;

    // Organizations of very uneven size: the county, then a long tail (weights 1/k).
    const organizationCount = Math.max(3, Math.round(FULL.organizations * scale));
    const memberTotal = Math.max(organizationCount * 8, Math.round(FULL.members * scale));
    const largest = Math.max(8, Math.round(LARGEST_MEMBERS * scale));
    const weights = Array.from({ length: organizationCount - 1 }, (_, k) => 1 / (k + 1));
    const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
    const sizes = [
      largest,
      ...weights.map((weight) => Math.max(8, Math.floor(((memberTotal - largest) * weight) / weightSum))),
    ];
    // What rounding left over goes to the second organization, so the total is exact.
    sizes[1] = Math.max(8, (sizes[1] ?? 8) + memberTotal - sizes.reduce((sum, size) => sum + size, 0));
    /** The global index of each organization's first member. */
    const firstMember: number[] = [];
    let membersSoFar = 0;
    for (const size of sizes) {
      firstMember.push(membersSoFar);
      membersSoFar += size;
    }
    const memberCount = membersSoFar;
    memberCountForRecords = memberCount;
    const orgIndexOfMember = new Uint16Array(memberCount);
    sizes.forEach((size, org) => orgIndexOfMember.fill(org, firstMember[org], (firstMember[org] ?? 0) + size));
    const slugOf = (org: number) => (org === 0 ? LARGEST_SLUG : `bench-org-${String(org).padStart(3, '0')}`);
    const orgId = (org: number) => uuidOf(ORG, org);
    const memberId = (globalIndex: number) => uuidOf(MEMBER, globalIndex);
    const teamId = (org: number, colour: number) => uuidOf(TEAM, org * 7 + colour);

    await copy('organizations', ['id', 'slug', 'name'], organizationCount, function* () {
      for (let org = 0; org < organizationCount; org++) {
        yield [orgId(org), slugOf(org), org === 0 ? '岳阳县七彩之光志愿者协会' : `七彩志愿者协会第${org}分会`];
      }
    });
    await copy(
      'teams',
      ['org_id', 'id', 'colour', 'name_zh', 'name_en', 'mission_zh', 'mission_en'],
      organizationCount * 7,
      function* () {
        for (let org = 0; org < organizationCount; org++) {
          for (const [colour, name] of TEAM_COLOURS.entries()) {
            const defaults = DEFAULT_TEAMS[name];
            yield [
              orgId(org),
              teamId(org, colour),
              name,
              defaults.nameZh,
              defaults.nameEn,
              defaults.missionZh,
              defaults.missionEn,
            ];
          }
        }
      },
    );

    // One argon2id hash for everyone: hashing 50,000 passwords would take longer than the rest.
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const names: string[] = [];
    for (let index = 0; index < memberCount; index++) {
      const givenLength = 1 + Math.floor(random() * 2);
      let given = '';
      for (let character = 0; character < givenLength; character++) given += pick(Array.from(GIVEN));
      names.push(pick(Array.from(SURNAMES)) + given);
    }
    await copy('accounts', ['id', 'phone', 'password_hash', 'display_name'], memberCount, function* () {
      for (let index = 0; index < memberCount; index++) {
        yield [uuidOf(ACCOUNT, index), benchPhone(index), passwordHash, names[index] ?? ''];
      }
    });
    /** A member's place in their organization: 0 the admin, 1–7 the teams' leads. */
    const rankOf = (globalIndex: number) => globalIndex - (firstMember[orgIndexOfMember[globalIndex] ?? 0] ?? 0);
    await copy(
      'members',
      [
        'org_id',
        'id',
        'account_id',
        'display_name',
        'phone',
        'gender',
        'political_status',
        'party_stage',
        'work_unit',
        'skills',
        'role',
        'joined_on',
      ],
      memberCount,
      function* () {
        for (let index = 0; index < memberCount; index++) {
          const rank = rankOf(index);
          const skills = random() < 0.6 ? [...new Set([pick(SKILLS), ...(random() < 0.3 ? [pick(SKILLS)] : [])])] : [];
          yield [
            orgId(orgIndexOfMember[index] ?? 0),
            memberId(index),
            uuidOf(ACCOUNT, index),
            names[index] ?? '',
            benchPhone(index),
            random() < 0.5 ? 'FEMALE' : 'MALE',
            // 政治面貌 and party stage (the three former categories, as migration 0025 maps them).
            ...pick([
              ['CPC_MEMBER', null],
              ['CPC_MEMBER', null],
              ['CPC_MEMBER', null],
              ['MASSES', 'ACTIVIST'],
              ['MASSES', null],
            ] as const),
            pick(WORK_UNITS),
            skills,
            rank === 0 ? 'ADMIN' : rank <= 7 ? 'LEAD' : 'MEMBER',
            new Date(now.getTime() - integer(0, 3650) * DAY).toISOString().slice(0, 10),
          ];
        }
      },
    );
    await copy(
      'team_memberships',
      ['org_id', 'team_id', 'member_id', 'is_lead'],
      Math.round(memberCount * 1.3),
      function* () {
        for (let index = 0; index < memberCount; index++) {
          const org = orgIndexOfMember[index] ?? 0;
          const rank = rankOf(index);
          if (rank === 0) continue;
          if (rank <= 7) {
            yield [orgId(org), teamId(org, rank - 1), memberId(index), true];
            continue;
          }
          const first = integer(0, 6);
          yield [orgId(org), teamId(org, first), memberId(index), false];
          if (random() < 0.3) yield [orgId(org), teamId(org, (first + integer(1, 6)) % 7), memberId(index), false];
        }
      },
    );

    // Activities: in proportion to each organization's size, over the past eleven months and the coming five weeks.
    const activityTarget = Math.round(FULL.activities * scale);
    const activitiesOf = sizes.map((size) => Math.max(7, Math.round((activityTarget * size) / memberCount)));
    activitiesOf[0] = Math.max(
      7,
      (activitiesOf[0] ?? 7) + activityTarget - activitiesOf.reduce((sum, n) => sum + n, 0),
    );
    const activityCount = activitiesOf.reduce((sum, count) => sum + count, 0);
    const activityOrg = new Uint16Array(activityCount);
    const activityStart = new Float64Array(activityCount);
    const activityMinutes = new Uint16Array(activityCount);
    const activityCapacity = new Uint16Array(activityCount);
    /** 0 published (upcoming), 1 completed, 2 draft. */
    const activityState = new Uint8Array(activityCount);
    {
      let index = 0;
      const windowStart = now.getTime() - 330 * DAY;
      const halfHours = (365 * DAY) / 1_800_000;
      activitiesOf.forEach((count, org) => {
        // In order of time within an organization, as a calendar fills up: rows near in time are near on disk.
        const starts = Array.from({ length: count }, () => windowStart + Math.floor(random() * halfHours) * 1_800_000);
        starts.sort((left, right) => left - right);
        for (let k = 0; k < count; k++, index++) {
          const startsAt = starts[k] ?? windowStart;
          activityOrg[index] = org;
          activityStart[index] = startsAt;
          activityMinutes[index] = integer(2, 8) * 30;
          activityCapacity[index] = integer(10, 50);
          activityState[index] =
            startsAt + (activityMinutes[index] ?? 0) * 60_000 < now.getTime() ? 1 : random() < 0.05 ? 2 : 0;
        }
      });
    }
    const activityId = (index: number) => uuidOf(ACTIVITY, index);

    const signUpTarget = Math.round(FULL.signUps * scale);
    let eligibleActivities = activityState.reduce((sum, state) => sum + (state === 2 ? 0 : 1), 0);
    let arrival = 0;

    // Service hours (the hours module): loaded when the schema has them.
    const [{ hasHours } = { hasHours: false }] = await sql<{ hasHours: boolean }[]>`
      select to_regclass('service_records') is not null as "hasHours"`;
    const recordTarget = options.serviceRecords ?? Math.round(FULL.serviceRecords * scale);
    const bigTables = ['activities', 'sign_ups', ...(hasHours ? ['service_records'] : [])];
    // The sign-up counters on activities and the people served per team and month are set once
    // after the load, not row by row by their triggers.
    await sql`alter table sign_ups disable trigger sign_ups_count`;
    await sql`alter table activities disable trigger activities_beneficiaries_count`;
    await withoutSecondaryIndexes(sql, bigTables, stage, async () => {
      await copy(
        'activities',
        [
          'org_id',
          'id',
          'team_id',
          'title',
          'category',
          'place_name',
          'latitude',
          'longitude',
          'starts_at',
          'ends_at',
          'capacity',
          'is_public',
          'status',
          'beneficiaries',
        ],
        activityCount,
        function* () {
          for (let index = 0; index < activityCount; index++) {
            const org = activityOrg[index] ?? 0;
            const category = pick(CATEGORIES);
            const township = pick(TOWNSHIPS);
            const startsAt = activityStart[index] ?? 0;
            const state = activityState[index];
            yield [
              orgId(org),
              activityId(index),
              teamId(org, integer(0, 6)),
              `${township}${category === 'FREE_CLINIC' ? '义诊' : category === 'LECTURE' ? '党课' : '志愿服务'} ${index}`,
              category,
              `${township}社区服务站`,
              29.14 + random() * 0.3,
              113.12 + random() * 0.3,
              new Date(startsAt),
              new Date(startsAt + (activityMinutes[index] ?? 60) * 60_000),
              activityCapacity[index] ?? 10,
              random() < 0.5,
              state === 1 ? 'COMPLETED' : state === 2 ? 'DRAFT' : 'PUBLISHED',
              state === 1 ? integer(0, 200) : null,
            ];
          }
        },
      );

      // Sign-ups: about ten per activity, each member at most once per activity (rule 9); places first, then the waitlist.
      await copy(
        'sign_ups',
        [
          'org_id',
          'id',
          'activity_id',
          'member_id',
          'status',
          'arrival',
          'signed_up_at',
          'checked_in_at',
          'check_in_method',
          'checked_out_at',
          'check_out_method',
          'attendance',
        ],
        signUpTarget,
        function* () {
          let id = 0;
          const chosen = new Set<number>();
          for (let index = 0; index < activityCount; index++) {
            if (activityState[index] === 2) continue;
            const org = activityOrg[index] ?? 0;
            const size = sizes[org] ?? 8;
            const capacity = activityCapacity[index] ?? 10;
            // About ten each, drawn around what is still to make per activity left, so the total comes out at the target.
            const perActivity = (signUpTarget - id) / eligibleActivities--;
            const wanted = Math.max(0, Math.min(size - 1, capacity + 5, Math.floor(random() * 2 * perActivity + 0.5)));
            chosen.clear();
            while (chosen.size < wanted) chosen.add(integer(1, size - 1));
            const startsAt = activityStart[index] ?? 0;
            const endsAt = startsAt + (activityMinutes[index] ?? 60) * 60_000;
            const past = activityState[index] === 1;
            let confirmed = 0;
            for (const rank of chosen) {
              const place = confirmed < capacity;
              if (place) confirmed++;
              const attended = past && place && random() < 0.85;
              yield [
                orgId(org),
                uuidOf(SIGN_UP, id++),
                activityId(index),
                memberId((firstMember[org] ?? 0) + rank),
                place ? 'CONFIRMED' : 'WAITLISTED',
                ++arrival,
                new Date(startsAt - integer(1, 14) * DAY),
                attended ? new Date(startsAt) : null,
                attended ? 'GPS' : null,
                attended ? new Date(endsAt) : null,
                attended ? 'GPS' : null,
                past && place ? (attended ? 'ATTENDED' : 'NO_SHOW') : null,
              ];
            }
          }
        },
      );
      if (hasHours) await loadServiceRecords(recordTarget);
    });
    if (hasHours) await loadRollups();
    await loadActivityCounts();
    await sql`select setval('sign_up_arrival', ${arrival + 1})`;

    // Children with their guardian's consent; about two in three sponsored one-to-one.
    const childTarget = Math.max(organizationCount, Math.round(FULL.children * scale));
    const childrenOf = sizes.map((size) => Math.max(1, Math.round((childTarget * size) / memberCount)));
    childrenOf[0] = Math.max(1, (childrenOf[0] ?? 1) + childTarget - childrenOf.reduce((sum, n) => sum + n, 0));
    const childCount = childrenOf.reduce((sum, count) => sum + count, 0);
    const childOrg = new Uint16Array(childCount);
    const childSponsored = new Uint8Array(childCount);
    {
      let index = 0;
      childrenOf.forEach((count, org) => {
        for (let k = 0; k < count; k++, index++) {
          childOrg[index] = org;
          childSponsored[index] = random() < 0.65 ? 1 : 0;
        }
      });
    }
    const adminOf = (org: number) => memberId(firstMember[org] ?? 0);
    await copy(
      'children',
      [
        'org_id',
        'id',
        'status',
        'family_name',
        'given_name',
        'gender',
        'date_of_birth',
        'township',
        'village',
        'school',
        'grade',
        'circumstances',
        'needs',
        'guardian_name',
        'guardian_relation',
        'guardian_phone',
        'consent_given_on',
        'consent_text_version',
        'consent_recorded_by',
      ],
      childCount,
      function* () {
        for (let index = 0; index < childCount; index++) {
          const org = childOrg[index] ?? 0;
          const age = integer(4, 16);
          const birth = new Date(now.getTime() - age * 365.25 * DAY - integer(0, 364) * DAY);
          yield [
            orgId(org),
            uuidOf(CHILD, index),
            childSponsored[index] ? 'SPONSORED' : 'WAITING',
            pick(Array.from(SURNAMES)),
            pick(Array.from(GIVEN)) + pick(Array.from(GIVEN)),
            random() < 0.5 ? 'FEMALE' : 'MALE',
            birth.toISOString().slice(0, 10),
            pick(TOWNSHIPS),
            `${pick(['东山', '西湖', '南岭', '北港', '中和'])}村`,
            age >= 6 ? `${pick(TOWNSHIPS)}中心小学` : null,
            age >= 6 ? Math.min(12, age - 6) : null,
            random() < 0.5 ? ['LEFT_BEHIND'] : ['POVERTY', 'LEFT_BEHIND'],
            pick(['学习用品', '冬衣', '课外辅导', '营养餐']),
            pick(Array.from(SURNAMES)) + pick(Array.from(GIVEN)),
            pick(['祖母', '祖父', '母亲', '父亲']),
            String(13_600_000_000 + index),
            new Date(now.getTime() - integer(30, 700) * DAY).toISOString().slice(0, 10),
            'v1',
            adminOf(org),
          ];
        }
      },
    );
    await copy(
      'sponsors',
      ['org_id', 'id', 'kind', 'name', 'phone', 'township', 'children_offered', 'monthly_pledge_fen'],
      childCount,
      function* () {
        for (let index = 0; index < childCount; index++) {
          const party = random() < 0.3;
          yield [
            orgId(childOrg[index] ?? 0),
            uuidOf(SPONSOR, index),
            party ? 'PARTY_ORGANIZATION' : 'INDIVIDUAL',
            party ? `${pick(WORK_UNITS)}党支部` : pick(Array.from(SURNAMES)) + pick(Array.from(GIVEN)),
            String(13_500_000_000 + index),
            pick(TOWNSHIPS),
            1,
            integer(1, 10) * 10_000,
          ];
        }
      },
    );
    // Sponsor i takes child i when the child is sponsored: at most one active sponsorship each way (rule 11).
    await copy(
      'sponsorships',
      ['org_id', 'id', 'child_id', 'sponsor_id', 'status', 'proposed_by', 'confirmed_at', 'confirmed_by'],
      childCount,
      function* () {
        for (let index = 0; index < childCount; index++) {
          if (!childSponsored[index]) continue;
          const org = childOrg[index] ?? 0;
          yield [
            orgId(org),
            uuidOf(SPONSORSHIP, index),
            uuidOf(CHILD, index),
            uuidOf(SPONSOR, index),
            'ACTIVE',
            adminOf(org),
            new Date(now.getTime() - integer(1, 300) * DAY),
            adminOf(org),
          ];
        }
      },
    );

    // The county's stations (at any scale: the big screen shows 120), their people and a month of logbook.
    await copy(
      'stations',
      ['org_id', 'id', 'name', 'township', 'village', 'latitude', 'longitude'],
      BENCH_STATIONS,
      function* () {
        for (let index = 0; index < BENCH_STATIONS; index++) {
          const township = TOWNSHIPS[index % TOWNSHIPS.length] ?? '荣家湾镇';
          const village = `第${index + 1}村`;
          yield [
            orgId(0),
            uuidOf(STATION, index),
            `${township}${village}服务站`,
            township,
            village,
            29.1 + index / 2000,
            113.1 + index / 2000,
          ];
        }
      },
    );
    // The county's members past its admins and leads (the first eight); at a small scale, any of them.
    const stationPerson = (station: number, seat: number) => {
      const size = sizes[0] ?? 8;
      const seatIndex = station * STATION_PEOPLE + seat;
      return memberId((firstMember[0] ?? 0) + (size > 8 ? 8 + (seatIndex % (size - 8)) : seatIndex % size));
    };
    await copy('station_members', ['org_id', 'station_id', 'member_id'], BENCH_STATIONS * STATION_PEOPLE, function* () {
      const seen = new Set<string>();
      for (let station = 0; station < BENCH_STATIONS; station++) {
        for (let seat = 0; seat < STATION_PEOPLE; seat++) {
          const person = stationPerson(station, seat);
          if (seen.has(`${String(station)}:${person}`)) continue;
          seen.add(`${String(station)}:${person}`);
          yield [orgId(0), uuidOf(STATION, station), person];
        }
      }
    });
    await copy(
      'station_visits',
      [
        'org_id',
        'id',
        'station_id',
        'recorded_by',
        'visitor_name',
        'purpose',
        'category',
        'minutes',
        'outcome',
        'visited_at',
      ],
      BENCH_STATIONS * STATION_VISITS_PER_DAY * STATION_LOGBOOK_DAYS,
      function* () {
        let id = 0;
        for (let day = STATION_LOGBOOK_DAYS - 1; day >= 0; day--) {
          for (let station = 0; station < BENCH_STATIONS; station++) {
            for (let visit = 0; visit < STATION_VISITS_PER_DAY; visit++) {
              // Spread over the eight hours before now on each day (today: the morning's visits so far).
              const at = new Date(now.getTime() - day * DAY - integer(1, 8 * 3600) * 1000);
              yield [
                orgId(0),
                uuidOf(STATION_VISIT, id++),
                uuidOf(STATION, station),
                stationPerson(station, visit % STATION_PEOPLE),
                pick(Array.from(SURNAMES)) + pick(Array.from(GIVEN)),
                '咨询政策、代办事项',
                pick(STATION_CATEGORIES),
                integer(5, 60),
                random() < 0.8 ? 'RESOLVED' : 'REFERRED',
                at,
              ];
            }
          }
        }
      },
    );

    // Vacuumed too, as autovacuum would have: index-only scans need the visibility map.
    await stage('vacuum', () => sql`vacuum (analyze)`);

    const largestMembers = sizes[0] ?? 8;
    return {
      largest: {
        orgId: orgId(0),
        slug: LARGEST_SLUG,
        adminLogin: benchPhone(0),
        memberLogins: Array.from({ length: largestMembers - 8 }, (_, k) => benchPhone(8 + k)),
      },
      rows,
      timings,
    };
  } finally {
    await sql.end();
  }
}

/**
 * Loads `tables` without their secondary indexes and unique constraints, and
 * the whole schema without foreign keys; then puts every one back from the
 * definition the catalogue gave (adding a constraint checks every row).
 */
async function withoutSecondaryIndexes(
  sql: postgres.Sql,
  tables: string[],
  stage: (name: string, work: () => Promise<unknown>) => Promise<void>,
  load: () => Promise<void>,
): Promise<void> {
  const foreignKeys = await sql<{ tableName: string; name: string; definition: string }[]>`
    select conrelid::regclass::text as "tableName", conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace`;
  const uniques = await sql<{ tableName: string; name: string; definition: string }[]>`
    select conrelid::regclass::text as "tableName", conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where contype = 'u' and conrelid = any(${tables}::regclass[])`;
  const indexes = await sql<{ name: string; definition: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    where i.indrelid = any(${tables}::regclass[])
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`;
  for (const key of foreignKeys) await sql.unsafe(`alter table ${key.tableName} drop constraint "${key.name}"`);
  for (const unique of uniques) await sql.unsafe(`alter table ${unique.tableName} drop constraint "${unique.name}"`);
  for (const index of indexes) await sql.unsafe(`drop index ${index.name}`);
  await load();
  await stage('indexes', async () => {
    for (const unique of uniques) {
      await sql.unsafe(`alter table ${unique.tableName} add constraint "${unique.name}" ${unique.definition}`);
    }
    for (const index of indexes) await sql.unsafe(index.definition);
  });
  await stage('foreign keys', async () => {
    for (const key of foreignKeys) {
      await sql.unsafe(`alter table ${key.tableName} add constraint "${key.name}" ${key.definition}`);
    }
  });
}
