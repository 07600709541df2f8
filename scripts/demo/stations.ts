/**
 * Demo village service stations (村级综合服务平台): eight stations in five
 * townships of 岳阳县, each with two or three members stationed there and a
 * lead — the red team's lead who signs in (李建国) leads 新墙镇龙湾村, so a
 * spot check can be tried at once: the admin asks 龙湾村's people, he answers
 * on his phone. Two weeks of logbook (today's so far included, so the big
 * screen has visits to show) and a few spot checks of the last days:
 * answered at the station, answered late away from it, and one unanswered.
 * Invented places near the real townships; deterministic (its own seeded
 * numbers, so the rest of the demo stays as it was).
 */
import { spotChecks, stationMembers, stations, stationVisits, type StationServiceCategory } from '@qicai/db';
import { and, eq } from 'drizzle-orm';
import type { DomainSeed } from './domains.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

interface DemoStation {
  name: string;
  township: string;
  village: string;
  address: string;
  latitude: number;
  longitude: number;
  opensAt?: string;
  closesAt?: string;
}

const STATIONS: DemoStation[] = [
  {
    name: '新墙镇龙湾村服务站',
    township: '新墙镇',
    village: '龙湾村',
    address: '龙湾村村部一楼',
    latitude: 29.1551,
    longitude: 113.1702,
  },
  {
    name: '新墙镇小港村服务站',
    township: '新墙镇',
    village: '小港村',
    address: '小港村党群服务中心',
    latitude: 29.1368,
    longitude: 113.1921,
  },
  {
    name: '筻口镇团山村服务站',
    township: '筻口镇',
    village: '团山村',
    address: '团山村五组村部',
    latitude: 29.2233,
    longitude: 113.3122,
  },
  {
    name: '筻口镇双港村服务站',
    township: '筻口镇',
    village: '双港村',
    address: '双港村综合服务平台',
    latitude: 29.2417,
    longitude: 113.2855,
    opensAt: '09:00',
    closesAt: '17:00',
  },
  {
    name: '荣家湾镇城南社区服务站',
    township: '荣家湾镇',
    village: '城南社区',
    address: '建设南路 18 号',
    latitude: 29.1439,
    longitude: 113.1158,
    opensAt: '08:00',
    closesAt: '18:00',
  },
  {
    name: '荣家湾镇湖滨社区服务站',
    township: '荣家湾镇',
    village: '湖滨社区',
    address: '湖滨社区 12 栋一楼',
    latitude: 29.1502,
    longitude: 113.1033,
  },
  {
    name: '黄沙街镇新开村服务站',
    township: '黄沙街镇',
    village: '新开村',
    address: '新开村村委会',
    latitude: 29.2788,
    longitude: 113.0611,
  },
  {
    name: '张谷英镇张谷英村服务站',
    township: '张谷英镇',
    village: '张谷英村',
    address: '张谷英村游客中心旁',
    latitude: 29.0281,
    longitude: 113.4312,
  },
];

/** What people come for, by service category. */
const PURPOSES: Record<StationServiceCategory, string[]> = {
  POLICY: ['咨询城乡居民医保缴费', '咨询高龄补贴申领', '咨询耕地地力保护补贴'],
  ERRANDS: ['代办社保卡挂失补办', '代缴城乡居民养老保险', '代办残疾人证年审'],
  HEALTH: ['量血压、测血糖', '慢性病用药咨询', '预约家庭医生上门'],
  LEGAL: ['土地承包纠纷咨询', '赡养纠纷调解', '工资拖欠维权咨询'],
  ELDERLY: ['独居老人上门探访登记', '助餐服务报名', '适老化改造申请'],
  CHILDREN: ['留守儿童课后辅导报名', '儿童营养包领取', '助学金申请咨询'],
  EMPLOYMENT: ['登记求职意向', '技能培训报名', '返乡创业贷款咨询'],
  OTHER: ['打印复印材料', '反映路灯损坏', '借用会议室'],
};
const CATEGORIES = Object.keys(PURPOSES) as StationServiceCategory[];
const VISITORS = [
  '张桂兰',
  '李德明',
  '王秀英',
  '刘建军',
  '陈春花',
  '杨国强',
  '黄美玲',
  '周志华',
  '吴小燕',
  '彭爱民',
  '易红梅',
  '方振宇',
];

/** mulberry32, seeded apart from the demo's own numbers. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The instant `daysAgo` days before `now`'s day in Asia/Shanghai (the demo's zone), at HH:mm there. */
function shanghaiAt(now: Date, daysAgo: number, hour: number, minute: number): Date {
  const day = new Date(now.getTime() + 8 * 3600_000 - daysAgo * DAY_MS).toISOString().slice(0, 10);
  return new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);
}

