/**
 * Demo requests from the public (群众需求): a handful in every state — new
 * ones waiting for the admin, assigned ones (one overdue), one turned into
 * the green team's river clean-up, resolved ones with feedback and one
 * declined — each with its history. Places and phones are invented.
 */
import { helpRequests, requestHistory, type RequestCategory, type RequestStatus, type TeamColour } from '@qicai/db';
import { and, eq, sql } from 'drizzle-orm';
import { activities } from '@qicai/db';
import type { DomainSeed } from './domains.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

interface DemoRequest {
  category: RequestCategory;
  place: string;
  description: string;
  status: RequestStatus;
  team?: TeamColour;
  /** Days from today (Asia/Shanghai) the request is due. */
  dueInDays?: number;
  submittedDaysAgo: number;
  feedback?: string;
  declineReason?: string;
  /** Linked to the green team's river clean-up. */
  activity?: boolean;
}

const REQUESTS: DemoRequest[] = [
  {
    category: 'ELDERLY',
    place: '筻口镇团山村五组',
    description: '独居老人，子女在外务工，希望有人每周上门看看，帮忙买药。',
    status: 'RECEIVED',
    submittedDaysAgo: 0,
  },
  {
    category: 'LEGAL',
    place: '荣家湾镇城南社区',
    description: '工资被拖欠三个月，不知道如何维权，想咨询律师。',
    status: 'RECEIVED',
    submittedDaysAgo: 1,
  },
  {
    category: 'HEALTH',
    place: '新墙镇清水村',
    description: '村里老人多，希望组织一次义诊，量血压、测血糖。',
    status: 'ASSIGNED',
    team: 'WHITE',
    dueInDays: 7,
    submittedDaysAgo: 3,
  },
  {
    category: 'CHILDREN',
    place: '张谷英镇张谷英村',
    description: '留守儿童放学后无人辅导作业，希望有志愿者周末来辅导。',
    status: 'ASSIGNED',
    team: 'GOLD',
    dueInDays: -2,
    submittedDaysAgo: 12,
  },
  {
    category: 'ENVIRONMENT',
    place: '新墙河大桥下游',
    description: '河岸堆了很多生活垃圾，夏天有异味。',
    status: 'IN_PROGRESS',
    team: 'GREEN',
    dueInDays: 10,
    submittedDaysAgo: 6,
    activity: true,
  },
  {
    category: 'HOME_HELP',
    place: '荣家湾镇湖滨社区12栋',
    description: '家中电路老化经常跳闸，老人不敢用电器。',
    status: 'RESOLVED',
    team: 'RED',
    submittedDaysAgo: 20,
    feedback: '红色旗帜党员志愿者已请电工上门更换了线路和空气开关，并教老人安全用电。',
  },
  {
    category: 'ELDERLY',
    place: '筻口镇敬老院',
    description: '敬老院想请人给老人们理发、读报。',
    status: 'RESOLVED',
    team: 'PURPLE',
    submittedDaysAgo: 30,
    feedback: '紫色服务队每月第二个周六上门理发、读报，已经开展两次。',
  },
  {
    category: 'OTHER',
    place: '县城某小区',
    description: '希望志愿者帮忙代缴物业费。',
    status: 'DECLINED',
    submittedDaysAgo: 9,
    declineReason: '代缴费用涉及钱款，不在志愿服务范围内，请联系社区居委会。',
  },
];

/** The path to each state: what the history shows. */
const PATHS: Record<RequestStatus, RequestStatus[]> = {
  RECEIVED: ['RECEIVED'],
  ASSIGNED: ['RECEIVED', 'ASSIGNED'],
  IN_PROGRESS: ['RECEIVED', 'ASSIGNED', 'IN_PROGRESS'],
  RESOLVED: ['RECEIVED', 'ASSIGNED', 'RESOLVED'],
  DECLINED: ['RECEIVED', 'DECLINED'],
};

/** The red team's lead (who signs in to the demo) did the red team's work; the admin the rest. */
function actorOf(request: DemoRequest, toStatus: RequestStatus): 'lead' | 'admin' {
  return request.team === 'RED' && (toStatus === 'RESOLVED' || toStatus === 'IN_PROGRESS') ? 'lead' : 'admin';
}

function shanghaiDate(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const seedRequests: DomainSeed = async (tx, demo) => {
  // Requests are read and changed by members only (row-level security): the demo acts as its admin here.
  await tx.execute(sql`select set_config('app.account_id', ${demo.admin.accountId}, true)`);
  const code = () => Array.from({ length: 10 }, () => CODE_ALPHABET[Math.floor(demo.random() * 32)]).join('');
  const phone = () => `139${String(Math.floor(demo.random() * 100_000_000)).padStart(8, '0')}`;
  const [cleanUp] = await tx
    .select({ id: activities.id })
    .from(activities)
    .where(and(eq(activities.orgId, demo.orgId), eq(activities.teamId, demo.teamIds.GREEN)))
    .limit(1);
  const now = demo.now.getTime();

  for (const request of REQUESTS) {
    const submittedAt = new Date(now - request.submittedDaysAgo * DAY_MS - 3 * 3600_000);
    const path = PATHS[request.status];
    const closed = request.status === 'RESOLVED' || request.status === 'DECLINED';
    const [row] = await tx
      .insert(helpRequests)
      .values({
        orgId: demo.orgId,
        trackingCode: code(),
        category: request.category,
        place: request.place,
        description: request.description,
        contactPhone: phone(),
        consentToContact: true,
        status: request.status,
        teamId: request.team ? demo.teamIds[request.team] : null,
        dueOn: request.dueInDays === undefined ? null : shanghaiDate(new Date(now + request.dueInDays * DAY_MS)),
        feedback: request.feedback ?? null,
        declineReason: request.declineReason ?? null,
        activityId: request.activity && cleanUp ? cleanUp.id : null,
        submittedAt,
        closedAt: closed ? new Date(submittedAt.getTime() + (path.length - 1) * DAY_MS) : null,
        updatedAt: new Date(submittedAt.getTime() + (path.length - 1) * DAY_MS),
      })
      .returning({ id: helpRequests.id });
    if (!row) throw new Error('demo request not inserted');
    await tx.insert(requestHistory).values(
      path.map((toStatus, index) => ({
        orgId: demo.orgId,
        requestId: row.id,
        fromStatus: index === 0 ? null : (path[index - 1] ?? null),
        toStatus,
        actorMemberId: index === 0 ? null : demo[actorOf(request, toStatus)].memberId,
        note:
          toStatus === 'RESOLVED'
            ? (request.feedback ?? null)
            : toStatus === 'DECLINED'
              ? (request.declineReason ?? null)
              : null,
        at: new Date(submittedAt.getTime() + index * DAY_MS),
      })),
    );
  }
  await tx.execute(sql`select set_config('app.account_id', '', true)`);
};
