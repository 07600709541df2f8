/**
 * The demo's one-to-one sponsorship (一对一帮扶): the article's nineteen
 * sponsored children — every name, place of residence, school and guardian
 * here is invented for the demo — their sponsors (party organizations,
 * companies, people; one of them, 刘爱华, signs in as 13800000004), a few
 * children still waiting, one proposal, and support, visits and updates.
 */
import {
  auditLog,
  children,
  members,
  sponsors,
  sponsorships,
  sponsorshipSupport,
  sponsorshipUpdates,
  sponsorshipVisits,
  sponsorshipVisitVolunteers,
  teamMemberships,
  type ChildCircumstance,
  type Gender,
  type SponsorKind,
} from '@qicai/db';
import { and, eq, inArray } from 'drizzle-orm';
import type { DomainSeed } from './domains.ts';

/** Marks the demo's consents: no real guardian signed these. */
const DEMO_CONSENT_VERSION = 'demo-v1';

const FAMILY_NAMES = '李王张刘陈杨黄周吴徐胡朱何郭罗谢唐许邓彭曾蒋';
const GIVEN_NAMES: Record<Gender, string[]> = {
  FEMALE: [
    '小雨',
    '子涵',
    '欣怡',
    '梓萱',
    '思琪',
    '雨桐',
    '佳怡',
    '诗涵',
    '可馨',
    '语嫣',
    '晨曦',
    '安琪',
    '若溪',
    '梦瑶',
  ],
  MALE: [
    '浩然',
    '宇轩',
    '俊杰',
    '子墨',
    '一鸣',
    '博文',
    '天佑',
    '明轩',
    '嘉豪',
    '锦程',
    '子豪',
    '思远',
    '志航',
    '文博',
  ],
};
/** Real townships of Yueyang County; the villages in them are invented. */
const TOWNSHIPS = ['荣家湾镇', '新墙镇', '筻口镇', '黄沙街镇', '月田镇', '张谷英镇', '公田镇', '杨林街镇'];
const VILLAGES = ['青山村', '河塘村', '枫树村', '桃花村', '柳林社区', '新民村', '石桥村', '荷花村', '建新社区'];
const GUARDIANS: { relation: string; given: string }[] = [
  { relation: '祖母', given: '桂英' },
  { relation: '祖父', given: '德明' },
  { relation: '外婆', given: '玉兰' },
  { relation: '母亲', given: '丽娟' },
  { relation: '父亲', given: '建华' },
  { relation: '姑姑', given: '春兰' },
];
const NEEDS = [
  '学习用品和课外书',
  '冬衣和棉被',
  '营养餐补助',
  '学费和校服',
  '助听器维护和康复训练',
  '心理陪伴和课业辅导',
];
const CIRCUMSTANCE_SETS: ChildCircumstance[][] = [
  ['LEFT_BEHIND'],
  ['LEFT_BEHIND', 'POVERTY'],
  ['POVERTY'],
  ['ORPHANED', 'POVERTY'],
  ['DISABILITY', 'POVERTY'],
  ['LEFT_BEHIND'],
];
const UPDATES = [
  '期中考试数学进步了十多分，老师在家长会上表扬了他。',
  '参加了学校运动会，跑了 400 米第三名。',
  '开始学写毛笔字，说想写一幅字送给资助人。',
  '冬衣已经穿上了，奶奶说今年冬天不怕冷了。',
  '被选为班里的图书管理员，每周借两本书回家看。',
];
const VISIT_NOTES = [
  '家中整洁，孩子作业完成认真，与奶奶相处融洽。',
  '孩子比上次开朗，主动介绍了学校的事情。',
  '了解到孩子视力下降，已联系白色天使队安排义诊。',
  '屋顶有漏雨，已报镇里协调维修。',
];

interface DemoSponsor {
  kind: SponsorKind;
  name: string;
  contactName?: string;
  /** 'SIGN_IN': the phone of the sponsor who signs in. */
  phone?: string;
  township?: string;
  preferredTownships?: string[];
  preferredAgeMin?: number;
  preferredAgeMax?: number;
  preferredGender?: Gender;
  prefersGreatestNeed?: boolean;
  childrenOffered: number;
  /** Children sponsored now (nineteen in all). */
  sponsoring: number;
  monthlyPledgeFen?: number;
  pledgedGoods?: string;
  /** 'account': the demo sponsor who signs in; a number: the demo member of that index. */
  person?: 'account' | number;
}

