/**
 * Demo service hours: last week's check-ins become records (most approved,
 * some waiting for the lead), a year of earlier service gives the totals,
 * star levels, leaderboard and the big screen's 12-month trend something to
 * show, and a few reports wait in the red team's approval queue (one late).
 * The rollups are summed from the approved records at the end, in the same
 * transaction, as approval keeps them in the application.
 */
import {
  activities,
  members,
  organizations,
  serviceRecords,
  signUps,
  teamMemberships,
  teams,
  type TeamColour,
} from '@qicai/db';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { DomainSeed } from './domains.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A moment `delayMs` after `after`, but never in the future: service that ended yesterday was not approved tomorrow. */
function laterButPast(after: Date, delayMs: number, now: Date): Date {
  return new Date(Math.max(after.getTime(), Math.min(after.getTime() + delayMs, now.getTime() - 60_000)));
}

/** The demo association is in Asia/Shanghai (UTC+8 all year). */
function shanghai(date: string, hour: number, minute = 0): Date {
  return new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);
}
function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Earlier service, by team: what the record says was done, and where. */
const EARLIER: Record<TeamColour, { name: string; place: string; content: string }[]> = {
  RED: [{ name: '送党课下乡', place: '张谷英村村委会', content: '为村民宣讲惠民政策，收集群众需求' }],
  GREEN: [{ name: '新墙河河岸垃圾清理', place: '新墙河大桥', content: '清理河岸垃圾，宣传垃圾分类' }],
  WHITE: [{ name: '社区义诊', place: '县人民医院门诊广场', content: '测量血压血糖，讲解慢病用药' }],
  ORANGE: [{ name: '防汛物资转运', place: '荣家湾镇党群服务中心', content: '装卸、转运防汛沙袋与救生器材' }],
  PURPLE: [{ name: '敬老院陪伴日', place: '筻口镇敬老院', content: '陪老人聊天、打扫房间、理发' }],
  GOLD: [{ name: '留守儿童课业辅导', place: '新墙镇中心学校', content: '辅导作业，开展阅读活动' }],
  BLUE: [{ name: '法律咨询进村', place: '张谷英村村委会', content: '解答婚姻家庭、土地流转法律问题' }],
};

type NewRecord = typeof serviceRecords.$inferInsert;

