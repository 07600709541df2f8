/**
 * The demo organization `pnpm start` loads into an empty database: the
 * Yueyang County Seven Colours of Light association, its seven teams, about
 * sixty members and three people to sign in as. Deterministic: the same
 * names, teams and leads every time.
 */
import { DEFAULT_TEAMS, hashPassword } from '@qicai/api';
import {
  accounts,
  members,
  organizations,
  TEAM_COLOURS,
  teamMemberships,
  teams,
  withTenant,
  type Db,
  type PartyStage,
  type PoliticalStatus,
  type TeamColour,
  type Tx,
} from '@qicai/db';
import { and, count, eq, inArray } from 'drizzle-orm';
import { DOMAIN_SEEDS, type DemoOrganization } from './domains.ts';

export const DEMO_SLUG = 'yueyang-qicai';
export const DEMO_PASSWORD = 'qicai-demo-2026';

export interface DemoSignIn {
  role: 'admin' | 'lead' | 'member' | 'sponsor';
  name: string;
  phone: string;
  email: string;
}

/**
 * The people who sign in to the `copy`th demo association (0: the one `pnpm
 * start` loads; the browser tests load one copy per test file), each copy with
 * logins of its own: 1380000000N and admin@demo.qicai.cn for copy 0.
 */
export function demoSignIns(copy: number): readonly [DemoSignIn, DemoSignIn, DemoSignIn, DemoSignIn] {
  const phone = (n: number) => `138${String(copy).padStart(4, '0')}000${n}`;
  const email = (local: string) => `${local}@demo${copy === 0 ? '' : copy}.qicai.cn`;
  return [
    { role: 'admin', name: '周丽华', phone: phone(1), email: email('admin') },
    { role: 'lead', name: '李建国', phone: phone(2), email: email('lead') },
    { role: 'member', name: '王小红', phone: phone(3), email: email('member') },
    // Not a member: sponsors 一对一 children and sees them in the sponsor's view (scripts/demo/sponsorship.ts).
    { role: 'sponsor', name: '刘爱华', phone: phone(4), email: email('sponsor') },
  ];
}

export const DEMO_SIGN_INS = demoSignIns(0);

const SURNAMES =
  '张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文';
const GIVEN = [
  '建华',
  '秀英',
  '志强',
  '丽娟',
  '海燕',
  '国平',
  '红梅',
  '文斌',
  '晓东',
  '春兰',
  '德明',
  '小芳',
  '伟',
  '敏',
  '静',
  '军',
  '磊',
  '洋',
  '艳',
  '勇',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
  '平',
  '刚',
  '桂英',
  '玉兰',
];
const WORK_UNITS = [
  '县委组织部',
  '县人民医院',
  '县教育局',
  '县司法局',
  '县民政局',
  '县生态环境局',
  '荣家湾镇人民政府',
  '团县委',
  '县妇联',
  '县应急管理局',
  '县卫生健康局',
  '县财政局',
  '新墙镇中心学校',
  '县中医医院',
  '县税务局',
];
/** 政治面貌 (GB/T 4762) and party stage as a party-member association's roster has them: mostly 中共党员. */
const POLITICAL: { politicalStatus: PoliticalStatus; partyStage: PartyStage | null }[] = [
  { politicalStatus: 'CPC_MEMBER', partyStage: null },
  { politicalStatus: 'CPC_MEMBER', partyStage: null },
  { politicalStatus: 'CPC_MEMBER', partyStage: null },
  { politicalStatus: 'CPC_MEMBER', partyStage: null },
  { politicalStatus: 'CPC_PROBATIONARY_MEMBER', partyStage: null },
  { politicalStatus: 'CYL_MEMBER', partyStage: null },
  { politicalStatus: 'CYL_MEMBER', partyStage: 'ACTIVIST' },
  { politicalStatus: 'MASSES', partyStage: 'CANDIDATE' },
  { politicalStatus: 'MASSES', partyStage: 'ACTIVIST' },
  { politicalStatus: 'MASSES', partyStage: null },
  { politicalStatus: 'CDL_MEMBER', partyStage: null },
  { politicalStatus: 'JIUSAN_MEMBER', partyStage: null },
  { politicalStatus: 'NON_PARTY', partyStage: null },
];