const SPONSORS: DemoSponsor[] = [
  {
    kind: 'PARTY_ORGANIZATION',
    name: '县委组织部机关党支部',
    contactName: '周丽华',
    childrenOffered: 3,
    sponsoring: 3,
    monthlyPledgeFen: 30_000,
  },
  {
    kind: 'PARTY_ORGANIZATION',
    name: '县人民医院党总支',
    contactName: '何志强',
    childrenOffered: 2,
    sponsoring: 2,
    monthlyPledgeFen: 20_000,
    pledgedGoods: '每学期一次体检',
  },
  {
    kind: 'PARTY_ORGANIZATION',
    name: '县教育局机关党支部',
    childrenOffered: 2,
    sponsoring: 2,
    pledgedGoods: '学习用品、课外书',
  },
  {
    kind: 'PARTY_ORGANIZATION',
    name: '荣家湾镇党委',
    township: '荣家湾镇',
    preferredTownships: ['荣家湾镇'],
    childrenOffered: 2,
    sponsoring: 2,
    monthlyPledgeFen: 20_000,
  },
  {
    kind: 'PARTY_ORGANIZATION',
    name: '新墙镇党委',
    township: '新墙镇',
    preferredTownships: ['新墙镇'],
    childrenOffered: 2,
    sponsoring: 1,
    monthlyPledgeFen: 20_000,
  },
  {
    kind: 'PARTY_ORGANIZATION',
    name: '筻口镇党委',
    township: '筻口镇',
    preferredTownships: ['筻口镇'],
    childrenOffered: 1,
    sponsoring: 1,
    monthlyPledgeFen: 20_000,
  },
  { kind: 'PARTY_ORGANIZATION', name: '县税务局党支部', childrenOffered: 1, sponsoring: 1, monthlyPledgeFen: 25_000 },
  {
    kind: 'PARTY_ORGANIZATION',
    name: '县妇联党支部',
    preferredGender: 'FEMALE',
    childrenOffered: 2,
    sponsoring: 1,
    pledgedGoods: '冬衣、生活用品',
  },
  {
    kind: 'COMPANY',
    name: '洞庭示范农业有限公司（演示）',
    contactName: '罗经理',
    phone: '0730-0000001',
    prefersGreatestNeed: true,
    childrenOffered: 3,
    sponsoring: 2,
    monthlyPledgeFen: 50_000,
  },
  {
    kind: 'COMPANY',
    name: '湘北示范建材有限公司（演示）',
    contactName: '谢经理',
    phone: '0730-0000002',
    preferredAgeMin: 6,
    preferredAgeMax: 10,
    childrenOffered: 2,
    sponsoring: 1,
    pledgedGoods: '书包、文具',
  },
  {
    kind: 'INDIVIDUAL',
    name: '刘爱华',
    phone: 'SIGN_IN',
    township: '荣家湾镇',
    preferredAgeMin: 8,
    preferredAgeMax: 12,
    childrenOffered: 2,
    sponsoring: 1,
    monthlyPledgeFen: 30_000,
    person: 'account',
  },
  { kind: 'INDIVIDUAL', name: '', childrenOffered: 1, sponsoring: 1, monthlyPledgeFen: 20_000, person: 5 },
  { kind: 'INDIVIDUAL', name: '', childrenOffered: 1, sponsoring: 1, pledgedGoods: '课外辅导', person: 9 },
];

/** A day of 2026, as YYYY-MM-DD. */
function day(month: number, dayOfMonth: number): string {
  return `2026-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`;
}

