/**
 * The stations' report (服务站月报) through GraphQL against a real database:
 * per station and per township, per month — visits, services by category,
 * the spot-check answer rate and median answer time — compared with the same
 * figures counted by plain SQL on the tables; a township's median taken over
 * its spot checks, not averaged from its stations'; a visit late on the last
 * evening of a month counted in that month (the organization's time zone);
 * the .xlsx read back. Also the per-person history's rights (a station's lead
 * reads the ones they sent) and the import's preview, which writes nothing.
 */
import * as XLSX from '@e965/xlsx';
import { queryRows, withTenant } from '@qicai/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpotCheckClock } from '../src/modules/stations/spot-checks.ts';
import { DEFAULT_TIME_ZONE, formatLocalDate, instantOf, wallTimeAt } from '../src/kernel/time.ts';
import { activityOrganization, SITE, type ActivityOrganization } from './activities-seed.ts';
import { movableClock } from './clock.ts';
import { errorCode, expectNoErrors, TestApp } from './helper.ts';

const north = (metres: number) => ({ latitude: SITE.latitude + metres / 111_195, longitude: SITE.longitude });

const CREATE = `mutation ($input: StationInput!) { createStation(input: $input) { id } }`;
const SET_MEMBERS = `mutation ($input: SetStationMembersInput!) { setStationMembers(input: $input) { id } }`;
const RECORD = `mutation ($input: StationVisitInput!) { recordStationVisit(input: $input) { id } }`;
const SEND = `mutation ($input: SendSpotCheckInput!) { sendSpotCheck(input: $input) { id member { id } } }`;
const ANSWER = `mutation ($input: AnswerSpotCheckInput!) { answerSpotCheck(input: $input) { id status } }`;
const ROW = `key month township station { id name } stations visits minutes referred byCategory { category visits }
  spotChecksSent spotChecksAnswered spotChecksUnanswered spotChecksLate spotChecksAwayFromStation answerRate medianAnswerSeconds`;
const REPORT = `query ($input: StationReportInput!) { stationReport(input: $input) {
  from to months byStation { ${ROW} } byTownship { ${ROW} } total { ${ROW} } } }`;
const REPORT_FILE = `query ($input: StationReportInput!, $locale: Locale) {
  stationReportFile(input: $input, locale: $locale) { fileName contentType base64 } }`;

interface Row {
  key: string;
  month: string | null;
  township: string | null;
  station: { id: string; name: string } | null;
  stations: number;
  visits: number;
  minutes: number;
  referred: number;
  byCategory: { category: string; visits: number }[];
  spotChecksSent: number;
  spotChecksAnswered: number;
  spotChecksUnanswered: number;
  spotChecksLate: number;
  spotChecksAwayFromStation: number;
  answerRate: number | null;
  medianAnswerSeconds: number | null;
}
interface Report {
  from: string;
  to: string;
  months: string[];
  byStation: Row[];
  byTownship: Row[];
  total: Row;
}