export const seedHours: DomainSeed = async (tx, demo) => {
  const { orgId, random, now } = demo;
  const [organization] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
  const teamRows = await tx.select().from(teams).where(eq(teams.orgId, orgId));
  const colourOf = new Map(teamRows.map((team) => [team.id, team.colour]));
  const teamName = new Map(teamRows.map((team) => [team.id, team.nameZh]));
  const memberRows = await tx.select().from(members).where(eq(members.orgId, orgId));
  const nameOf = new Map(memberRows.map((member) => [member.id, member.displayName]));
  const memberships = await tx.select().from(teamMemberships).where(eq(teamMemberships.orgId, orgId));
  const leadOf = new Map(memberships.filter((row) => row.isLead).map((row) => [row.teamId, row.memberId]));
  const teamsOf = (memberId: string) => memberships.filter((row) => row.memberId === memberId).map((row) => row.teamId);
  const unitOf = (teamId: string) => `${organization?.name ?? ''} ${teamName.get(teamId) ?? ''}`.trim();
  const leadNameOf = (teamId: string) => nameOf.get(leadOf.get(teamId) ?? demo.lead.memberId) ?? '李建国';
  /** Whoever decides: the team's lead, or the admin when it is the lead's own record. */
  const deciderOf = (teamId: string, memberId: string) => {
    const lead = leadOf.get(teamId);
    return lead && lead !== memberId ? lead : demo.admin.memberId;
  };

  const records: NewRecord[] = [];

  // Last week's check-ins and check-outs: hours inside the activity's window (travel is not counted).
  const attended = await tx
    .select({ signUp: signUps, activity: activities })
    .from(signUps)
    .innerJoin(activities, and(eq(activities.orgId, signUps.orgId), eq(activities.id, signUps.activityId)))
    .where(and(eq(signUps.orgId, orgId), isNotNull(signUps.checkedInAt), isNotNull(signUps.checkedOutAt)));
  // The demo member's latest one has no record yet: what "report hours for an activity" offers them.
  const unreported = attended
    .filter(({ signUp }) => signUp.memberId === demo.member.memberId)
    .sort((a, b) => b.activity.endsAt.getTime() - a.activity.endsAt.getTime())[0]?.signUp.id;
  for (const { signUp, activity } of attended) {
    if (!signUp.checkedInAt || !signUp.checkedOutAt) continue;
    const startsAt = new Date(Math.max(signUp.checkedInAt.getTime(), activity.startsAt.getTime()));
    const endsAt = new Date(Math.min(signUp.checkedOutAt.getTime(), activity.endsAt.getTime()));
    const minutes = Math.floor((endsAt.getTime() - startsAt.getTime()) / 60_000);
    if (minutes < 1) continue;
    const approved = random() < 0.75;
    if (signUp.id === unreported) continue;
    records.push({
      orgId,
      memberId: signUp.memberId,
      activityId: activity.id,
      teamId: activity.teamId,
      activityName: activity.title,
      serviceDate: shanghaiDate(startsAt),
      place: activity.placeName,
      content: activity.description || activity.title,
      minutes,
      organizingUnit: unitOf(activity.teamId),
      activityLead: leadNameOf(activity.teamId),
      source: 'CHECK_IN',
      status: approved ? 'APPROVED' : 'PENDING',
      startsAt,
      endsAt,
      enteredByMemberId: signUp.memberId,
      createdAt: signUp.checkedOutAt,
      ...(approved
        ? {
            decidedByMemberId: deciderOf(activity.teamId, signUp.memberId),
            decidedAt: laterButPast(signUp.checkedOutAt, DAY_MS, now),
          }
        : {}),
    });
  }

  // A year of earlier service: some members give a lot (star levels), most a little.
  const earlierCount = (memberId: string) => {
    if (memberId === demo.member.memberId) return 40;
    if (memberId === demo.lead.memberId) return 30;
    return Math.floor(random() ** 2 * 70);
  };
  for (const member of memberRows) {
    const ownTeams = teamsOf(member.id);
    const days = new Set<number>();
    const count = earlierCount(member.id);
    while (days.size < count) days.add(15 + Math.floor(random() * 380));
    for (const daysAgo of days) {
      const teamId = ownTeams.length > 0 ? ownTeams[Math.floor(random() * ownTeams.length)] : undefined;
      const colour: TeamColour = (teamId && colourOf.get(teamId)) || 'RED';
      const what = EARLIER[colour][0] ?? EARLIER.RED[0];
      if (!what) continue;
      const date = shanghaiDate(new Date(now.getTime() - daysAgo * DAY_MS));
      const startsAt = shanghai(date, 8 + Math.floor(random() * 4), random() < 0.5 ? 0 : 30);
      // The demo member's year comes to 120 hours whatever the date: one star (100 h), on the way to two.
      const minutes = member.id === demo.member.memberId ? 180 : 60 + Math.floor(random() * 7) * 30;
      const endsAt = new Date(startsAt.getTime() + minutes * 60_000);
      const decider = teamId ? deciderOf(teamId, member.id) : demo.admin.memberId;
      records.push({
        orgId,
        memberId: member.id,
        teamId: teamId ?? null,
        activityName: what.name,
        serviceDate: date,
        place: what.place,
        content: what.content,
        minutes,
        organizingUnit: teamId ? unitOf(teamId) : (organization?.name ?? '协会'),
        activityLead: teamId ? leadNameOf(teamId) : (nameOf.get(demo.admin.memberId) ?? '周丽华'),
        source: 'SELF_REPORTED',
        status: decider === member.id ? 'PENDING' : 'APPROVED',
        startsAt,
        endsAt,
        enteredByMemberId: member.id,
        createdAt: laterButPast(endsAt, 2 * DAY_MS, now),
        ...(decider === member.id
          ? {}
          : { decidedByMemberId: decider, decidedAt: laterButPast(endsAt, 3 * DAY_MS, now) }),
      });
    }
  }

  // Reports waiting in the red team's queue: outside service of red members (not the demo member's), one late.
  const redMembers = memberships
    .filter((row) => row.teamId === demo.teamIds.RED && !row.isLead && row.memberId !== demo.member.memberId)
    .map((row) => row.memberId);
  redMembers.slice(0, 4).forEach((memberId, index) => {
    // Evenings, so that they overlap none of the daytime service above.
    const daysAgo = index === 0 ? 20 : 2 + index;
    const date = shanghaiDate(new Date(now.getTime() - daysAgo * DAY_MS));
    const startsAt = shanghai(date, 18, 30);
    const endsAt = new Date(startsAt.getTime() + 90 * 60_000);
    records.push({
      orgId,
      memberId,
      teamId: demo.teamIds.RED,
      activityName: '社区政策宣讲',
      serviceDate: date,
      place: '荣家湾镇党群服务中心',
      content: '向居民宣讲医保、养老政策，登记群众需求',
      minutes: 90,
      organizingUnit: unitOf(demo.teamIds.RED),
      activityLead: leadNameOf(demo.teamIds.RED),
      source: 'SELF_REPORTED',
      status: 'PENDING',
      startsAt,
      endsAt,
      late: daysAgo > 14,
      enteredByMemberId: memberId,
    });
  });

  for (let start = 0; start < records.length; start += 500) {
    await tx.insert(serviceRecords).values(records.slice(start, start + 500));
  }

  // The rollups: the sums of the approved records, as the application keeps them.
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
    select org_id, team_id, ${year}, ${month}, sum(minutes), count(*) ${approved} and team_id is not null
    group by 1, 2, 3, 4`);
  await tx.execute(sql`insert into service_hours_org_month (org_id, year, month, minutes, records)
    select org_id, ${year}, ${month}, sum(minutes), count(*) ${approved} group by 1, 2, 3`);
};