export const seedSponsorship: DomainSeed = async (tx, demo) => {
  const { orgId, random } = demo;
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)] as Item;
  const adminId = demo.admin.memberId;

  const volunteers = (
    await tx
      .select({ memberId: teamMemberships.memberId })
      .from(teamMemberships)
      .where(and(eq(teamMemberships.orgId, orgId), eq(teamMemberships.teamId, demo.teamIds.GOLD)))
  ).map((row) => row.memberId);

  // The children: nineteen to be sponsored, then five waiting.
  const usedNames = new Set<string>();
  const childRows = await tx
    .insert(children)
    .values(
      Array.from({ length: 24 }, (_, index) => {
        const gender: Gender = random() < 0.5 ? 'FEMALE' : 'MALE';
        let familyName: string;
        let givenName: string;
        do {
          familyName = pick(Array.from(FAMILY_NAMES));
          givenName = pick(GIVEN_NAMES[gender]);
        } while (usedNames.has(familyName + givenName));
        usedNames.add(familyName + givenName);
        const age = 6 + Math.floor(random() * 9);
        const grade = Math.min(9, Math.max(0, age - 6));
        const township = index < 19 ? pick(TOWNSHIPS) : (TOWNSHIPS[index % 4] ?? '荣家湾镇');
        const guardian = pick(GUARDIANS);
        const circumstances = pick(CIRCUMSTANCE_SETS);
        const registered = new Date(Date.UTC(2026, 1 + Math.floor(index / 8), 1 + (index % 8) * 3, 2));
        return {
          orgId,
          status: index < 19 ? ('SPONSORED' as const) : ('WAITING' as const),
          familyName,
          givenName,
          gender,
          // Born January to October: this age from November 2026.
          dateOfBirth: `${2026 - age}-${String(1 + Math.floor(random() * 10)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
          township,
          village: pick(VILLAGES),
          school: `${township}${grade >= 7 ? '中学' : '中心小学'}`,
          grade,
          circumstances,
          needs: circumstances.includes('DISABILITY') ? '助听器维护和康复训练' : pick(NEEDS),
          guardianName: `${familyName}${guardian.given}`,
          guardianRelation: guardian.relation,
          // 139 0000 xxxx: not real numbers.
          guardianPhone: `1390000${String(1000 + index).slice(-4)}`,
          consentGivenOn: registered.toISOString().slice(0, 10),
          consentTextVersion: DEMO_CONSENT_VERSION,
          consentRecordedBy: adminId,
          consentRecordedAt: registered,
          waitingSince: registered,
          createdAt: registered,
          updatedAt: registered,
        };
      }),
    )
    .returning();

  // Members who sponsor go by their own names.
  const sponsoringMemberIds = SPONSORS.flatMap((entry) =>
    typeof entry.person === 'number' ? [demo.memberIds[entry.person] ?? ''] : [],
  );
  const memberNames = new Map(
    (
      await tx
        .select({ id: members.id, displayName: members.displayName })
        .from(members)
        .where(and(eq(members.orgId, orgId), inArray(members.id, sponsoringMemberIds)))
    ).map((member) => [member.id, member.displayName]),
  );
  const sponsorRows = await tx
    .insert(sponsors)
    .values(
      SPONSORS.map((entry) => {
        const memberId = typeof entry.person === 'number' ? (demo.memberIds[entry.person] ?? null) : null;
        return {
          orgId,
          kind: entry.kind,
          name: (memberId && memberNames.get(memberId)) ?? entry.name,
          contactName: entry.contactName ?? null,
          phone: entry.phone === 'SIGN_IN' ? demo.sponsor.phone : (entry.phone ?? null),
          township: entry.township ?? null,
          memberId,
          accountId: entry.person === 'account' ? demo.sponsor.accountId : null,
          preferredTownships: entry.preferredTownships ?? [],
          preferredAgeMin: entry.preferredAgeMin ?? null,
          preferredAgeMax: entry.preferredAgeMax ?? null,
          preferredGender: entry.preferredGender ?? null,
          prefersGreatestNeed: entry.prefersGreatestNeed ?? false,
          childrenOffered: entry.childrenOffered,
          monthlyPledgeFen: entry.monthlyPledgeFen ?? null,
          pledgedGoods: entry.pledgedGoods ?? null,
        };
      }),
    )
    .returning();
  // Pair the nineteen with the sponsors as they fit (each sponsor's preferences respected).
  const sponsorFor: string[] = [];
  const fits = (entry: DemoSponsor, child: (typeof childRows)[number]) => {
    const age = 2026 - Number(child.dateOfBirth?.slice(0, 4));
    return (
      (!entry.preferredTownships || entry.preferredTownships.includes(child.township ?? '')) &&
      (!entry.preferredGender || entry.preferredGender === child.gender) &&
      (entry.preferredAgeMin === undefined || age >= entry.preferredAgeMin) &&
      (entry.preferredAgeMax === undefined || age <= entry.preferredAgeMax)
    );
  };
  const unpaired = childRows.slice(0, 19);
  SPONSORS.forEach((entry, sponsorIndex) => {
    for (let taken = 0; taken < entry.sponsoring; taken++) {
      const position = unpaired.findIndex((child) => fits(entry, child));
      const [child] = unpaired.splice(position === -1 ? 0 : position, 1);
      if (!child) return;
      // A child the sponsor's preferences did not fit is moved to fit them.
      if (position === -1) {
        child.township = entry.preferredTownships?.[0] ?? child.township;
        if (entry.preferredGender && entry.preferredGender !== child.gender) {
          child.gender = entry.preferredGender;
          child.givenName = pick(GIVEN_NAMES[entry.preferredGender]);
        }
        if (entry.preferredAgeMin !== undefined) child.dateOfBirth = `${2026 - entry.preferredAgeMin - 2}-06-01`;
      }
      sponsorFor[childRows.indexOf(child)] = sponsorRows[sponsorIndex]?.id ?? '';
    }
  });
  for (const child of childRows.slice(0, 19)) {
    await tx
      .update(children)
      .set({
        township: child.township,
        gender: child.gender,
        givenName: child.givenName,
        dateOfBirth: child.dateOfBirth,
      })
      .where(and(eq(children.orgId, orgId), eq(children.id, child.id)));
  }

  const sponsorshipRows = await tx
    .insert(sponsorships)
    .values(
      childRows.slice(0, 19).map((child, index) => {
        const confirmedAt = new Date(Date.UTC(2026, 3 + (index % 4), 10 + index, 2));
        return {
          orgId,
          childId: child.id,
          sponsorId: sponsorFor[index] ?? '',
          status: 'ACTIVE' as const,
          proposedAt: new Date(confirmedAt.getTime() - 7 * 24 * 60 * 60 * 1000),
          proposedBy: adminId,
          confirmedAt,
          confirmedBy: adminId,
          updatedAt: confirmedAt,
        };
      }),
    )
    .returning();

  // One waiting child is proposed to 新墙镇党委, which has a place.
  const xinqiang = sponsorRows.find((row) => row.name === '新墙镇党委');
  const proposed = childRows.slice(19).find((child) => child.township === '新墙镇');
  if (xinqiang && proposed) {
    await tx.insert(sponsorships).values({ orgId, childId: proposed.id, sponsorId: xinqiang.id, proposedBy: adminId });
    await tx
      .update(children)
      .set({ status: 'PROPOSED' })
      .where(and(eq(children.orgId, orgId), eq(children.id, proposed.id)));
  }

  // Support: the monthly pledges since the sponsorship began (to October), goods once.
  const support: (typeof sponsorshipSupport.$inferInsert)[] = [];
  const visits: { row: typeof sponsorshipVisits.$inferInsert; volunteers: string[] }[] = [];
  const updates: (typeof sponsorshipUpdates.$inferInsert)[] = [];
  for (const sponsorship of sponsorshipRows) {
    const entry = SPONSORS[sponsorRows.findIndex((row) => row.id === sponsorship.sponsorId)];
    const firstMonth = (sponsorship.confirmedAt?.getUTCMonth() ?? 3) + 2;
    if (entry?.monthlyPledgeFen) {
      for (let month = firstMonth; month <= 10; month++) {
        support.push({
          orgId,
          sponsorshipId: sponsorship.id,
          kind: 'MONEY',
          givenOn: day(month, 5),
          amountFen: entry.monthlyPledgeFen,
          recordedBy: adminId,
        });
      }
    }
    support.push({
      orgId,
      sponsorshipId: sponsorship.id,
      kind: 'GOODS',
      givenOn: day(9, 1),
      description: entry?.pledgedGoods ?? '书包和文具',
      amountFen: 15_000 + Math.floor(random() * 10) * 1_000,
      recordedBy: adminId,
    });
    visits.push({
      row: {
        orgId,
        id: crypto.randomUUID(),
        sponsorshipId: sponsorship.id,
        visitedOn: day(Math.min(10, firstMonth + 1), 12 + Math.floor(random() * 10)),
        notes: pick(VISIT_NOTES),
        recordedBy: adminId,
      },
      volunteers: [pick(volunteers.length > 0 ? volunteers : [adminId]), adminId],
    });
    updates.push({
      orgId,
      sponsorshipId: sponsorship.id,
      postedOn: day(11, 1 + Math.floor(random() * 20)),
      body: pick(UPDATES),
      postedBy: adminId,
    });
  }
  await tx.insert(sponsorshipSupport).values(support);
  await tx.insert(sponsorshipVisits).values(visits.map((visit) => visit.row));
  await tx
    .insert(sponsorshipVisitVolunteers)
    .values(
      visits.flatMap((visit) =>
        [...new Set(visit.volunteers)].map((memberId) => ({ orgId, visitId: visit.row.id ?? '', memberId })),
      ),
    );
  await tx.insert(sponsorshipUpdates).values(updates);

  // The registrations, as the audit log keeps them: field names, never values.
  await tx.insert(auditLog).values(
    childRows.map((child) => ({
      orgId,
      at: child.createdAt,
      actorAccountId: demo.admin.accountId,
      action: 'child.registered',
      subjectType: 'child',
      subjectId: child.id,
      detail: {
        fields: [
          'familyName',
          'givenName',
          'gender',
          'dateOfBirth',
          'township',
          'village',
          'school',
          'grade',
          'circumstances',
          'needs',
          'guardianName',
          'guardianRelation',
          'guardianPhone',
        ],
      },
    })),
  );
};