/** mulberry32: a small seeded generator, so the demo is the same on every machine. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` more members spread over the seven teams, with names, work units,
 * 政治面貌 and join dates as the rest of the demo has them; mobile numbers
 * 136…, apart from the demo's own.
 */
async function seedCrowd(
  tx: Tx,
  demo: DemoOrganization,
  count: number,
  pick: <Item>(items: readonly Item[]) => Item,
): Promise<void> {
  const CHUNK = 1000;
  for (let start = 0; start < count; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, count - start) }, (_unused, offset) => {
      const index = start + offset;
      return {
        orgId: demo.orgId,
        displayName: pick(Array.from(SURNAMES)) + pick(GIVEN),
        phone: String(13_600_000_000 + index),
        role: 'MEMBER' as const,
        ...pick(POLITICAL),
        workUnit: pick(WORK_UNITS),
        joinedOn: `${2018 + (index % 8)}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + (index % 28)).padStart(2, '0')}`,
      };
    });
    const inserted = await tx.insert(members).values(rows).returning({ id: members.id });
    await tx.insert(teamMemberships).values(
      inserted.map((row, offset) => ({
        orgId: demo.orgId,
        teamId: demo.teamIds[TEAM_COLOURS[(start + offset) % TEAM_COLOURS.length] ?? 'RED'],
        memberId: row.id,
      })),
    );
  }
}

/** Loads the demo when the database has no organization yet; true if it did. */
export async function seedDemoIfEmpty(db: Db, now = new Date()): Promise<boolean> {
  const [existing] = await db.select({ organizations: count() }).from(organizations);
  if ((existing?.organizations ?? 0) > 0) return false;
  await seedDemo(db, { now });
  return true;
}

export interface DemoOptions {
  /** Which copy (see demoSignIns); 0, the default, is the demo association itself. */
  copy?: number;
  slug?: string;
  /** What "now" is for the demo's dates. */
  now: Date;
  /**
   * So many more roster members (no accounts) besides the demo's sixty, as a
   * county's roster has thousands: for the roster table at scale.
   */
  crowd?: number;
}

