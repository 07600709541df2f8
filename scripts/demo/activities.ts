/**
 * Demo activities: a month of them across the seven teams — last week's
 * completed (with check-ins and people served), the coming three weeks'
 * published (some public), a weekly party lecture series of the red team,
 * and one of the red team's today, so that check-in can be tried at once.
 */
import {
  activities,
  activitySeries,
  signUps,
  teamMemberships,
  type ActivityCategory,
  type ActivityStatus,
  type TeamColour,
} from '@qicai/db';
import { eq } from 'drizzle-orm';
import type { DemoOrganization, DomainSeed } from './domains.ts';

/** Places in Yueyang County (岳阳县), with their coordinates. */
const PLACES = [
  { name: '荣家湾镇党群服务中心', latitude: 29.1446, longitude: 113.1287 },
  { name: '新墙河大桥', latitude: 29.2051, longitude: 113.1752 },
  { name: '县人民医院门诊广场', latitude: 29.1392, longitude: 113.1174 },
  { name: '县中心血站', latitude: 29.1421, longitude: 113.1238 },
  { name: '筻口镇敬老院', latitude: 29.2803, longitude: 113.3312 },
  { name: '新墙镇中心学校', latitude: 29.2107, longitude: 113.1903 },
  { name: '县图书馆报告厅', latitude: 29.1483, longitude: 113.1212 },
  { name: '东洞庭湖湿地保护站', latitude: 29.2144, longitude: 113.0531 },
  { name: '张谷英村村委会', latitude: 29.0702, longitude: 113.5604 },
] as const;

/** What each team does, from the article: a title, a category, a usual place and size. */
const PLANS: Record<TeamColour, { title: string; category: ActivityCategory; place: number; capacity: number }[]> = {
  RED: [
    { title: '送党课下乡', category: 'LECTURE', place: 8, capacity: 15 },
    { title: '先锋课堂：基层治理', category: 'PUBLIC_COURSE', place: 6, capacity: 40 },
  ],
  GREEN: [
    { title: '新墙河河岸垃圾清理', category: 'ENVIRONMENT', place: 1, capacity: 25 },
    { title: '湿地巡护与观鸟宣传', category: 'ENVIRONMENT', place: 7, capacity: 12 },
  ],
  WHITE: [
    { title: '社区义诊', category: 'FREE_CLINIC', place: 2, capacity: 10 },
    { title: '无偿献血宣传与服务', category: 'BLOOD_DRIVE', place: 3, capacity: 8 },
  ],
  ORANGE: [
    { title: '防汛物资转运演练', category: 'DISASTER_RELIEF', place: 0, capacity: 20 },
    { title: '冬季除冰保通', category: 'DISASTER_RELIEF', place: 1, capacity: 16 },
  ],
  PURPLE: [
    { title: '走访慰问抗战老兵', category: 'HOME_VISIT', place: 4, capacity: 6 },
    { title: '敬老院陪伴日', category: 'HOME_VISIT', place: 4, capacity: 12 },
  ],
  GOLD: [
    { title: '留守儿童课业辅导', category: 'CARE_FOR_CHILDREN', place: 5, capacity: 10 },
    { title: '关爱儿童周末营', category: 'CARE_FOR_CHILDREN', place: 5, capacity: 15 },
  ],
  BLUE: [
    { title: '法律咨询进村', category: 'PUBLIC_COURSE', place: 8, capacity: 6 },
    { title: '心理健康公益课堂', category: 'PUBLIC_COURSE', place: 6, capacity: 30 },
  ],
};