/** A point `metres` north of a place. */
const north = (place: { latitude: number; longitude: number }, metres: number) => ({
  latitude: place.latitude + metres / 111_195,
  longitude: place.longitude,
});

export const seedStations: DomainSeed = async (tx, demo) => {
  const random = seededRandom(2026);
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)] as Item;
  const rows = await tx
    .insert(stations)
    .values(STATIONS.map((station) => ({ orgId: demo.orgId, radiusMetres: 300, ...station })))
    .returning();

  // The sign-ins are the first three members; the roster's others are stationed two or three to a station.
  const others = demo.memberIds.slice(3);
  const people = rows.map((_station, index) => {
    const count = index % 3 === 0 ? 3 : 2;
    const seats = Array.from({ length: count }, (_, seat) => others[(index * 3 + seat) % others.length] ?? '');
    // 李建国 (the red team's lead, who signs in) leads 龙湾村 and serves there.
    return index === 0 ? [demo.lead.memberId, ...seats.slice(0, 2)] : seats;
  });
  await tx
    .insert(stationMembers)
    .values(
      rows.flatMap((station, index) =>
        (people[index] ?? []).map((memberId) => ({ orgId: demo.orgId, stationId: station.id, memberId })),
      ),
    );
  for (const [index, station] of rows.entries()) {
    const lead = people[index]?.[0];
    if (lead)
      await tx
        .update(stations)
        .set({ leadMemberId: lead })
        .where(and(eq(stations.orgId, demo.orgId), eq(stations.id, station.id)));
  }

  // Two weeks of logbook: a handful of visits a day in opening hours, today's only those already past.
  const visits: (typeof stationVisits.$inferInsert)[] = [];
  for (const [index, station] of rows.entries()) {
    const staff = people[index] ?? [];
    for (let daysAgo = 13; daysAgo >= 0; daysAgo--) {
      const count = 1 + Math.floor(random() * 5);
      for (let visit = 0; visit < count; visit++) {
        const at = shanghaiAt(demo.now, daysAgo, 9 + Math.floor(random() * 8), Math.floor(random() * 60));
        if (at.getTime() > demo.now.getTime()) continue;
        const category = pick(CATEGORIES);
        visits.push({
          orgId: demo.orgId,
          stationId: station.id,
          recordedBy: pick(staff),
          visitorName: pick(VISITORS),
          purpose: pick(PURPOSES[category]),
          category,
          minutes: 5 + Math.floor(random() * 12) * 5,
          outcome: random() < 0.85 ? 'RESOLVED' : 'REFERRED',
          visitedAt: at,
        });
      }
    }
  }
  if (visits.length > 0) await tx.insert(stationVisits).values(visits);

  // Spot checks the admin asked in the last days: answered at the station in under a minute, late and
  // 2 km away, and one nobody answered. None is pending, and none is the sign-ins', so nobody's phone rings.
  const spotCheck = (stationIndex: number, seat: number, daysAgo: number, hour: number) => {
    const station = rows[stationIndex];
    const memberId = people[stationIndex]?.[seat];
    if (!station || !memberId) throw new Error('demo station people missing');
    const sentAt = shanghaiAt(demo.now, daysAgo, hour, 12);
    return { station, memberId, sentAt, dueAt: new Date(sentAt.getTime() + 10 * 60_000) };
  };
  const answered = spotCheck(2, 0, 1, 10);
  const late = spotCheck(4, 1, 2, 15);
  const unanswered = spotCheck(6, 0, 3, 11);
  const atStation = north(answered.station, 60);
  const away = north(late.station, 2100);
  await tx.insert(spotChecks).values([
    {
      orgId: demo.orgId,
      memberId: answered.memberId,
      stationId: answered.station.id,
      sentBy: demo.admin.memberId,
      sentAt: answered.sentAt,
      dueAt: answered.dueAt,
      status: 'ANSWERED',
      answeredAt: new Date(answered.sentAt.getTime() + 48_000),
      ...atStation,
      accuracyMetres: 12,
      distanceMetres: 60,
      atStation: true,
    },
    {
      orgId: demo.orgId,
      memberId: late.memberId,
      stationId: late.station.id,
      sentBy: demo.admin.memberId,
      sentAt: late.sentAt,
      dueAt: late.dueAt,
      status: 'ANSWERED',
      answeredAt: new Date(late.sentAt.getTime() + 14 * 60_000),
      ...away,
      accuracyMetres: 35,
      distanceMetres: 2100,
      atStation: false,
    },
    {
      orgId: demo.orgId,
      memberId: unanswered.memberId,
      stationId: unanswered.station.id,
      sentBy: demo.admin.memberId,
      sentAt: unanswered.sentAt,
      dueAt: unanswered.dueAt,
      status: 'UNANSWERED',
    },
  ]);
};