/** Loads a copy of the demo association; its slug and the people who sign in to it. */
export async function seedDemo(
  db: Db,
  options: DemoOptions,
): Promise<{ slug: string; signIns: readonly [DemoSignIn, DemoSignIn, DemoSignIn, DemoSignIn] }> {
  const signIns = demoSignIns(options.copy ?? 0);
  const slug = options.slug ?? DEMO_SLUG;
  const random = seededRandom(2018);
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)] as Item;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const orgId = crypto.randomUUID();

  // One transaction: a crash half-way leaves an empty database, and the next start tries again.
  await withTenant(db, { orgId, accountId: null }, async (tx) => {
    await tx.insert(organizations).values({
      id: orgId,
      slug,
      name: '岳阳县七彩之光志愿者协会',
      timeZone: 'Asia/Shanghai',
      defaultLocale: 'zh',
    });
    const teamRows = await tx
      .insert(teams)
      .values(TEAM_COLOURS.map((colour) => ({ orgId, colour, ...DEFAULT_TEAMS[colour] })))
      .returning({ id: teams.id, colour: teams.colour });
    const teamId = (colour: TeamColour) => teamRows.find((team) => team.colour === colour)?.id ?? '';

    const signInAccounts = await tx
      .insert(accounts)
      .values(
        signIns.map((person) => ({
          displayName: person.name,
          phone: person.phone,
          email: person.email,
          passwordHash,
          locale: 'zh' as const,
          // The demo's people own their numbers and addresses (as if each had confirmed a code).
          phoneVerifiedAt: options.now,
          emailVerifiedAt: options.now,
        })),
      )
      .returning({ id: accounts.id, phone: accounts.phone });
    const accountOf = (phone: string) => signInAccounts.find((account) => account.phone === phone)?.id ?? null;

    const [admin, lead, member, sponsor] = signIns;
    const people: Pick<
      typeof members.$inferInsert,
      'displayName' | 'accountId' | 'role' | 'politicalStatus' | 'partyStage' | 'workUnit'
    >[] = [
      {
        displayName: admin.name,
        accountId: accountOf(admin.phone),
        role: 'ADMIN',
        politicalStatus: 'CPC_MEMBER',
        workUnit: '县委组织部',
      },
      {
        displayName: lead.name,
        accountId: accountOf(lead.phone),
        role: 'LEAD',
        politicalStatus: 'CPC_MEMBER',
        workUnit: '县委宣传部',
      },
      {
        displayName: member.name,
        accountId: accountOf(member.phone),
        role: 'MEMBER',
        politicalStatus: 'CYL_MEMBER',
        partyStage: 'ACTIVIST',
        workUnit: '县人民医院',
      },
    ];
    const usedNames = new Set(people.map((person) => person.displayName));
    while (people.length < 60) {
      const name = pick(Array.from(SURNAMES)) + pick(GIVEN);
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      people.push({
        displayName: name,
        accountId: null,
        role: 'MEMBER',
        ...pick(POLITICAL),
        workUnit: pick(WORK_UNITS),
      });
    }
    const memberRows = await tx
      .insert(members)
      .values(people.map((person) => ({ orgId, ...person, joinedOn: '2018-03-05' })))
      .returning({ id: members.id, displayName: members.displayName });
    const memberId = (name: string) => memberRows.find((row) => row.displayName === name)?.id ?? '';

    // The lead leads red (the article's 红色旗帜); the member is in red and green; the rest spread
    // over the seven teams, one lead each for the other six.
    const memberships = new Map<string, { orgId: string; teamId: string; memberId: string; isLead: boolean }>();
    const join = (colour: TeamColour, id: string, isLead = false) =>
      memberships.set(`${colour}:${id}`, { orgId, teamId: teamId(colour), memberId: id, isLead });
    join('RED', memberId(lead.name), true);
    join('RED', memberId(member.name));
    join('GREEN', memberId(member.name));
    const others = memberRows.slice(3);
    others.forEach((row, index) => {
      const colour = TEAM_COLOURS[index % TEAM_COLOURS.length] ?? 'RED';
      join(colour, row.id);
      if (random() < 0.25) join(pick(TEAM_COLOURS), row.id);
    });
    // others[i] joined TEAM_COLOURS[i % 7]: the first of each colour leads it.
    const leadsOfOtherTeams = TEAM_COLOURS.filter((colour) => colour !== 'RED').map((colour) => ({
      colour,
      id: others[TEAM_COLOURS.indexOf(colour)]?.id ?? '',
    }));
    for (const { colour, id } of leadsOfOtherTeams) join(colour, id, true);
    await tx.insert(teamMemberships).values([...memberships.values()]);
    await tx
      .update(members)
      .set({ role: 'LEAD' })
      .where(
        and(
          eq(members.orgId, orgId),
          inArray(
            members.id,
            leadsOfOtherTeams.map((entry) => entry.id),
          ),
        ),
      );

    const demo: DemoOrganization = {
      orgId,
      teamIds: Object.fromEntries(teamRows.map((team) => [team.colour, team.id])) as Record<TeamColour, string>,
      memberIds: memberRows.map((row) => row.id),
      admin: { memberId: memberId(admin.name), accountId: accountOf(admin.phone) ?? '' },
      lead: { memberId: memberId(lead.name), accountId: accountOf(lead.phone) ?? '' },
      member: { memberId: memberId(member.name), accountId: accountOf(member.phone) ?? '' },
      sponsor: { accountId: accountOf(sponsor.phone) ?? '', phone: sponsor.phone },
      now: options.now,
      random,
    };
    for (const seed of DOMAIN_SEEDS) await seed(tx, demo);
    await seedCrowd(tx, demo, options.crowd ?? 0, pick);
  });
  return { slug, signIns };
}