const DAY_MS = 24 * 60 * 60 * 1000;
/** The demo association is in Asia/Shanghai (UTC+8 all year): a local date and hour as an instant. */
function shanghai(date: string, hour: number, minute = 0): Date {
  return new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);
}
function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const seedActivities: DomainSeed = async (tx, demo: DemoOrganization) => {
  const { orgId, random, now } = demo;
  const dayFrom = (offset: number) => shanghaiDate(new Date(now.getTime() + offset * DAY_MS));
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)] as Item;

  const memberships = await tx
    .select({ teamId: teamMemberships.teamId, memberId: teamMemberships.memberId })
    .from(teamMemberships)
    .where(eq(teamMemberships.orgId, orgId));
  const teamMembers = (teamId: string) => memberships.filter((row) => row.teamId === teamId).map((row) => row.memberId);

  type NewActivity = typeof activities.$inferInsert;
  const planned: NewActivity[] = [];
  for (const [colour, plans] of Object.entries(PLANS) as [TeamColour, (typeof PLANS)[TeamColour]][]) {
    // About two a week per team, from a week ago to three weeks ahead.
    for (let offset = -7; offset <= 21; offset += 3 + Math.floor(random() * 2)) {
      const plan = pick(plans);
      const place = PLACES[plan.place] ?? PLACES[0];
      const date = dayFrom(offset + Math.floor(random() * 2));
      const startHour = pick([8, 9, 14, 15]);
      const startsAt = shanghai(date, startHour, pick([0, 30]));
      const endsAt = new Date(startsAt.getTime() + pick([2, 3, 4]) * 3600_000);
      const past = endsAt < now;
      const status: ActivityStatus = past ? 'COMPLETED' : 'PUBLISHED';
      planned.push({
        orgId,
        teamId: demo.teamIds[colour],
        title: plan.title,
        description: `${place.name}，${plan.title}。请穿志愿者马甲，提前十分钟到场签到。`,
        category: plan.category,
        placeName: place.name,
        latitude: place.latitude,
        longitude: place.longitude,
        startsAt,
        endsAt,
        capacity: plan.capacity,
        requiredSkills: plan.category === 'FREE_CLINIC' ? ['急救'] : [],
        isPublic: plan.category !== 'HOME_VISIT' && random() < 0.6,
        status,
        beneficiaries: past ? 20 + Math.floor(random() * 180) : null,
        reminderSentAt: past ? startsAt : null,
      });
    }
  }

  // One of the red team's today, starting within the hour at the service centre: check-in is open.
  const soon = new Date(Math.ceil((now.getTime() + 40 * 60_000) / (15 * 60_000)) * 15 * 60_000);
  const centre = PLACES[0];
  planned.push({
    orgId,
    teamId: demo.teamIds.RED,
    title: '党员志愿者集中服务日',
    description: '荣家湾镇党群服务中心集中服务：政策宣讲、代办服务、群众需求收集（群众需要什么，志愿者就提供什么）。',
    category: 'LECTURE',
    placeName: centre.name,
    latitude: centre.latitude,
    longitude: centre.longitude,
    startsAt: soon,
    endsAt: new Date(soon.getTime() + 3 * 3600_000),
    capacity: 40,
    isPublic: true,
    status: 'PUBLISHED',
  });
  const inserted = await tx.insert(activities).values(planned).returning();
  const today = inserted.find((activity) => activity.startsAt.getTime() === soon.getTime());

  // The red team's weekly party lecture, Wednesdays at 19:30 for four weeks (FREQ=WEEKLY;BYDAY=WE;COUNT=4).
  const firstWednesday = Array.from({ length: 7 }, (_, index) => dayFrom(index + 1)).find(
    (date) => new Date(`${date}T00:00:00Z`).getUTCDay() === 3,
  );
  const library = PLACES[6];
  if (firstWednesday) {
    const template = {
      title: '红色旗帜周三党课',
      description: '学习党的基本理论和最新政策，欢迎群众旁听。',
      category: 'LECTURE' as const,
      placeName: library.name,
      latitude: library.latitude,
      longitude: library.longitude,
      capacity: 40,
      requiredSkills: [],
      isPublic: true,
    };
    const [series] = await tx
      .insert(activitySeries)
      .values({
        orgId,
        teamId: demo.teamIds.RED,
        rrule: 'FREQ=WEEKLY;BYDAY=WE;COUNT=4',
        startsLocal: `${firstWednesday}T19:30`,
        durationMinutes: 90,
        template,
      })
      .returning();
    if (series) {
      const occurrences = [0, 7, 14, 21].map((days) => {
        const date = shanghaiDate(new Date(shanghai(firstWednesday, 12).getTime() + days * DAY_MS));
        const startsAt = shanghai(date, 19, 30);
        return {
          orgId,
          teamId: demo.teamIds.RED,
          seriesId: series.id,
          occurrenceKey: date,
          ...template,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 90 * 60_000),
          status: 'PUBLISHED' as const,
        };
      });
      inserted.push(...(await tx.insert(activities).values(occurrences).returning()));
    }
  }

  // Sign-ups: members of the team and a few from elsewhere; the demo member in some of red and green.
  // Nobody is signed up for two activities at the same time (the rule sign-ups keep).
  const busy = new Map<string, { startsAt: Date; endsAt: Date }[]>();
  const free = (memberId: string, activity: { startsAt: Date; endsAt: Date }) =>
    !(busy.get(memberId) ?? []).some((other) => other.startsAt < activity.endsAt && other.endsAt > activity.startsAt);
  const shuffle = <Item>(items: Item[]): Item[] => {
    for (let index = items.length - 1; index > 0; index--) {
      const other = Math.floor(random() * (index + 1));
      [items[index], items[other]] = [items[other] as Item, items[index] as Item];
    }
    return items;
  };
  const rows: (typeof signUps.$inferInsert)[] = [];
  for (const activity of inserted.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
    const pool = shuffle(
      [...new Set([...teamMembers(activity.teamId), ...demo.memberIds.slice(3)])].filter(
        (id) => id !== demo.member.memberId && id !== demo.lead.memberId && free(id, activity),
      ),
    );
    // Some are full with a waitlist; today's keeps room for the demo member to sign up and check in.
    const fill = activity.id === today?.id ? 0.5 : 0.4 + random() * 0.8;
    const wanted = Math.min(pool.length, Math.floor(activity.capacity * fill));
    const chosen = pool.slice(0, wanted);
    // The demo member's own sign-ups are history or a day ahead and more: the coming day is theirs to try.
    const memberTakesPart =
      (activity.teamId === demo.teamIds.RED || activity.teamId === demo.teamIds.GREEN) &&
      activity.requiredSkills.length === 0 &&
      (activity.endsAt < now || activity.startsAt.getTime() > now.getTime() + DAY_MS) &&
      free(demo.member.memberId, activity) &&
      random() < 0.5;
    if (memberTakesPart) chosen.unshift(demo.member.memberId);
    chosen.forEach((memberId, index) => {
      busy.set(memberId, [...(busy.get(memberId) ?? []), activity]);
      const confirmed = index < activity.capacity;
      const completed = activity.status === 'COMPLETED' && confirmed;
      const attended = completed && random() < 0.85;
      const distance = Math.round(20 + random() * 260);
      rows.push({
        orgId,
        activityId: activity.id,
        memberId,
        status: confirmed ? 'CONFIRMED' : 'WAITLISTED',
        // In the order they came: places first, then the waitlist.
        signedUpAt: new Date(activity.startsAt.getTime() - 6 * DAY_MS + index * 20 * 60_000),
        ...(attended
          ? {
              checkedInAt: new Date(activity.startsAt.getTime() - random() * 20 * 60_000),
              checkInMethod: random() < 0.8 ? ('GPS' as const) : ('QR' as const),
              checkInLatitude: activity.latitude + distance / 111_195,
              checkInLongitude: activity.longitude,
              checkInDistanceMetres: distance,
              checkedOutAt: new Date(activity.endsAt.getTime() + random() * 15 * 60_000),
              checkOutMethod: 'GPS' as const,
              checkOutLatitude: activity.latitude,
              checkOutLongitude: activity.longitude,
              checkOutDistanceMetres: Math.round(random() * 150),
              attendance: 'ATTENDED' as const,
            }
          : completed
            ? { attendance: 'NO_SHOW' as const }
            : {}),
      });
    });
  }
  // In arrival order (the sequence behind `arrival` follows the insert), so each waitlist keeps its order.
  rows.sort((a, b) => (a.signedUpAt?.getTime() ?? 0) - (b.signedUpAt?.getTime() ?? 0));
  for (let start = 0; start < rows.length; start += 500)
    await tx.insert(signUps).values(rows.slice(start, start + 500));

  // Yesterday's river clean-up (relative to `now`): the demo member checked in and never checked out,
  // so the red lead's "missing check-outs" list has something to enter hours for; two others checked
  // in and out (their hours are seeded with the rest).
  const yesterday = dayFrom(-1);
  const river = PLACES[1];
  // At an hour the demo member was free (nobody has two sign-ups at once).
  const cleanUp =
    [7, 9, 13, 16, 19, 21]
      .map((hour) => ({ startsAt: shanghai(yesterday, hour), endsAt: shanghai(yesterday, hour + 2) }))
      .find((slot) => free(demo.member.memberId, slot)) ??
    ({ startsAt: shanghai(yesterday, 6), endsAt: shanghai(yesterday, 7) } as const);
  const [riverCleanUp] = await tx
    .insert(activities)
    .values({
      orgId,
      teamId: demo.teamIds.RED,
      title: '新墙河岸垃圾清理',
      description: `${river.name}，清理河岸垃圾。请穿志愿者马甲，自带手套。`,
      category: 'ENVIRONMENT',
      placeName: river.name,
      latitude: river.latitude,
      longitude: river.longitude,
      ...cleanUp,
      capacity: 10,
      isPublic: false,
      status: 'COMPLETED',
      beneficiaries: 60,
      reminderSentAt: cleanUp.startsAt,
    })
    .returning();
  const cleaners = [
    demo.member.memberId,
    ...teamMembers(demo.teamIds.RED).filter((id) => id !== demo.member.memberId && id !== demo.lead.memberId),
  ]
    .filter((id) => free(id, cleanUp))
    .slice(0, 3);
  if (riverCleanUp) {
    await tx.insert(signUps).values(
      cleaners.map((memberId, index) => ({
        orgId,
        activityId: riverCleanUp.id,
        memberId,
        status: 'CONFIRMED' as const,
        signedUpAt: new Date(cleanUp.startsAt.getTime() - 3 * DAY_MS + index * 20 * 60_000),
        checkedInAt: new Date(cleanUp.startsAt.getTime() - (8 + index * 3) * 60_000),
        checkInMethod: 'GPS' as const,
        checkInLatitude: river.latitude + (40 + index * 25) / 111_195,
        checkInLongitude: river.longitude,
        checkInDistanceMetres: 40 + index * 25,
        attendance: 'ATTENDED' as const,
        // The demo member (first) left without checking out.
        ...(memberId === demo.member.memberId
          ? {}
          : {
              checkedOutAt: new Date(cleanUp.endsAt.getTime() + index * 4 * 60_000),
              checkOutMethod: 'GPS' as const,
              checkOutLatitude: river.latitude,
              checkOutLongitude: river.longitude,
              checkOutDistanceMetres: 30,
            }),
      })),
    );
  }
};