describe('the stations’ report', () => {
  const clock = movableClock();
  let testApp: TestApp;
  let org: ActivityOrganization;
  /** Two stations in 新墙镇, one in 筻口镇. */
  const stationIds: Record<'qingshui' | 'xiangyang' | 'tuanshan', string> = {
    qingshui: '',
    xiangyang: '',
    tuanshan: '',
  };
  let period: { from: string; to: string };
  let thisMonth: string;
  let lastMonth: string;

  async function station(name: string, township: string, latitude: number): Promise<string> {
    const created = await org.admin.gql<{ createStation: { id: string } }>(CREATE, {
      input: { name, township, latitude, longitude: SITE.longitude, radiusMetres: 300 },
    });
    expectNoErrors(created);
    return created.data?.createStation.id ?? '';
  }

  function member(index: number) {
    const person = org.members[index];
    if (!person) throw new Error(`no member ${String(index)}`);
    return person;
  }

  beforeAll(async () => {
    testApp = await TestApp.start({ LOG_LEVEL: 'error', SPOT_CHECK_ANSWER_MINUTES: '10' }, { clock });
    org = await activityOrganization(testApp, 5);
    stationIds.qingshui = await station('新墙镇清水村服务站', '新墙镇', SITE.latitude);
    stationIds.xiangyang = await station('新墙镇向阳村服务站', '新墙镇', SITE.latitude + 0.05);
    stationIds.tuanshan = await station('筻口镇团山村服务站', '筻口镇', SITE.latitude + 0.1);
    const [a, b, c, d] = [member(0), member(1), member(2), member(3)];
    // 清水村: a (lead), b, c; 向阳村: d.
    expectNoErrors(
      await org.admin.gql(SET_MEMBERS, {
        input: {
          stationId: stationIds.qingshui,
          memberIds: [a.memberId, b.memberId, c.memberId],
          leadMemberId: a.memberId,
        },
      }),
    );
    expectNoErrors(
      await org.admin.gql(SET_MEMBERS, {
        input: { stationId: stationIds.xiangyang, memberIds: [d.memberId], leadMemberId: d.memberId },
      }),
    );

    // The month's first minute and the last evening of the month before, on the organization's wall clock.
    const now = clock.now();
    const wall = wallTimeAt(now, DEFAULT_TIME_ZONE);
    const monthStart = instantOf({ year: wall.year, month: wall.month, day: 1, hour: 0, minute: 0 }, DEFAULT_TIME_ZONE);
    const lastEvening = new Date(monthStart.getTime() - 10 * 60_000);
    const firstMorning = new Date(Math.min(monthStart.getTime() + 60_000, now.getTime() - 1000));
    thisMonth = formatLocalDate(wall).slice(0, 7);
    lastMonth = formatLocalDate(wallTimeAt(lastEvening, DEFAULT_TIME_ZONE)).slice(0, 7);
    const previous = wallTimeAt(lastEvening, DEFAULT_TIME_ZONE);
    period = {
      from: formatLocalDate({ ...previous, day: 1 }),
      to: formatLocalDate(wall),
    };

    const visit = async (
      by: { gql: typeof org.admin.gql },
      stationId: string,
      fields: { category: string; minutes: number; outcome?: string; visitedAt?: Date },
    ) => {
      expectNoErrors(
        await by.gql(RECORD, {
          input: {
            stationId,
            visitorName: '张建国',
            purpose: '咨询医保缴费',
            category: fields.category,
            minutes: fields.minutes,
            outcome: fields.outcome ?? 'RESOLVED',
            visitedAt: fields.visitedAt?.toISOString() ?? null,
          },
        }),
      );
    };
    await visit(a.client, stationIds.qingshui, { category: 'POLICY', minutes: 20, visitedAt: lastEvening });
    await visit(a.client, stationIds.qingshui, { category: 'HEALTH', minutes: 35, visitedAt: firstMorning });
    await visit(b.client, stationIds.qingshui, { category: 'HEALTH', minutes: 15, outcome: 'REFERRED' });
    await visit(b.client, stationIds.qingshui, { category: 'LEGAL', minutes: 45 });
    await visit(d.client, stationIds.xiangyang, { category: 'ELDERLY', minutes: 30 });
    await visit(org.admin, stationIds.tuanshan, { category: 'CHILDREN', minutes: 60, visitedAt: lastEvening });

    // Spot checks: 清水村's three asked at once; b answers after 1 min, c after 3 min 900 m away, a never.
    const sent = await org.admin.gql<{ sendSpotCheck: { id: string; member: { id: string } }[] }>(SEND, {
      input: { stationId: stationIds.qingshui },
    });
    expectNoErrors(sent);
    const of = (memberId: string) => sent.data?.sendSpotCheck.find((row) => row.member.id === memberId)?.id;
    clock.forward(1);
    expectNoErrors(await b.client.gql(ANSWER, { input: { id: of(b.memberId), ...north(40), accuracyMetres: 10 } }));
    clock.forward(2);
    expectNoErrors(await c.client.gql(ANSWER, { input: { id: of(c.memberId), ...north(900), accuracyMetres: 25 } }));
    // 向阳村's d is asked and answers after 5 min.
    const toD = await org.admin.gql<{ sendSpotCheck: { id: string }[] }>(SEND, { input: { memberId: d.memberId } });
    clock.forward(5);
    expectNoErrors(
      await d.client.gql(ANSWER, {
        input: { id: toD.data?.sendSpotCheck[0]?.id, latitude: SITE.latitude + 0.05, longitude: SITE.longitude },
      }),
    );
    // Past a's time: the clock marks it unanswered.
    clock.forward(11);
    const run = await runSpotCheckClock(testApp.database.db, {
      now: clock.now(),
      retentionDays: 30,
      publish: () => {},
    });
    expect(run.markedUnanswered).toBe(1);
    // A pending one (sent just now) is not yet counted for or against the rate.
    expectNoErrors(await org.admin.gql(SEND, { input: { memberId: b.memberId } }));
  });
  afterAll(async () => {
    await testApp.close();
  });

  async function report(): Promise<Report> {
    const result = await org.admin.gql<{ stationReport: Report }>(REPORT, { input: period });
    expectNoErrors(result);
    const data = result.data?.stationReport;
    if (!data) throw new Error('no report');
    return data;
  }

  it('counts per station and township per month as plain SQL on the tables does', async () => {
    const data = await report();
    expect(data.months).toEqual([lastMonth, thisMonth]);
    // Every station every month, zeros included.
    expect(data.byStation).toHaveLength(3 * data.months.length);
    expect(data.byTownship).toHaveLength(2 * data.months.length);

    const counted = await withTenant(testApp.database.db, { orgId: org.orgId, accountId: null }, async (tx) => ({
      visits: await queryRows<{ month: string; station_id: string; category: string; visits: number; minutes: number }>(
        tx,
        sql`select to_char(visited_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, station_id, category::text,
              count(*)::integer as visits, sum(minutes)::integer as minutes
            from station_visits where org_id = ${org.orgId} group by 1, 2, 3`,
      ),
      checks: await queryRows<{
        month: string;
        township: string;
        station_id: string;
        answered: number;
        unanswered: number;
        seconds: number | null;
      }>(
        tx,
        sql`select to_char(c.sent_at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, s.township, c.station_id,
              (c.status = 'ANSWERED')::integer as answered, (c.status = 'UNANSWERED')::integer as unanswered,
              extract(epoch from c.answered_at - c.sent_at)::float8 as seconds
            from spot_checks c join stations s on s.org_id = c.org_id and s.id = c.station_id
            where c.org_id = ${org.orgId}`,
      ),
    }));
    const median = (values: number[]) => {
      const sorted = [...values].sort((x, y) => x - y);
      if (sorted.length === 0) return null;
      const middle = (sorted.length - 1) / 2;
      return Math.round(((sorted[Math.floor(middle)] ?? 0) + (sorted[Math.ceil(middle)] ?? 0)) / 2);
    };
    const expectRow = (row: Row, belongs: (stationId: string, township: string) => boolean) => {
      const townshipOf: Record<string, string> = {
        [stationIds.qingshui]: '新墙镇',
        [stationIds.xiangyang]: '新墙镇',
        [stationIds.tuanshan]: '筻口镇',
      };
      const visits = counted.visits.filter(
        (visit) => visit.month === row.month && belongs(visit.station_id, townshipOf[visit.station_id] ?? ''),
      );
      const checks = counted.checks.filter(
        (check) => check.month === row.month && belongs(check.station_id, check.township),
      );
      const answered = checks.filter((check) => check.answered === 1);
      const unanswered = checks.filter((check) => check.unanswered === 1).length;
      expect(row, row.key).toMatchObject({
        visits: visits.reduce((sum, visit) => sum + visit.visits, 0),
        minutes: visits.reduce((sum, visit) => sum + visit.minutes, 0),
        spotChecksSent: checks.length,
        spotChecksAnswered: answered.length,
        spotChecksUnanswered: unanswered,
        answerRate: answered.length + unanswered === 0 ? null : answered.length / (answered.length + unanswered),
        medianAnswerSeconds: median(answered.map((check) => check.seconds ?? 0)),
      });
      for (const { category, visits: count } of row.byCategory) {
        expect(count, `${row.key} ${category}`).toBe(
          visits.filter((visit) => visit.category === category).reduce((sum, visit) => sum + visit.visits, 0),
        );
      }
    };
    for (const row of data.byStation) expectRow(row, (stationId) => stationId === row.station?.id);
    for (const row of data.byTownship) expectRow(row, (_stationId, township) => township === row.township);
    expect(data.total).toMatchObject({
      month: null,
      stations: 3,
      visits: 6,
      minutes: 205,
      referred: 1,
      spotChecksSent: 5,
      spotChecksAnswered: 3,
      spotChecksUnanswered: 1,
    });

    // What the office reads: 清水村 this month — 4 asked, 2 answered, 1 unanswered, 1 pending; 60 s and 180 s.
    const qingshui = data.byStation.find((row) => row.key === `station:${stationIds.qingshui}:${thisMonth}`);
    expect(qingshui).toMatchObject({
      township: '新墙镇',
      station: { name: '新墙镇清水村服务站' },
      spotChecksSent: 4,
      spotChecksAnswered: 2,
      spotChecksUnanswered: 1,
      spotChecksAwayFromStation: 1,
      answerRate: 2 / 3,
      medianAnswerSeconds: 120,
    });
    // The township's median is over its three answers (60, 180, 300 s), not the mean of its stations' medians.
    const xinqiang = data.byTownship.find((row) => row.key === `township:新墙镇:${thisMonth}`);
    expect(xinqiang).toMatchObject({ stations: 2, spotChecksAnswered: 3, medianAnswerSeconds: 180 });
    // The visit ten minutes before midnight on the month's last day is that month's, in Asia/Shanghai.
    const tuanshanLast = data.byStation.find((row) => row.key === `station:${stationIds.tuanshan}:${lastMonth}`);
    expect(tuanshanLast?.visits).toBe(1);
    expect(tuanshanLast?.byCategory.find((entry) => entry.category === 'CHILDREN')?.visits).toBe(1);
  });

  it('exports the report as an .xlsx workbook that reads back with the same figures', async () => {
    const data = await report();
    const result = await org.admin.gql<{
      stationReportFile: { fileName: string; contentType: string; base64: string };
    }>(REPORT_FILE, { input: period, locale: 'zh' });
    expectNoErrors(result);
    const file = result.data?.stationReportFile;
    expect(file?.fileName).toBe(`station-report-${period.from}-${period.to}.xlsx`);
    expect(file?.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = XLSX.read(Buffer.from(file?.base64 ?? '', 'base64'), { type: 'buffer', cellNF: true });
    expect(workbook.SheetNames).toEqual(['按服务站', '按乡镇']);
    const byStation = XLSX.utils.sheet_to_json<(string | number)[]>(workbook.Sheets['按服务站'] as XLSX.WorkSheet, {
      header: 1,
      raw: true,
    });
    const header = byStation[0] ?? [];
    expect(header.slice(0, 7)).toEqual([
      '月份',
      '乡镇',
      '服务站',
      '村（社区）',
      '来访人次',
      '服务时长（小时）',
      '转办',
    ]);
    expect(header).toContain('医疗健康');
    const column = (name: string) => header.indexOf(name);
    const line = byStation.find((cells) => cells[0] === thisMonth && cells[2] === '新墙镇清水村服务站');
    const expected = data.byStation.find((row) => row.key === `station:${stationIds.qingshui}:${thisMonth}`);
    expect(line?.[column('来访人次')]).toBe(expected?.visits);
    expect(line?.[column('医疗健康')]).toBe(expected?.byCategory.find((entry) => entry.category === 'HEALTH')?.visits);
    expect(line?.[column('随机打卡次数')]).toBe(4);
    expect(line?.[column('应答率')]).toBeCloseTo(2 / 3, 6);
    expect(line?.[column('应答用时中位数（秒）')]).toBe(120);
    // The rate cell shows as a percentage and stays a number.
    const sheet = workbook.Sheets['按服务站'] as XLSX.WorkSheet;
    const rowIndex = byStation.indexOf(line ?? []);
    const rateCell = sheet[XLSX.utils.encode_cell({ r: rowIndex, c: column('应答率') })] as XLSX.CellObject;
    expect(rateCell.t).toBe('n');
    expect(rateCell.z).toBe('0.0%');
    const total = byStation.at(-1) ?? [];
    expect(total[0]).toBe('合计');
    expect(total[column('来访人次')]).toBe(6);
    expect(total[column('服务时长（小时）')]).toBeCloseTo(205 / 60, 2);

    const byTownship = XLSX.utils.sheet_to_json<(string | number)[]>(workbook.Sheets['按乡镇'] as XLSX.WorkSheet, {
      header: 1,
      raw: true,
    });
    const xinqiang = byTownship.find((cells) => cells[0] === thisMonth && cells[1] === '新墙镇');
    expect(xinqiang?.[2]).toBe(2);
    expect(xinqiang?.[(byTownship[0] ?? []).indexOf('应答用时中位数（秒）')]).toBe(180);

    const english = await org.admin.gql<{ stationReportFile: { base64: string } }>(REPORT_FILE, {
      input: period,
      locale: 'en',
    });
    const englishBook = XLSX.read(Buffer.from(english.data?.stationReportFile.base64 ?? '', 'base64'), {
      type: 'buffer',
    });
    expect(englishBook.SheetNames).toEqual(['By station', 'By township']);
  });

  it('is for admins, over a year at most, and knows nothing of another association', async () => {
    expect(errorCode(await org.lead.gql(REPORT, { input: period }))).toBe('FORBIDDEN');
    const stationLead = member(0);
    expect(errorCode(await stationLead.client.gql(REPORT, { input: period }))).toBe('FORBIDDEN');
    expect(errorCode(await stationLead.client.gql(REPORT_FILE, { input: period }))).toBe('FORBIDDEN');
    const tooLong = await org.admin.gql(REPORT, { input: { from: '2025-01-01', to: '2026-06-30' } });
    expect(errorCode(tooLong)).toBe('VALIDATION');
    const other = await activityOrganization(testApp, 0);
    const theirs = await other.admin.gql<{ stationReport: Report }>(REPORT, { input: period });
    expectNoErrors(theirs);
    expect(theirs.data?.stationReport.byStation).toEqual([]);
    expect(theirs.data?.stationReport.total).toMatchObject({ visits: 0, spotChecksSent: 0, answerRate: null });
  });

  it('shows a person’s history to admins and themselves in full, to their station’s lead the ones the lead sent', async () => {
    const [a, b, , d] = [member(0), member(1), member(2), member(3)];
    // 清水村's lead asks b once more.
    expectNoErrors(await a.client.gql(SEND, { input: { memberId: b.memberId } }));
    const HISTORY = `query ($id: ID!, $offset: Int) { spotChecksOf(memberId: $id, first: 1, offset: $offset) { id sentBy { id } }
      spotCheckSummaryOf(memberId: $id) { sent answered unanswered } }`;
    type History = { spotChecksOf: { id: string; sentBy: { id: string } }[]; spotCheckSummaryOf: { sent: number } };
    const own = await b.client.gql<History>(HISTORY, { id: b.memberId });
    expectNoErrors(own);
    expect(own.data?.spotCheckSummaryOf.sent).toBe(3);
    // Paged: one at a time, every one reached.
    const seen = new Set<string>();
    for (let offset = 0; offset < 3; offset++) {
      const page = await b.client.gql<History>(HISTORY, { id: b.memberId, offset });
      for (const item of page.data?.spotChecksOf ?? []) seen.add(item.id);
    }
    expect(seen.size).toBe(3);
    const byLead = await a.client.gql<History>(HISTORY, { id: b.memberId });
    expectNoErrors(byLead);
    expect(byLead.data?.spotCheckSummaryOf.sent).toBe(1);
    expect(byLead.data?.spotChecksOf.map((item) => item.sentBy.id)).toEqual([a.memberId]);
    // 向阳村's lead does not lead b's station; a fellow member is no one's reader.
    expect(errorCode(await d.client.gql(HISTORY, { id: b.memberId }))).toBe('FORBIDDEN');
    expect(errorCode(await org.lead.gql(HISTORY, { id: b.memberId }))).toBe('FORBIDDEN');
    expect(errorCode(await b.client.gql(HISTORY, { id: b.memberId, offset: -1 }))).toBe('VALIDATION');
  });

  it('previews a workbook import without writing, then imports it', async () => {
    const csv = [
      '站点名称,所属乡镇,村（社区）,纬度,经度,开放时间',
      '新墙镇清水村服务站,新墙镇,清水村,２９.１４４６,１１３.１２８７,8:00-18:00',
      '公田镇白羊田村服务站,公田镇,白羊田村,29.0101,113.3001,08:30～17:00',
      '长湖乡长湖村服务站,长湖乡,长湖村,29.3,,',
    ].join('\r\n');
    const IMPORT = `mutation ($content: String!, $dryRun: Boolean) {
      importStations(fileName: "服务站.csv", contentBase64: $content, dryRun: $dryRun) {
        dryRun created updated rows { rowNumber action name township opensAt closesAt } problems { rowNumber field code } } }`;
    const content = Buffer.from(csv, 'utf8').toString('base64');
    type Result = {
      importStations: {
        dryRun: boolean;
        created: number;
        updated: number;
        rows: { rowNumber: number; action: string; name: string; opensAt: string }[];
        problems: { rowNumber: number; field: string }[];
      };
    };
    const preview = await org.admin.gql<Result>(IMPORT, { content, dryRun: true });
    expectNoErrors(preview);
    expect(preview.data?.importStations).toMatchObject({
      dryRun: true,
      created: 1,
      updated: 1,
      rows: [
        { rowNumber: 2, action: 'UPDATE', name: '新墙镇清水村服务站', opensAt: '08:00' },
        { rowNumber: 3, action: 'CREATE', name: '公田镇白羊田村服务站', opensAt: '08:30' },
      ],
      problems: [{ rowNumber: 4, field: 'POSITION' }],
    });
    const names = async () =>
      (await org.admin.gql<{ stations: { name: string }[] }>(`{ stations { name } }`)).data?.stations.map(
        (item) => item.name,
      );
    expect(await names()).not.toContain('公田镇白羊田村服务站');
    const applied = await org.admin.gql<Result>(IMPORT, { content });
    expect(applied.data?.importStations).toMatchObject({ dryRun: false, created: 1, updated: 1 });
    expect(await names()).toContain('公田镇白羊田村服务站');

    // Read in a worker thread: a broken workbook and an empty file are said as such, the thread's error never.
    const fileCode = async (bytes: Buffer, fileName = '服务站.xlsx') => {
      const result = await org.admin.gql(
        `mutation ($name: String!, $content: String!) { importStations(fileName: $name, contentBase64: $content, dryRun: true) { created } }`,
        { name: fileName, content: bytes.toString('base64') },
      );
      return { code: errorCode(result), fields: result.errors?.[0]?.extensions?.fields };
    };
    const broken = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(64, 7)]);
    expect(await fileCode(broken)).toEqual({ code: 'VALIDATION', fields: { file: 'UNREADABLE' } });
    expect(await fileCode(Buffer.alloc(0), '服务站.csv')).toEqual({ code: 'VALIDATION', fields: { file: 'EMPTY' } });
  });
});
